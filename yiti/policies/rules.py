"""Eligibility rules as data, and the evaluator that explains itself (docs/policies.md).

A policy's rules are a list of conditions over the fields of one subject (organisations or talents), all of
which must hold:

    [{"field": "ladder_stage", "op": "in", "value": ["tech_sme", "high_tech"]},
     {"field": "county", "op": "in", "value": ["140702"]}]

`FIELDS` is the catalogue of what a rule may name: each field's Chinese label, its kind (which says the
operators and values it takes), where its value is read from, and which column's change history dates it.
`check_conditions` is the one gate every rule passes (the edit form's text, an import, the demo data): it
refuses an unknown field, an operator the field's kind does not take and a value of the wrong type, with a
message naming the field; `parse_text` reads the form's one-condition-a-line text into that gate.

Evaluation is column-wise: `Columns` holds every value of a field for all the records in scope (one query),
each condition becomes a small predicate run over its column in a list comprehension, and a record is
eligible when every condition passed, incomplete when none failed but some had no data. Only those records
are explained (`explain`): per condition passed / failed / data missing, the field, its value and the date it
was last changed (the records' change history, yiti.core.history).
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# ---- operators ---------------------------------------------------------------------------------------------

OPERATORS: dict[str, Any] = {
    "eq": "=", "ne": "≠", "in": _("in"), "not_in": _("not in"),
    "gt": ">", "gte": "≥", "lt": "<", "lte": "≤",
}
# What users may type for each operator besides its label.
OPERATOR_SPELLINGS = {"==": "eq", "!=": "ne", "<>": "ne", ">=": "gte", "<=": "lte", "not_in": "not_in",
                      "in": "in", "eq": "eq", "ne": "ne", "gt": "gt", "gte": "gte", "lt": "lt", "lte": "lte"}
LIST_OPERATORS = ("in", "not_in")
KIND_OPERATORS = {
    "choice": ("eq", "ne", "in", "not_in"),
    "code": ("eq", "ne", "in", "not_in"),
    "division": ("eq", "ne", "in", "not_in"),
    "number": ("eq", "ne", "gt", "gte", "lt", "lte"),
    "date": ("eq", "gt", "gte", "lt", "lte"),
    "bool": ("eq",),
}
STATES = ("passed", "failed", "missing")


def operator_label(op: str) -> str:
    return str(OPERATORS.get(op, op))


# ---- the field catalogue -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    """A field a rule may name. `path` is read with values_list; `history` is the model column whose change
    history dates the value; `choices()` gives (code, label) for choice and code fields."""

    name: str
    label: Promise
    kind: str
    path: str
    history: str
    choices: Callable[[], Sequence[tuple[str, str]]] | None = None
    # A value computed from the stored one on the evaluation day (age from the birth year).
    derive: Callable[[Any, date], Any] | None = None


_LABELS: dict[tuple[str, str], Sequence[tuple[str, str]]] = {}


def _cached(key: str, load: Callable[[], Sequence[tuple[str, str]]]) -> Callable[[], Sequence[tuple[str, str]]]:
    """The choices of a field, loaded once per process and language (code tables change with a release only)."""
    def cached() -> Sequence[tuple[str, str]]:
        from django.utils.translation import get_language

        slot = (key, get_language() or "")
        if slot not in _LABELS:
            _LABELS[slot] = load()
        return _LABELS[slot]
    return cached


def _choices(import_path: str) -> Callable[[], Sequence[tuple[str, str]]]:
    def load() -> Sequence[tuple[str, str]]:
        from importlib import import_module

        module, name = import_path.rsplit(".", 1)
        found = getattr(import_module(module), name)
        return [(str(code), str(label)) for code, label in getattr(found, "choices", found)]
    return _cached(import_path, load)


def _codes(model_name: str) -> Callable[[], Sequence[tuple[str, str]]]:
    def load() -> Sequence[tuple[str, str]]:
        from yiti.core import models

        return list(getattr(models, model_name).objects.order_by("code").values_list("code", "name"))
    return _cached(model_name, load)


def _age(birth_year: Any, day: date) -> Any:
    return day.year - int(birth_year)


ORGANISATION_FIELDS = (
    Field("org_type", _("organisation type"), "choice", "org_type", "org_type", _choices("yiti.orgs.choices.OrgType")),
    Field("ladder_stage", _("cultivation stage"), "choice", "ladder_stage", "ladder_stage",
          _choices("yiti.orgs.choices.LadderStage")),
    Field("industry", _("industry"), "code", "industry__code", "industry", _codes("Industry")),
    Field("county", _("county"), "division", "division__code", "division", _codes("Division")),
    Field("in_reserve_pool", _("in reserve pool"), "bool", "in_reserve_pool", "in_reserve_pool"),
    Field("is_leading", _("leading S&T enterprise"), "bool", "is_leading", "is_leading"),
    Field("key_field", _("key field"), "choice", "key_field", "key_field", _choices("yiti.orgs.choices.KeyField")),
    Field("founded_on", _("founding date"), "date", "founded_on", "founded_on"),
)
TALENT_FIELDS = (
    Field("population", _("population"), "choice", "population", "population",
          _choices("yiti.talents.choices.Population")),
    Field("category", _("talent category"), "choice", "category", "category", _choices("yiti.talents.choices.Category")),
    Field("degree", _("highest degree"), "choice", "degree", "degree", _choices("yiti.talents.choices.Degree")),
    Field("title_level", _("title level"), "choice", "title_level", "title_level",
          _choices("yiti.talents.choices.TITLE_LEVEL_CHOICES")),
    Field("age", _("age"), "number", "birth_year", "birth_year", derive=_age),
    Field("county", _("county"), "division", "division__code", "division", _codes("Division")),
    Field("industry", _("industry field"), "code", "industry__code", "industry", _codes("Industry")),
    Field("discipline", _("discipline"), "code", "discipline__code", "discipline", _codes("Discipline")),
    Field("returned_on", _("return date"), "date", "returned_on", "returned_on"),
)
FIELDS: dict[str, dict[str, Field]] = {
    "organisation": {f.name: f for f in ORGANISATION_FIELDS},
    "talent": {f.name: f for f in TALENT_FIELDS},
}


def field_of(subject: str, name: str) -> Field | None:
    return FIELDS.get(subject, {}).get(name)


# ---- the gate: every rule is checked here ------------------------------------------------------------------

def _refuse(number: int, message: str, code: str) -> ValidationError:
    return ValidationError(gettext("Condition %(number)s: %(message)s") % {"number": number, "message": message},
                           code=code)


def _one_value(f: Field, raw: Any, number: int) -> Any:
    """`raw` as a stored value of field `f`, or a refusal naming the field and the value."""
    text = str(raw).strip() if not isinstance(raw, bool) else raw
    bad = {"field": f.label, "value": raw}
    if f.kind in ("choice", "code", "division"):
        options = f.choices() if f.choices else []
        for code, label in options:
            if text == code or (isinstance(text, str) and text.lower() == code.lower()) or text == label:
                return code
        if f.kind == "choice":
            allowed = "、".join(label for _code, label in options)
            raise _refuse(number, gettext("“%(value)s” is not a value of the field %(field)s (allowed: %(allowed)s).")
                          % {**bad, "allowed": allowed}, "bad_value")
        raise _refuse(number, gettext("“%(value)s” is not a code or name of the field %(field)s.") % bad, "bad_value")
    if f.kind == "number":
        if isinstance(raw, bool):
            raise _refuse(number, gettext("The value of the field %(field)s must be a number, not “%(value)s”.") % bad,
                          "bad_value_type")
        try:
            value = float(text)
        except (TypeError, ValueError):
            raise _refuse(number, gettext("The value of the field %(field)s must be a number, not “%(value)s”.") % bad,
                          "bad_value_type") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise _refuse(number, gettext("The value of the field %(field)s must be a number, not “%(value)s”.") % bad,
                          "bad_value_type")
        return int(value) if value.is_integer() else value
    if f.kind == "date":
        try:
            return date.fromisoformat(str(text)).isoformat()
        except ValueError:
            raise _refuse(number, gettext("The value of the field %(field)s must be a date such as 2024-01-31, not "
                                          "“%(value)s”.") % bad, "bad_value_type") from None
    # bool
    if isinstance(raw, bool):
        return raw
    yes = {"true", "1", "yes", gettext("Yes").lower()}
    no = {"false", "0", "no", gettext("No").lower()}
    if str(text).lower() in yes:
        return True
    if str(text).lower() in no:
        return False
    raise _refuse(number, gettext("The value of the field %(field)s must be yes or no, not “%(value)s”.") % bad,
                  "bad_value_type")


def check_conditions(subject: str, conditions: Any, lines: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The conditions, each checked and written in its stored form; a ValidationError listing every refusal
    (each naming its condition and field) otherwise. Nothing is half-accepted: one bad condition refuses all.
    `lines`: the text each condition was read from (parse_text), quoted in its refusal."""
    if subject not in FIELDS:
        raise ValidationError(gettext("Choose whom the policy is about before writing its conditions."),
                              code="no_subject")
    if not isinstance(conditions, list):
        raise ValidationError(gettext("The conditions must be a list."), code="not_a_list")
    errors: list[ValidationError] = []
    checked = []
    for number, condition in enumerate(conditions, 1):
        try:
            checked.append(_check_one(subject, condition, number))
        except ValidationError as exc:
            if number <= len(lines):
                exc = ValidationError(gettext("%(refusal)s (the line “%(line)s”)")
                                      % {"refusal": exc.messages[0], "line": lines[number - 1]}, code=exc.code)
            errors.append(exc)
    if errors:
        raise ValidationError(errors)
    return checked


def _check_one(subject: str, condition: Any, number: int) -> dict[str, Any]:
    if not isinstance(condition, dict) or not {"field", "op", "value"} <= set(condition):
        raise _refuse(number, gettext("a condition names a field, an operator and a value."), "bad_condition")
    f = field_of(subject, str(condition["field"]))
    if f is None:
        allowed = "、".join(str(x.label) for x in FIELDS[subject].values())
        raise _refuse(number, gettext("there is no field “%(field)s” in the rules about %(subject)s (fields: "
                                      "%(allowed)s).") % {"field": condition["field"], "allowed": allowed,
                                                          "subject": subject_label(subject)}, "unknown_field")
    op = str(condition["op"])
    if op not in KIND_OPERATORS[f.kind]:
        allowed = " ".join(operator_label(o) for o in KIND_OPERATORS[f.kind])
        raise _refuse(number, gettext("the field %(field)s does not take the operator “%(op)s” (it takes: "
                                      "%(allowed)s).") % {"field": f.label, "op": operator_label(op),
                                                          "allowed": allowed}, "bad_operator")
    raw = condition["value"]
    if op in LIST_OPERATORS:
        items = raw if isinstance(raw, list) else [raw]
        if not items or any(str(item).strip() == "" for item in items):
            raise _refuse(number, gettext("the field %(field)s needs at least one value.") % {"field": f.label},
                          "no_value")
        value: Any = [_one_value(f, item, number) for item in items]
    else:
        if isinstance(raw, list) or raw is None or str(raw).strip() == "":
            raise _refuse(number, gettext("the field %(field)s needs exactly one value after “%(op)s”.")
                          % {"field": f.label, "op": operator_label(op)}, "one_value")
        value = _one_value(f, raw, number)
    return {"field": f.name, "op": op, "value": value}


def subject_label(subject: str) -> str:
    from yiti.policies.choices import Subject

    return str(dict(Subject.choices).get(subject, subject))


# ---- the form's text ---------------------------------------------------------------------------------------

LIST_SEPARATORS = ("，", ",", "、", "；", ";")


def parse_text(subject: str, text: str) -> list[dict[str, Any]]:
    """The form's conditions, one a line as "field operator value" (培育阶段 属于 科技型中小企业、高新技术企业;
    年龄 ≤ 35), checked by `check_conditions`. Fields and values may be written by label or by code."""
    raw: list[Any] = []
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for number, line in enumerate(lines, 1):
        parts = line.split(None, 2)
        if len(parts) < 3:
            raise ValidationError([_refuse(number, gettext("“%(line)s” is not “field operator value”.")
                                           % {"line": line}, "bad_line")])
        name, op_text, value_text = parts
        catalogue = FIELDS.get(subject, {})
        field_name = next((f.name for f in catalogue.values() if name in (f.name, str(f.label))), name)
        op = _operator(op_text)
        if op in LIST_OPERATORS:
            for sep in LIST_SEPARATORS[1:]:
                value_text = value_text.replace(sep, LIST_SEPARATORS[0])
            value: Any = [v.strip() for v in value_text.split(LIST_SEPARATORS[0]) if v.strip()]
        else:
            value = value_text.strip()
        raw.append({"field": field_name, "op": op, "value": value})
    return check_conditions(subject, raw, lines)


def _operator(text: str) -> str:
    for code, label in OPERATORS.items():
        if text == str(label):
            return code
    return OPERATOR_SPELLINGS.get(text.lower(), text)


def value_label(subject: str, f: Field, value: Any) -> str:
    """A stored value as the reader expects it: a choice's label, a code with its name, 是/否."""
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return "、".join(value_label(subject, f, v) for v in value)
    if f.kind in ("choice", "code", "division"):
        name = _label_map(f).get(str(value))
        if name is None:
            return str(value)
        return name if f.kind in ("choice", "division") else f"{value} {name}"
    if f.kind == "bool":
        return gettext("Yes") if value else gettext("No")
    return str(value)


_MAPS: dict[tuple[int, int], dict[str, str]] = {}


def _label_map(f: Field) -> dict[str, str]:
    options = f.choices() if f.choices else []
    slot = (id(f), id(options))
    if slot not in _MAPS:
        _MAPS[slot] = dict(options)
    return _MAPS[slot]


def to_text(subject: str, conditions: Iterable[dict[str, Any]]) -> str:
    """The stored conditions as the form's text (parse_text reads it back to the same conditions)."""
    lines = []
    for condition in conditions:
        f = field_of(subject, condition["field"])
        if f is None:
            continue
        value = condition["value"]
        values = value if isinstance(value, list) else [value]
        shown = []
        for v in values:
            if f.kind in ("choice", "division"):
                shown.append(value_label(subject, f, v))
            elif f.kind == "bool":
                shown.append(gettext("Yes") if v else gettext("No"))
            else:
                shown.append(str(v))
        lines.append(f"{f.label} {operator_label(condition['op'])} {LIST_SEPARATORS[0].join(shown)}")
    return "\n".join(lines)


def describe(subject: str, condition: dict[str, Any]) -> str:
    f = field_of(subject, condition["field"])
    if f is None:
        return str(condition)
    return f"{f.label} {operator_label(condition['op'])} {value_label(subject, f, condition['value'])}"


# ---- evaluation --------------------------------------------------------------------------------------------

@dataclass
class Columns:
    """Every value of each catalogue field for the records in scope, column by column (None: no data), with the
    date each value was last changed where asked for (`changed[(pk, history column)]`)."""

    subject: str
    ids: list[int]
    names: list[str]
    values: dict[str, list[Any]]
    entered: list[date | None] = field(default_factory=list)  # when each record was created: the fallback date
    changed: dict[tuple[int, str], date] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)  # code → parent code (industries, disciplines)

    def __len__(self) -> int:
        return len(self.ids)


def _predicate(f: Field, op: str, value: Any, parents: dict[str, str]) -> Callable[[Any], bool]:
    if f.kind == "division":
        prefixes = tuple(_division_prefix(v) for v in (value if isinstance(value, list) else [value]))
        inside: Callable[[Any], bool] = lambda v: v.startswith(prefixes)  # noqa: E731
        return inside if op in ("eq", "in") else (lambda v: not inside(v))
    if f.kind == "code":
        wanted = set(value if isinstance(value, list) else [value])
        within: Callable[[Any], bool] = lambda v: v in wanted or parents.get(v) in wanted  # noqa: E731
        return within if op in ("eq", "in") else (lambda v: not within(v))
    if f.kind == "date":
        value = date.fromisoformat(value)
    if op == "in":
        members = set(value)
        return lambda v: v in members
    if op == "not_in":
        excluded = set(value)
        return lambda v: v not in excluded
    return {
        "eq": lambda v: v == value, "ne": lambda v: v != value, "gt": lambda v: v > value,
        "gte": lambda v: v >= value, "lt": lambda v: v < value, "lte": lambda v: v <= value,
    }[op]


def _division_prefix(code: str) -> str:
    """GB/T 2260: a city's code ends in 00 and its counties share its first four digits; a province's in 0000."""
    code = str(code)
    if len(code) == 6 and code.endswith("0000"):
        return code[:2]
    if len(code) == 6 and code.endswith("00"):
        return code[:4]
    return code


def states(conditions: Sequence[dict[str, Any]], columns: Columns) -> list[list[bool | None]]:
    """Per condition, per record: True passed, False failed, None data missing."""
    found = []
    for condition in conditions:
        f = FIELDS[columns.subject][condition["field"]]
        test = _predicate(f, condition["op"], condition["value"], columns.parents)
        found.append([None if v is None else test(v) for v in columns.values[f.name]])
    return found


@dataclass(frozen=True)
class Screened:
    eligible: list[int]  # row indexes into the columns
    incomplete: list[int]


def screen(conditions: Sequence[dict[str, Any]], columns: Columns) -> Screened:
    """The records every condition passed (eligible) and those none failed but some lacked data (incomplete).
    A policy without conditions finds everyone eligible."""
    per_condition = states(conditions, columns)
    if not per_condition:
        return Screened(list(range(len(columns))), [])
    eligible: list[int] = []
    incomplete: list[int] = []
    for row, outcome in enumerate(zip(*per_condition, strict=True)):
        if False in outcome:
            continue
        (incomplete if None in outcome else eligible).append(row)
    return Screened(eligible, incomplete)


@dataclass(frozen=True)
class Prepared:
    """A policy's conditions made ready for many records: each field, predicate and description once."""

    parts: list[tuple[Field, Callable[[Any], bool], str, str]]


def prepare(conditions: Sequence[dict[str, Any]], columns: Columns) -> Prepared:
    parts = []
    for condition in conditions:
        f = FIELDS[columns.subject][condition["field"]]
        parts.append((f, _predicate(f, condition["op"], condition["value"], columns.parents), str(f.label),
                      describe(columns.subject, condition)))
    return Prepared(parts)


def explain(conditions: Sequence[dict[str, Any]] | Prepared, columns: Columns, row: int) -> list[dict[str, Any]]:
    """Each condition for one record: the field (Chinese), the condition, the record's value, passed / failed /
    missing, and the date that value was last changed. Pass `prepare(conditions, columns)` for many records."""
    prepared = conditions if isinstance(conditions, Prepared) else prepare(conditions, columns)
    lines = []
    pk = columns.ids[row]
    entered = columns.entered[row] if columns.entered else None
    for f, test, label, text in prepared.parts:
        value = columns.values[f.name][row]
        state = "missing" if value is None else "passed" if test(value) else "failed"
        changed = columns.changed.get((pk, f.history)) or entered
        lines.append({
            "field": f.name, "label": label, "condition": text,
            "value": value_label(columns.subject, f, value.isoformat() if isinstance(value, date) else value),
            "state": state, "changed": changed.isoformat() if changed else "",
        })
    return lines

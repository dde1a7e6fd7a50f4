"""The columns of a registry's spreadsheet, derived from its edit form, and how a cell becomes a value.

The edit form already says which fields a user fills in, their Chinese labels, which are required
and how related records are chosen (by name, credit code, ID number); the template, the import
and the 说明 sheet are all read off it, so a field added to a form appears in all three.
"""

import datetime
import decimal
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yiti.core.export import FORMULA_PREFIXES
from yiti.core.lookups import LookupMultipleField
from yiti.core.masking import SENSITIVE_FIELDS
from yiti.core.models import CodeTable
from yiti.core.validators import name_the_field
from yiti.imports import matching

# How each kind is explained on the 说明 sheet.
KIND_HELP = {
    "text": gettext_noop("Text."),
    "year": gettext_noop("A year such as 2024; 0000 or blank means unknown."),
    "int": gettext_noop("A whole number."),
    "decimal": gettext_noop("A number; a trailing 万元 is allowed."),
    "date": gettext_noop("A date such as 2024-03-01 (2024/3/1 and 2024年3月1日 are read too)."),
    "bool": gettext_noop("是 or 否."),
    "choice": gettext_noop("One of the values in the dropdown."),
    "code": gettext_noop("A code or a name from the national code table (see the dropdown for the common ones)."),
    "codes": gettext_noop("Several values separated by 、"),
    "record": gettext_noop("The exact name (or credit code / ID number) of a record already in the platform."),
    "records": gettext_noop("Several names separated by 、"),
}
LIST_SPLIT = re.compile(r"[\n、；;，,]+")
TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "✓", "有", "对"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×", "✗", "无", "不"}
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\s.*)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_YEAR = re.compile(r"^(\d{4})(?:\.0+)?\s*年?$")


class CellError(Exception):
    """A cell that cannot be read; the message names the reason (the caller adds row and column)."""


@dataclass
class Column:
    name: str
    header: str
    kind: str
    required: bool
    model_field: models.Field | None
    help_text: str = ""
    # For choice / code / codes: the accepted values.
    dictionary: matching.Dictionary | None = None
    # For record / records: the related model, the queryset the user may pick from, the keys matched.
    queryset: Any = None
    natural_keys: tuple[str, ...] = ()
    headers: set[str] = field(default_factory=set)  # every header accepted for this column (normalised)
    form_field: forms.Field | None = None  # the edit form's field: its validators (length …) run on text cells

    @property
    def sensitive(self) -> bool:
        return self.name in SENSITIVE_FIELDS

    @property
    def multiline(self) -> bool:
        """A cell of several lines keeps them: a long text, or what the form takes on several lines (a policy's
        rules, one condition a line)."""
        return isinstance(self.model_field, models.TextField) or (
            self.form_field is not None and isinstance(self.form_field.widget, forms.Textarea))

    @property
    def related_model(self) -> type[models.Model] | None:
        return self.queryset.model if self.queryset is not None else None

    def dropdown(self) -> list[str]:
        """Values offered in the template's dropdown (code tables list names; huge lists are left out)."""
        if self.kind == "bool":
            return ["是", "否"]
        if self.kind == "choice" and self.dictionary:
            return self.dictionary.labels()
        return []

    def explain(self) -> str:
        parts = [_(KIND_HELP[self.kind])]
        if self.kind == "record" and self.natural_keys:
            parts.append(_("Matched on: %(keys)s.") % {"keys": "、".join(
                str(self.related_model._meta.get_field(k).verbose_name) for k in self.natural_keys)})  # type: ignore[union-attr]
        if self.sensitive:
            parts.append(_("Masked values such as 138****8000 leave the stored value unchanged."))
        if self.help_text:
            parts.append(str(self.help_text))
        return " ".join(parts)

    # ---- cell → value ---------------------------------------------------------------------
    def convert(self, text: str) -> Any:
        """The Python value of a non-empty cell, or CellError. Records are resolved later, in bulk."""
        text = unneutralise(text)
        kind = self.kind
        if kind == "text":
            if self.form_field is not None:
                # The form's own checks (its length limit above all), with the form's own words.
                try:
                    self.form_field.run_validators(text)
                except ValidationError as exc:
                    # Worded as the form words them: "简称最多 50 个字，现在有 60 个字。"
                    raise CellError("；".join(m for e in exc.error_list
                                             for m in name_the_field(e, self.header).messages)) from None
            return text
        if kind in {"year", "int", "decimal", "date", "choice", "code"} and matching.is_null_marker(text):
            return None
        if kind == "year":
            return parse_year(text)
        if kind == "int":
            try:
                number = decimal.Decimal(unicodedata.normalize("NFKC", text).replace(",", ""))
            except decimal.InvalidOperation:
                raise CellError(_("“%(value)s” is not a whole number.") % {"value": text}) from None
            if number != number.to_integral_value():
                raise CellError(_("“%(value)s” is not a whole number.") % {"value": text})
            return int(number)
        if kind == "decimal":
            return parse_decimal(text)
        if kind == "date":
            return parse_date(text)
        if kind == "bool":
            word = unicodedata.normalize("NFKC", text).strip().lower()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
            raise CellError(_("Write 是 or 否, not “%(value)s”.") % {"value": text})
        if kind in {"choice", "code"}:
            return self.lookup(text)
        if kind == "codes":
            values = [self.lookup(part) for part in split_list(text)]
            return [v for v in dict.fromkeys(values) if v is not None]
        if kind == "records":
            return split_list(text)
        return text  # "record": resolved in bulk by the planner

    def lookup(self, text: str) -> Any:
        assert self.dictionary is not None
        try:
            whole = self.dictionary.get(text)
            # "正高级、正高级": a single-valued column given the same value twice is fine.
            values = {whole} if whole is not None or self.kind == "codes" else {
                self.dictionary.get(part) for part in split_list(text)}
        except matching.Ambiguous as exc:
            raise CellError(_("“%(value)s” could mean %(candidates)s; write the code.")
                            % {"value": text, "candidates": "、".join(exc.candidates)}) from None
        if None in values:
            raise CellError(_("“%(value)s” is not a value of %(column)s.") % {"value": text, "column": self.header})
        if len(values) > 1:
            raise CellError(_("“%(value)s” holds several values; %(column)s takes one.")
                            % {"value": text, "column": self.header})
        return values.pop()


def unneutralise(text: str) -> str:
    """Undo the apostrophe our exports put before = + - @ so that a round trip changes nothing."""
    if len(text) > 1 and text[0] == "'" and text[1] in "".join(FORMULA_PREFIXES):
        return text[1:]
    return text


def split_list(text: str) -> list[str]:
    return [part.strip() for part in LIST_SPLIT.split(text) if part.strip()]


def parse_year(text: str) -> int | None:
    match = _YEAR.match(unicodedata.normalize("NFKC", text).strip())
    if not match:
        raise CellError(_("“%(value)s” is not a year.") % {"value": text})
    year = int(match.group(1))
    # Grant lists write 0000 for an unknown year: keep it unknown, never invent one.
    return None if year == 0 else year


def parse_decimal(text: str) -> decimal.Decimal:
    cleaned = unicodedata.normalize("NFKC", text).replace(",", "").strip()
    cleaned = re.sub(r"\s*(万元|万)$", "", cleaned)
    try:
        value = decimal.Decimal(cleaned)
    except decimal.InvalidOperation:
        raise CellError(_("“%(value)s” is not a number.") % {"value": text}) from None
    if not value.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": text})
    return value


def parse_date(text: str) -> datetime.date:
    cleaned = unicodedata.normalize("NFKC", text).strip()
    for pattern in _DATE_PATTERNS:
        if match := pattern.match(cleaned):
            try:
                return datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                break
    raise CellError(_("“%(value)s” is not a date; write it as 2024-03-01.") % {"value": text})


# ---- deriving the columns from a registry's form ---------------------------------------------

def _choice_dictionary(model_field: models.Field) -> matching.Dictionary:
    dictionary = matching.Dictionary()
    for value, label in model_field.flatchoices:
        with translation.override("zh-hans"):
            chinese = str(label)
        with translation.override("en"):
            english = str(label)
        # The TRL label "1 基本原理清晰" is also matched by its number and its name alone.
        extra = [chinese.split(" ", 1)[1]] if " " in chinese and chinese.split(" ", 1)[0] == str(value) else []
        dictionary.add(value, [chinese, str(value), *extra], strength=1, label=chinese)
        dictionary.add(value, [english], strength=0, label=chinese)
    for alias, target in matching.aliases().get(model_field.name, []):
        dictionary.alias(alias, target)
    return dictionary


def code_dictionary(model: type[CodeTable], name: str) -> matching.Dictionary:
    """Code, name, "code name" (as exported), short name (湖南 for 湖南省) and known aliases."""
    dictionary = matching.Dictionary()
    entries = list(model._default_manager.values_list("pk", "code", "name", "level"))
    # Stronger names first: an 一级学科 wins over a 门类 of the same name, a county over nothing.
    rank = {"discipline": 2, "county": 2, "division": 2, "city": 1, "category": 1, "section": 1, "province": 1}
    for pk, code, label, level in entries:
        dictionary.add(pk, [code, f"{code} {label}", f"{code}{label}"], strength=10, label=f"{label}")
        dictionary.add(pk, [label], strength=5 + rank.get(level, 0), label=label)
    for pk, _code, label, level in entries:
        dictionary.add(pk, matching.short_names(label, level), strength=3, label=label)
    for alias, target in matching.aliases().get(name, []):
        dictionary.alias(alias, target)
    return dictionary


def _record_keys(form_field: forms.Field, model: type[models.Model]) -> tuple[str, ...]:
    keys = getattr(form_field, "natural_keys", None)
    if keys:
        return tuple(keys)
    names = {f.name for f in model._meta.get_fields()}
    return tuple(k for k in ("code", "name", "username") if k in names)


def columns_for(registry: Any, user: Any) -> list[Column]:
    form = registry.form(user=user)
    model = registry.model
    columns: list[Column] = []
    for name, form_field in form.fields.items():
        try:
            model_field = model._meta.get_field(name)
        except Exception:  # a form-only field has no column
            continue
        header = str(form_field.label or model_field.verbose_name)
        # A field with a default (a need's status) may be left out of the file: new records get the default.
        required = bool(form_field.required) and not model_field.has_default()
        column = Column(name=name, header=header, kind="text", required=required,
                        model_field=model_field, help_text=str(form_field.help_text or ""), form_field=form_field)
        related = getattr(model_field, "related_model", None)
        if model_field.many_to_many:
            assert related is not None
            if isinstance(form_field, LookupMultipleField):
                column.kind, column.queryset = "records", form_field.queryset
                column.natural_keys = _record_keys(form_field, related)
            else:
                column.kind = "codes"
                column.dictionary = matching.Dictionary()
                for pk, *names in form_field.queryset.values_list("pk", *_record_keys(form_field, related)):
                    column.dictionary.add(pk, [str(n) for n in names], strength=1, label=str(names[-1]))
        elif related is not None and issubclass(related, CodeTable):
            column.kind = "code"
            column.dictionary = code_dictionary(related, related._meta.model_name or "")
        elif related is not None:
            column.kind, column.queryset = "record", form_field.queryset  # type: ignore[attr-defined]
            column.natural_keys = _record_keys(form_field, related)
        elif model_field.choices:
            column.kind = "choice"
            column.dictionary = _choice_dictionary(model_field)
        elif isinstance(model_field, models.BooleanField):
            column.kind = "bool"
        elif isinstance(model_field, models.DateField):
            column.kind = "date"
        elif isinstance(model_field, models.DecimalField):
            column.kind = "decimal"
        elif isinstance(model_field, models.IntegerField):
            column.kind = "year" if name.endswith("year") else "int"
        # Headers are matched in Chinese (as the template and the export write them); a file with other
        # headers is read with a column map.
        column.headers = {matching.norm(h) for h in (header, str(model_field.verbose_name))}
        columns.append(column)
    return columns

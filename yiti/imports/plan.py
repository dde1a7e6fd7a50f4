"""Whole-file validation: every row is read, checked and sorted into create / update / duplicate / error.

Nothing is written here. The plan is what the preview page shows and what `write.apply` carries out,
so the preview and the write can never disagree about a row.
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from yiti.core.access import home_division
from yiti.core.fields import blind_index_field, blind_index_for
from yiti.core.masking import mask
from yiti.core.validators import name_the_field
from yiti.imports import matching
from yiti.imports.columns import CellError, Column, columns_for
from yiti.imports.reader import ImportFileError, Table
from yiti.orgs.models import Organisation

CREATE, UPDATE, DUPLICATE, ERROR = "create", "update", "duplicate", "error"
NEW = "new"  # an org_choices value: create the organisation as written although a near name exists


def referred_message() -> str:
    """All a user is told about a row sent to the city office (跨区记录): the same words whatever the
    reason, so that the answer never tells whether an ID number or credit code exists outside their scope."""
    return _("This row needs to be checked by the city office.")


@dataclass
class Row:
    number: int                      # the spreadsheet's row number, as the office sees it
    cells: list[str]
    values: dict[str, Any] = field(default_factory=dict)   # field name → value (records as pk)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column header, reason)
    notes: list[str] = field(default_factory=list)         # values kept in the notes field (lenient mode)
    action: str = ""
    target: int | None = None        # the existing record an update or duplicate goes to
    duplicate_of: int | None = None  # row number of the first row of an in-file duplicate group
    duplicate_kind: str = ""         # "exact" or "near"
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    new_records: dict[str, str] = field(default_factory=dict)  # field → name of an organisation to create
    instance: Any = None             # the new record as validated, written as it is
    keys: list | None = None         # natural keys, computed once
    referred_to: list[int] = field(default_factory=list)  # records outside the scope it matched (跨区记录)

    def error(self, column: str, reason: str) -> None:
        self.errors.append((column, reason))


@dataclass
class Plan:
    registry: Any
    columns: list[Column]
    mapped: dict[int, Column]        # file column index → column
    ignored: list[str]               # headers of the file that are not imported
    rows: list[Row]
    options: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    new_organisations: dict[str, list[int]] = field(default_factory=dict)  # name → row numbers
    # Names that nearly match existing organisations (協和/协和, 有限责任公司/有限公司): name as written →
    # {"rows": [row numbers], "choices": [(pk, name)]}; the user picks one or confirms a new organisation.
    near_organisations: dict[str, dict[str, Any]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        tally = {CREATE: 0, UPDATE: 0, DUPLICATE: 0, ERROR: 0}
        for row in self.rows:
            tally[row.action] += 1
        unchanged = sum(1 for r in self.rows if r.action == UPDATE and not r.changes and not r.notes)
        return {"rows": len(self.rows), "created": tally[CREATE], "updated": tally[UPDATE],
                "duplicates": tally[DUPLICATE], "errors": tally[ERROR], "unchanged": unchanged}

    def by_action(self, action: str) -> list[Row]:
        return [r for r in self.rows if r.action == action]


class PlanError(ImportFileError):
    """The file as a whole cannot be imported (a required column is missing …)."""


def map_headers(columns: list[Column], headers: list[str], mapping: dict[str, str]) -> tuple[dict[int, Column], list[str]]:
    """File column index → column; `mapping` renames source headers to template headers first."""
    # A source mapped to nothing ("category=") is left out.
    renamed = {matching.norm(src): matching.norm(dst) or "-" for src, dst in mapping.items()}
    unknown_targets = [dst for dst in mapping.values()
                       if dst and not any(matching.norm(dst) in c.headers for c in columns)]
    if unknown_targets:
        raise PlanError(_("The column map names columns this registry does not have: %(names)s. Its columns are: %(all)s.")
                        % {"names": "、".join(unknown_targets), "all": "、".join(c.header for c in columns)},
                        code="map")
    mapped: dict[int, Column] = {}
    ignored: list[str] = []
    for index, header in enumerate(headers):
        key = matching.norm(header)
        key = renamed.get(key, key)
        column = next((c for c in columns if key and key in c.headers), None)
        if column is None or column in mapped.values():
            if header:
                ignored.append(header)
            continue
        mapped[index] = column
    missing = [c.header for c in columns if c.required and c not in mapped.values()]
    if missing:
        raise PlanError(_("The file lacks required columns: %(names)s. Download the template to see every column.")
                        % {"names": "、".join(missing)}, code="missing_column")
    return mapped, ignored


def _home_county(registry: Any, user: Any, columns: list[Column], mapped: dict[int, Column]) -> tuple[Column, str] | None:
    """(division column, the user's county) when a county-scoped officer's file has no division column."""
    county = home_division(user)
    if county is None:
        return None
    field = registry.division_path
    column = next((c for c in columns if c.name == field), None)
    if column is None or column in mapped.values():
        return None
    return column, county.name


def build(registry: Any, table: Table, user: Any, *, mapping: dict[str, str] | None = None,
          constants: dict[str, str] | None = None, lenient: bool = False, create_missing: bool = True,
          org_choices: dict[str, int | str] | None = None, progress: Callable[[int], None] | None = None) -> Plan:
    columns = columns_for(registry, user)
    headers, cells_rows = list(table.headers), [list(r) for r in table.rows]
    # Constant columns (`--set 成果类型=科研项目`) are appended as if the file had them.
    for header, value in (constants or {}).items():
        headers.append(header)
        for cells in cells_rows:
            cells.append(value)
    mapped, ignored = map_headers(columns, headers, mapping or {})
    home = _home_county(registry, user, columns, mapped)
    if home:
        # A county officer's file rarely names the county: the records are theirs, as on the add form.
        column, value = home
        headers.append(column.header)
        for cells in cells_rows:
            cells.append(value)
        mapped[len(headers) - 1] = column
    plan = Plan(registry=registry, columns=columns, mapped=mapped, ignored=ignored,
                rows=[Row(number=n, cells=c) for n, c in zip(table.row_numbers, cells_rows, strict=True)],
                options={"lenient": lenient, "create_missing": create_missing, "org_choices": org_choices or {}},
                warnings=list(table.warnings))
    _read_cells(plan, progress)
    _resolve_records(plan, user)
    existing = _match_existing(plan, user)
    _validate(plan, existing)
    _find_duplicates_in_file(plan)
    _changes(plan, existing)
    for row in plan.rows:
        if row.errors:
            row.action = ERROR
        elif not row.action:
            row.action = UPDATE if row.target else CREATE
    plan.new_organisations = _new_organisations(plan)
    return plan


def _read_cells(plan: Plan, progress: Callable[[int], None] | None = None) -> None:
    lenient = plan.options["lenient"]
    # Lists repeat the same organisation, discipline and title level thousands of times: read each once.
    cache: dict[tuple[str, str], tuple[bool, Any]] = {}
    for count, row in enumerate(plan.rows, start=1):
        if progress and count % 2000 == 0:
            progress(count)
        for index, column in plan.mapped.items():
            text = row.cells[index].strip() if index < len(row.cells) else ""
            if column.kind == "text" and "\n" in text and not column.multiline:
                # "李佃来\n李佃来\n李佃来": a value repeated on several lines of one cell is one value.
                lines = list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))
                text = lines[0] if len(lines) == 1 else " ".join(lines)
            if not text:
                if column.required:
                    row.error(column.header, _("This column is required."))
                continue
            found = cache.get((column.name, text))
            if found is None:
                try:
                    found = (True, column.convert(text))
                except CellError as exc:
                    found = (False, str(exc))
                cache[(column.name, text)] = found
            ok, value = found
            if not ok:
                if lenient and not column.required:
                    row.notes.append(f"{column.header}: {text}")
                else:
                    row.error(column.header, value)
            elif value is None:  # "0000", "无": unknown, as if the cell were empty
                if column.required:
                    row.error(column.header, _("This column is required."))
            else:
                row.values[column.name] = list(value) if isinstance(value, list) else value


# ---- related records, resolved in bulk ------------------------------------------------------

class RecordIndex:
    """Names (and other natural keys) of the records a user may pick, loaded once per column."""

    def __init__(self, column: Column, texts: set[str], queryset: Any = None):
        self.model = column.related_model
        self.by_key: dict[str, set[int]] = defaultdict(set)
        self.org_of: dict[int, int | None] = {}
        # Organisations only: org_key → pks and pk → name, for "did you mean" (see matching.org_key).
        self.near: dict[str, set[int]] = defaultdict(set)
        self.names: dict[int, str] = {}
        queryset = column.queryset if queryset is None else queryset
        is_org = self.model is Organisation
        has_org = any(f.name == "organisation" for f in self.model._meta.get_fields())  # type: ignore[union-attr]
        for key in column.natural_keys:
            hashed = blind_index_field(self.model, key)  # type: ignore[arg-type]
            if hashed:
                # An encrypted key (ID number) can only be matched exactly, through its keyed hash.
                digests = {blind_index_for(t): t for t in texts}  # the hash normalises width and case itself
                found = queryset.filter(**{f"{hashed}__in": [d for d in digests if d]})
                for pk, digest in found.values_list("pk", hashed):
                    self.by_key[matching.norm(digests[digest])].add(pk)
                continue
            # Every name the user may pick, compared normalised: "中国地质大学(武汉)" in the file finds
            # "中国地质大学（武汉）" in the platform (300,000 talents load in about a second).
            fields = ["pk", key, *(["organisation_id"] if has_org else [])]
            for values in queryset.exclude(**{key: ""}).values_list(*fields).iterator(chunk_size=5000):
                self.by_key[matching.norm(str(values[1]))].add(values[0])
                if is_org and key == "name":
                    self.near[matching.org_key(values[1])].add(values[0])
                    self.names[values[0]] = values[1]
                if has_org:
                    self.org_of[values[0]] = values[2]

    def find(self, text: str, organisation: int | None) -> tuple[int | None, str]:
        """(pk, "") or (None, reason)."""
        text = text.strip()
        # "张三（山西大学）" as our exports write a talent: the name before the bracket.
        name = re.split(r"[（(]", text, maxsplit=1)[0]
        candidates = set(self.by_key.get(matching.norm(text), set())) or set(
            self.by_key.get(matching.norm(name), set()))
        if len(candidates) > 1 and self.org_of:
            # Two 张伟: the one at the row's organisation (or the one named in brackets) is meant.
            if organisation:
                candidates = {pk for pk in candidates if self.org_of.get(pk) == organisation} or candidates
        if not candidates:
            return None, _("No %(model)s named “%(value)s” was found.") % {
                "model": self.model._meta.verbose_name, "value": text}  # type: ignore[union-attr]
        if len(candidates) > 1:
            return None, _("Several %(model)s are named “%(value)s”; give the ID number or the organisation.") % {
                "model": self.model._meta.verbose_name, "value": text}  # type: ignore[union-attr]
        return candidates.pop(), ""

    def nearly(self, text: str) -> list[tuple[int, str]]:
        """Organisations whose names differ from `text` only in script, punctuation, width or legal form."""
        return sorted((pk, self.names[pk]) for pk in self.near.get(matching.org_key(text), ()))


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _row_organisation(plan: Plan, row: Row) -> int | None:
    for column in plan.mapped.values():
        if column.kind == "record" and column.related_model is Organisation:
            value = row.values.get(column.name)
            if isinstance(value, int):
                return value
    return None


def _resolve_records(plan: Plan, user: Any) -> None:
    lenient, create_missing = plan.options["lenient"], plan.options["create_missing"]
    # Organisations first: a talent named in the same row is looked for at that organisation.
    ordered = sorted((c for c in plan.mapped.values() if c.kind in {"record", "records"}),
                     key=lambda c: c.related_model is not Organisation)
    may_add = _may_add(user, Organisation)
    may_add_orgs = create_missing and may_add
    for column in ordered:
        texts: set[str] = set()
        for row in plan.rows:
            value = row.values.get(column.name)
            if isinstance(value, str):
                texts.add(value)
            elif isinstance(value, list):
                texts.update(value)
        if not texts:
            continue
        index = RecordIndex(column, texts)
        everywhere: RecordIndex | None = None  # organisations outside the user's scope, loaded if needed
        for row in plan.rows:
            value = row.values.get(column.name)
            if value is None:
                continue
            organisation = _row_organisation(plan, row)
            parts = value if isinstance(value, list) else [value]
            found: list[int] = []
            for part in parts:
                pk, reason = index.find(part, organisation)
                if pk is None and column.related_model is Organisation and not index.by_key.get(matching.norm(part)):
                    # A talent may work at an enterprise of another county: the row links to that
                    # organisation (never creates a second one of the same name). Organisations are
                    # public bodies, so naming one outside the scope tells nothing about a person.
                    if everywhere is None:
                        kinds: Any = getattr(column.model_field, "get_limit_choices_to", dict)() or {}
                        everywhere = RecordIndex(column, texts, queryset=Organisation.objects.complex_filter(kinds))
                    if everywhere.by_key.get(matching.norm(part)):
                        pk, reason = everywhere.find(part, None)
                # not found (rather than ambiguous), in the scope or outside it
                missing = not index.by_key.get(matching.norm(part)) and not (
                    everywhere and everywhere.by_key.get(matching.norm(part)))
                near = index.nearly(part) if missing and column.related_model is Organisation else []
                choice = plan.options["org_choices"].get(matching.norm(part)) if near else None
                if pk is not None:
                    found.append(pk)
                elif choice in {p for p, _name in near}:
                    found.append(choice)  # the user picked this existing organisation for the name
                elif (column.kind == "record" and column.related_model is Organisation and missing
                      and (choice == NEW and may_add if near else may_add_orgs)):
                    row.new_records[column.name] = part.strip()  # created as written; matched normalised
                elif near:
                    listed = plan.near_organisations.setdefault(part.strip(), {
                        "rows": [], "choices": near, "may_create": may_add and column.kind == "record"})
                    listed["rows"].append(row.number)
                    row.error(column.header, _("No organisation is named exactly “%(value)s”. Did you mean %(names)s? "
                                               "Choose on this page whether to use it or to create a new one.")
                              % {"value": part.strip(), "names": "、".join(f"“{n}”" for _p, n in near)})
                elif (column.related_model is Organisation and missing and may_add and not create_missing
                      and not (lenient and not column.required)):
                    row.error(column.header, _("No organisation named “%(value)s” was found. Add it first, or upload "
                                               "again with “create organisations” ticked.") % {"value": part.strip()})
                elif lenient and not column.required:
                    row.notes.append(f"{column.header}: {part}")
                else:
                    row.error(column.header, reason)
            if column.kind == "record":
                row.values[column.name] = found[0] if found else None
            else:
                row.values[column.name] = list(dict.fromkeys(found))


def _may_add(user: Any, model: type[models.Model]) -> bool:
    from yiti.core.access import user_may

    return user_may(user, model, "add")


def _new_organisations(plan: Plan) -> dict[str, list[int]]:
    """Name (as first written) → rows; "大学（华东）" and "大学(华东)" are one organisation."""
    first: dict[str, str] = {}
    names: dict[str, list[int]] = defaultdict(list)
    for row in plan.rows:
        if row.action in {CREATE, UPDATE, DUPLICATE}:
            for name in row.new_records.values():
                names[first.setdefault(matching.norm(name), name)].append(row.number)
    return dict(names)


# ---- natural keys: existing records and duplicates ------------------------------------------

OPTIONAL = "?"  # a key part named "year?" may be empty: empty then matches empty
EMPTY = "∅"


def _key_part(value: Any, optional: bool = False) -> str:
    if value in (None, "", []):
        return EMPTY if optional else ""
    return matching.norm(str(value))


def _field(part: str) -> str:
    return part.rstrip(OPTIONAL)


def row_keys(plan: Plan, row: Row) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """The row's natural keys, normalised; a key with an empty part does not count."""
    if row.keys is not None:
        return row.keys
    keys: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    for key in plan.registry.imports.keys:
        parts: list[str] = []
        for part in key:
            name = _field(part)
            if name in row.new_records:
                parts.append("new:" + matching.norm(row.new_records[name]))
            else:
                parts.append(_key_part(row.values.get(name), part.endswith(OPTIONAL)))
        if all(parts):
            keys.append((key, tuple(parts)))
    row.keys = keys
    return keys


def _match_existing(plan: Plan, user: Any) -> dict[int, models.Model]:
    """Point rows at the records they update; returns those records (in scope) by pk."""
    model = plan.registry.model
    manager = model._default_manager
    targets: dict[int, set[int]] = defaultdict(set)
    for key in plan.registry.imports.keys:
        wanted: dict[tuple[str, ...], list[Row]] = defaultdict(list)
        for row in plan.rows:
            for k, parts in row_keys(plan, row):
                if k == key:
                    wanted[parts].append(row)
        if not wanted:
            continue
        hashed = [blind_index_field(model, name) for name in key]
        if any(hashed):
            # An encrypted key (ID number) is found through its keyed hash.
            name = key[0]
            digests = {blind_index_for(str(rows[0].values[name])): rows for rows in wanted.values()}
            for pk, digest in manager.filter(**{f"{hashed[0]}__in": [d for d in digests if d]}).values_list(
                    "pk", hashed[0]):
                for row in digests[digest]:
                    targets[row.number].add(pk)
            continue
        # Candidates by the first part's raw values, then compared on normalised keys.
        first = key[0]
        raw = {row.values.get(first) for rows in wanted.values() for row in rows}
        raw |= {unicodedata.normalize("NFKC", v).strip() for v in raw if isinstance(v, str)}
        raw.discard(None)
        column = f"{first}_id" if isinstance(model._meta.get_field(first), models.ForeignKey) else first
        fields = [f"{n}_id" if isinstance(model._meta.get_field(n), models.ForeignKey) else n
                  for n in map(_field, key)]
        optional = [part.endswith(OPTIONAL) for part in key]
        for chunk in _chunks(sorted(raw, key=str), 500):
            for pk, *values in manager.filter(**{f"{column}__in": chunk}).values_list("pk", *fields):
                parts = tuple(_key_part(v, o) for v, o in zip(values, optional, strict=True))
                for row in wanted.get(parts, []):
                    targets[row.number].add(pk)
    if not targets:
        return {}
    in_scope = set(model._default_manager.restrict(user, "change").filter(
        pk__in={pk for pks in targets.values() for pk in pks}).values_list("pk", flat=True))
    existing = manager.in_bulk({pk for pks in targets.values() for pk in pks if pk in in_scope})
    for row in plan.rows:
        pks = targets.get(row.number)
        if not pks:
            continue
        if pks - in_scope:
            # A record outside the user's scope matches: the city office decides (跨区记录).
            row.referred_to = sorted(pks)
            row.error("", referred_message())
            continue
        if len(pks) > 1:
            row.error("", _("The row matches %(n)d existing records; merge them first.") % {"n": len(pks)})
            continue
        row.target = next(iter(pks))
    return existing


def _validate(plan: Plan, existing: dict[int, models.Model]) -> None:
    """Model rules (check digits, ranges, cross-field rules) on the record each row would produce."""
    model = plan.registry.model
    imported = {c.name for c in plan.mapped.values()}
    m2m = {c.name for c in plan.columns if c.kind in {"codes", "records"}}
    by_name = {c.name: c for c in plan.columns}
    notes_field = plan.registry.imports.notes_field
    for row in plan.rows:
        if row.errors:
            continue
        current = existing.get(row.target) if row.target else None
        instance = model(**{f.attname: getattr(current, f.attname) for f in model._meta.concrete_fields}) \
            if current else model()
        for name, value in row.values.items():
            if name in m2m:
                continue
            column = by_name[name]
            if column.sensitive and isinstance(value, str) and "*" in value:
                # A masked value from an export: keep what is stored, refuse anything else.
                if current is not None and mask(name, getattr(current, name) or "") == value:
                    continue
                row.error(column.header, _("“%(value)s” is masked; enter the full value or leave it empty.")
                          % {"value": value})
                continue
            attname = model._meta.get_field(name).attname
            setattr(instance, attname, value)
        if row.errors:
            continue
        if notes_field and row.notes:
            previous = getattr(instance, notes_field) or ""
            kept = _("Values not recognised on import: %(values)s") % {"values": "；".join(row.notes)}
            if kept not in previous:
                setattr(instance, notes_field, f"{previous}\n{kept}".strip())
        exclude = [f.name for f in model._meta.fields if f.is_relation] + [
            f.name for f in model._meta.fields if f.name not in imported and current is None and f.name != notes_field]
        try:
            instance.clean_fields(exclude=exclude)
            instance.clean()
        except ValidationError as exc:
            by_field = exc.error_dict if hasattr(exc, "error_dict") else {"": exc.error_list}
            for name, errors in by_field.items():
                header = by_name[name].header if name in by_name else ""
                for error in errors:
                    # The same words as the edit form ("名称最多 200 个字，现在有 10000 个字").
                    row.error(header, " ".join(name_the_field(error, header).messages))
            continue
        if plan.registry.imports.check:
            for name, message in plan.registry.imports.check(row.values).items():
                row.error(by_name[name].header if name in by_name else "", message)
            if row.errors:
                continue
        # The cleaned values (e.g. an ID number in upper case) are what gets written.
        for name in list(row.values):
            if name not in m2m:
                row.values[name] = getattr(instance, model._meta.get_field(name).attname)
        if notes_field and row.notes:
            row.values[notes_field] = getattr(instance, notes_field)
        if current is None:
            row.instance = instance


def _find_duplicates_in_file(plan: Plan) -> None:
    """Rows that agree on a natural key (after normalisation) are one record; the first one survives."""
    first_by_key: dict[tuple, Row] = {}
    first_by_target: dict[int, Row] = {}
    for row in plan.rows:
        if row.errors:
            continue
        survivor = first_by_target.get(row.target) if row.target else None
        if survivor is None:
            for key in row_keys(plan, row):
                if key in first_by_key:
                    survivor = first_by_key[key]
                    break
        if survivor is None:
            for key in row_keys(plan, row):
                first_by_key.setdefault(key, row)
            if row.target:
                first_by_target[row.target] = row
            continue
        row.action = DUPLICATE
        row.duplicate_of = survivor.number
        row.target = survivor.target
        same = [c for c in row.cells] == [c for c in survivor.cells]
        row.duplicate_kind = "exact" if same else "near"
        # The survivor takes what it lacks from its duplicates, so no value is lost.
        for name, value in row.values.items():
            if survivor.values.get(name) in (None, "", []) and value not in (None, "", []):
                survivor.values[name] = value
            elif isinstance(value, list):
                survivor.values[name] = list(dict.fromkeys([*survivor.values.get(name, []), *value]))
        for name, org in row.new_records.items():
            survivor.new_records.setdefault(name, org)


def _changes(plan: Plan, existing: dict[int, models.Model]) -> None:
    """What each update would change, after its duplicates have filled it in; unchanged rows write nothing."""
    model = plan.registry.model
    m2m = {c.name for c in plan.columns if c.kind in {"codes", "records"}}
    for row in plan.rows:
        current = existing.get(row.target) if row.target and row.action != DUPLICATE else None
        if current is None or row.errors:
            continue
        for name, value in row.values.items():
            if name in m2m:
                before = set(getattr(current, name).values_list("pk", flat=True))
                if set(value) - before:
                    row.changes[name] = (sorted(before), sorted(before | set(value)))
                continue
            old = getattr(current, model._meta.get_field(name).attname)
            if old != value:
                row.changes[name] = (old, value)
        for name in row.new_records:
            row.changes[name] = (getattr(current, model._meta.get_field(name).attname), None)

"""Table helpers shared by every registry list."""

import inspect
from functools import partialmethod
from typing import Any

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.forms.utils import flatatt
from django.template import Context
from django.template.base import render_value_in_context
from django.templatetags.l10n import localize as localize_filter
from django.templatetags.l10n import unlocalize as unlocalize_filter
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tables2.columns import library
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.columns.manytomanycolumn import ManyToManyColumn
from django_tables2.utils import A, signature

from yiti.core.masking import mask

# Model fields whose values are short (a date, a status, a code, a number): their cells never wrap,
# so "2027-03-05" and "已签约" stay on one line however narrow the other columns make the table.
SHORT_FIELDS = (models.DateField, models.BooleanField, models.IntegerField, models.DecimalField, models.FloatField)
SHORT_NAMES = {"credit_code", "mobile", "phone", "code", "division", "select", "actions"}


class ActionsColumn(tables.Column):
    """操作: 查看 always; 编辑 and 删除 when the user may take that action on this very record.

    The list view sets `table.may_change` / `table.may_delete` to the set of the page's records the
    user may change / delete (None: all of them), found with one query per action for the whole page.
    Rendered with plain string operations: it runs for every row of every list page.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("verbose_name", _("Actions"))
        super().__init__(accessor="pk", orderable=False, empty_values=(), **kwargs)

    def render(self, record: Any, table: Any) -> SafeString:
        links = table.row_links()
        pk = str(record.pk)
        html = [f'<a href="{links["view"].replace(URL_PK, pk)}" class="yiti-op">{links["view_label"]}</a>']
        for action, allowed in (("edit", table.may_change), ("delete", table.may_delete)):
            if action in links and (allowed is None or record.pk in allowed):
                css = " text-danger" if action == "delete" else ""
                html.append(f'<a href="{links[action].replace(URL_PK, pk)}" class="yiti-op{css}">'
                            f'{links[action + "_label"]}</a>')
        return mark_safe(" ".join(html))  # URLs from reverse(), integer pks, escaped labels


class SelectColumn(tables.CheckBoxColumn):
    """Row checkboxes for the batch actions (批量导出/删除/修改状态); the header box selects the page."""

    def __init__(self, **kwargs: Any) -> None:
        attrs = {"th__input": {"class": "form-check-input yiti-select-all", "aria-label": _("Select all rows on this page")}}
        super().__init__(accessor="pk", attrs=attrs, **kwargs)

    def render(self, value: Any, table: Any) -> SafeString:
        return mark_safe(  # an integer pk
            f'<input type="checkbox" name="pk" value="{int(value)}" class="form-check-input yiti-select" '
            f'form="batch-form" aria-label="{table.select_label}">'
        )


# A stand-in primary key: the row links are reversed once per page and this is replaced by each row's pk.
URL_PK = "2147483647"


class RegistryTable(tables.Table):
    """Base of every registry table: Bootstrap look, Chinese empty text.

    A list page passes `batch=True` to show the row checkboxes and the 操作 column; detail pages'
    related sections and the audit tables leave them out.
    """

    select = SelectColumn()
    actions = ActionsColumn()

    class Meta:
        attrs = {"class": "table table-vcenter table-hover card-table table-sm"}
        empty_text = _("No records match.")
        template_name = "core/table.html"
        sequence = ("select", "...", "actions")

    def __init__(self, *args: Any, batch: bool = False, **kwargs: Any) -> None:
        mark_short_columns(type(self))
        super().__init__(*args, **kwargs)
        self.may_change: set | None = set()
        self.may_delete: set | None = set()
        self._row_links: dict[str, str] | None = None
        self.select_label = escape(gettext("Select this row"))
        if not batch:
            self.columns.hide("select")
            self.columns.hide("actions")

    def row_links(self) -> dict[str, str]:
        """The 查看/编辑/删除 URLs with URL_PK for the pk, and their labels: worked out once per page."""
        if self._row_links is not None:
            return self._row_links
        meta = self._meta.model._meta
        links: dict[str, str] = {"view_label": escape(gettext("View")), "edit_label": escape(gettext("Edit")),
                                 "delete_label": escape(gettext("Delete"))}
        for action in ("detail", "edit", "delete"):
            try:
                url = reverse(f"{meta.app_label}:{meta.model_name}_{action}", args=[URL_PK])
            except NoReverseMatch:
                continue
            links["view" if action == "detail" else action] = escape(url)
        self._row_links = links
        return links


def mark_short_columns(table_class: type[tables.Table]) -> None:
    """Give the short columns of a table class (dates, statuses, codes, numbers, 操作) the class that keeps
    their cells on one line. Once per class: each table copies its columns from the class."""
    if "_short_columns" in table_class.__dict__:
        return
    found = set(SHORT_NAMES)
    model = table_class._meta.model
    for name, column in table_class.base_columns.items():
        if isinstance(column, tables.BooleanColumn | tables.DateColumn | tables.DateTimeColumn):
            found.add(name)
        if model is None:
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if isinstance(field, SHORT_FIELDS) or getattr(field, "choices", None):
            found.add(name)
    for name, column in table_class.base_columns.items():
        td = dict(column.attrs.get("td", column.attrs.get("cell", {})))
        if name in found and "text-nowrap" not in td.get("class", ""):
            td["class"] = (td.get("class", "") + " text-nowrap").strip()
            column.attrs = {**column.attrs, "td": td}
        # The cell's attributes as HTML, once per class rather than once per cell (core/table.html
        # uses it; django-tables2 would rebuild them for each of the page's cells). Attributes
        # computed per record keep the slow path.
        column.td_html = None if any(callable(v) for v in td.values()) else flatatt(td)
    table_class._short_columns = found


class MaskedColumn(tables.Column):
    """A personal-data column, always masked in lists (the detail page offers a logged reveal)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("orderable", False)
        super().__init__(*args, **kwargs)

    def render(self, value, record, table, bound_column):
        # A row seen only through the city-wide pool (the table's `in_scope` leaves it out) shows none of it.
        in_scope = getattr(table, "in_scope", None)
        if in_scope is not None and record.pk not in in_scope:
            return "—"
        return mask(bound_column.name, value)


# django-tables2's date columns render a one-line template that they compile again for every cell
# (two date columns: 50 compilations per page, about a tenth of a list page's time). These give
# the same text (the `date` filter's localised format, local time for a datetime) without it, and
# are registered last, so that tables pick them for date fields.
@library.register
class DateColumn(tables.DateColumn):
    empty_values = (None, "")  # a blank date shows the column's default (TemplateColumn renders every value)

    def __init__(self, format=None, short=True, *args, **kwargs):
        super().__init__(format, short, *args, **kwargs)
        self.format_name = format or ("SHORT_DATE_FORMAT" if short else "DATE_FORMAT")

    @classmethod
    def from_field(cls, field, **kwargs):
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            return cls(**kwargs)
        return None

    def render(self, value):
        return formats.date_format(value, self.format_name)


@library.register
class DateTimeColumn(tables.DateTimeColumn):
    empty_values = (None, "")

    def __init__(self, format=None, short=True, *args, **kwargs):
        super().__init__(format, short, *args, **kwargs)
        self.format_name = format or ("SHORT_DATETIME_FORMAT" if short else "DATETIME_FORMAT")

    def render(self, value):
        return formats.date_format(timezone.localtime(value) if timezone.is_aware(value) else value, self.format_name)


# --- Rows rendered in Python -----------------------------------------------------------------
#
# core/table.html rendered each cell through django-tables2's BoundRow.items() and a few template
# tags: per cell an Accessor built and walked twice, the model field looked up, inspect.signature()
# of the render method, and six template nodes — about half of a list page's time. `render_row` gives
# the same HTML, character for character (yiti/tests/test_table_rows.py compares it with the
# template), doing the per-column work once per table and the per-cell work in plain Python.

# The row block of core/table.html before rows were rendered here (kept for the comparison test).
ROW_TEMPLATE = (
    "\n  <tr {{ row.attrs.as_html }}>\n"
    "  {% for column, cell in row.items %}{% if column.column.td_html is None %}<td {{ column.attrs.td.as_html }}>"
    "{% else %}<td{{ column.column.td_html }}>{% endif %}{% if column.localize == None %}{{ cell }}"
    "{% else %}{% if column.localize %}{{ cell|localize }}{% else %}{{ cell|unlocalize }}{% endif %}{% endif %}"
    "</td>{% endfor %}\n  </tr>\n"
)

_CONTEXT = Context(autoescape=True)  # what {{ cell }} sees in core/table.html: autoescape on, no {% localize %}


class _ColumnPlan:
    """What django-tables2 works out for every cell of a column, worked out once per table."""

    def __init__(self, bound_column: Any) -> None:
        self.bound_column = bound_column
        column = bound_column.column
        self.accessor = A(bound_column.accessor)
        path, _sep, self.remainder = self.accessor.rpartition(self.accessor.SEPARATOR)
        self.penultimate = A(path)
        self.fields: dict[type, Any] = {}  # the model field behind the accessor, per record class
        self.choices: dict[tuple, dict | None] = {}  # its choices as a dict, per model class and field
        self.render = bound_column.render
        self.args, self.kwargs_name = signature(self.render)
        self.link = bound_column.link
        self.default = bound_column.default
        self.empty_values = column.empty_values
        self.many_to_many = isinstance(column, ManyToManyColumn)
        self.link_column = isinstance(column, BaseLinkColumn) and column.text is not None
        self.td_html = getattr(column, "td_html", None)
        self.localize = bound_column.localize

    def field(self, record: Any) -> Any:
        key = type(record)
        if key not in self.fields:
            try:
                self.fields[key] = self.accessor.get_field(record)
            except FieldDoesNotExist:
                self.fields[key] = None
        return self.fields[key]

    def display(self, penultimate: models.Model, field: Any) -> Any:
        """`penultimate.get_FOO_display()`: Django's builds a dict of the choices on every call; the
        dict is built once per table here, unless the model defines its own get_FOO_display."""
        key = (type(penultimate), field)
        if key not in self.choices:
            method = inspect.getattr_static(type(penultimate), f"get_{self.remainder}_display", None)
            django_display = models.Model._get_FIELD_display  # type: ignore[attr-defined]
            standard = isinstance(method, partialmethod) and method.func is django_display \
                and method.keywords.get("field") is field
            self.choices[key] = dict(make_hashable(field.flatchoices)) if standard else None
        choices = self.choices[key]
        if choices is None:
            return getattr(penultimate, f"get_{self.remainder}_display")()
        value = getattr(penultimate, field.attname)
        return force_str(choices.get(make_hashable(value), value), strings_only=True)

    def cell(self, row: Any) -> Any:
        """BoundRow.get_cell(name), without its per-cell lookups."""
        record = row.record
        value: Any = None
        remainder = self.remainder
        penultimate = self.penultimate.resolve(record, quiet=True)
        if isinstance(penultimate, models.Model):
            field = self.field(record)
            if field is not None and getattr(field, "choices", None) \
                    and getattr(penultimate, f"get_{remainder}_display", None):
                value = self.display(penultimate, field)
                remainder = None
        if remainder:
            try:
                value = self.accessor.resolve(record)
            except Exception:
                if self.link_column:
                    return self.call(row, None)
        if value in self.empty_values or (self.many_to_many and not value.exists()):
            return self.default
        return self.call(row, value)

    def call(self, row: Any, value: Any) -> Any:
        kwargs = {"value": value, "record": row.record, "column": self.bound_column.column,
                  "bound_column": self.bound_column, "bound_row": row, "table": row.table}
        if not self.kwargs_name:
            if any(arg not in kwargs for arg in self.args):
                content = None
            else:
                content = self.render(**{arg: kwargs[arg] for arg in self.args})
        else:
            content = self.render(**kwargs)
        return self.link(content, **kwargs) if self.link else content

    def td(self, cell: Any, row: Any) -> str:
        """The cell's opening tag and content, as core/table.html wrote them."""
        if self.td_html is None:
            self.bound_column.current_value = cell  # what callable attributes are given (BoundRow.items)
            self.bound_column.current_record = row.record
            opening = "<td " + render_value_in_context(self.bound_column.attrs["td"].as_html(), _CONTEXT) + ">"
        else:
            opening = "<td" + render_value_in_context(self.td_html, _CONTEXT) + ">"
        if self.localize is None:
            content = render_value_in_context(cell, _CONTEXT)
        else:
            content = render_value_in_context(localize_filter(cell) if self.localize else unlocalize_filter(cell),
                                              _CONTEXT)
        return opening + content + "</td>"


def render_row(row: Any) -> SafeString:
    """One row of a table as core/table.html's row block wrote it (see ROW_TEMPLATE)."""
    table = row.table
    plans = table.__dict__.get("_yiti_row_plans")
    if plans is None:
        plans = table._yiti_row_plans = [_ColumnPlan(column) for column in table.columns]
    html = ["\n  <tr ", render_value_in_context(row.attrs.as_html(), _CONTEXT), ">\n  "]
    for plan in plans:
        html.append(plan.td(plan.cell(row), row))
    html.append("\n  </tr>\n")
    return mark_safe("".join(html))  # every part escaped above, as the template escaped it

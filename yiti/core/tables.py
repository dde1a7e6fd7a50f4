"""Table helpers shared by every registry list."""

from typing import Any

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django_tables2.columns import library

from yiti.core.masking import mask

# Model fields whose values are short (a date, a status, a code, a number): their cells never wrap,
# so "2027-03-05" and "已签约" stay on one line however narrow the other columns make the table.
SHORT_FIELDS = (models.DateField, models.BooleanField, models.IntegerField, models.DecimalField, models.FloatField)
SHORT_NAMES = {"credit_code", "mobile", "phone", "code", "division", "select", "actions"}


class ActionsColumn(tables.Column):
    """操作: 查看 always; 编辑 and 删除 when the user may take that action on this very record.

    The list view sets `table.may_change` / `table.may_delete` to the set of the page's records the
    user may change / delete (None: all of them), found with one query per action for the whole page.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("verbose_name", _("Actions"))
        super().__init__(accessor="pk", orderable=False, empty_values=(), **kwargs)

    def render(self, record: Any, table: Any) -> str:
        meta = record._meta
        links = [(record.get_absolute_url(), "", _("View"))]
        for action, label, css in (("edit", _("Edit"), ""), ("delete", _("Delete"), " text-danger")):
            allowed: set | None = getattr(table, "may_change" if action == "edit" else "may_delete", set())
            if allowed is None or record.pk in allowed:
                try:
                    links.append((reverse(f"{meta.app_label}:{meta.model_name}_{action}", args=[record.pk]), css, label))
                except NoReverseMatch:
                    pass
        return format_html_join(" ", '<a href="{}" class="yiti-op{}">{}</a>', links)


class SelectColumn(tables.CheckBoxColumn):
    """Row checkboxes for the batch actions (批量导出/删除/修改状态); the header box selects the page."""

    def __init__(self, **kwargs: Any) -> None:
        attrs = {
            "th__input": {"class": "form-check-input yiti-select-all", "aria-label": _("Select all rows on this page")},
            "td__input": {"class": "form-check-input yiti-select", "form": "batch-form"},
        }
        super().__init__(accessor="pk", attrs=attrs, **kwargs)

    def render(self, value: Any, bound_column: Any, record: Any) -> str:
        return format_html(
            '<input type="checkbox" name="pk" value="{}" class="form-check-input yiti-select" form="batch-form" '
            'aria-label="{}">', value, _("Select %(name)s") % {"name": record},
        )


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
        super().__init__(*args, **kwargs)
        self.may_change: set | None = set()
        self.may_delete: set | None = set()
        if not batch:
            self.columns.hide("select")
            self.columns.hide("actions")

    def get_column_class_names(self, classes_set: set[str], bound_column: Any) -> set[str]:
        classes = super().get_column_class_names(classes_set, bound_column)
        if bound_column.name in self.short_columns():
            classes.add("text-nowrap")
        return classes

    @classmethod
    def short_columns(cls) -> set[str]:
        found = cls.__dict__.get("_short_columns")
        if found is None:
            found = set(SHORT_NAMES)
            model = cls._meta.model
            for name, column in cls.base_columns.items():
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
            cls._short_columns = found
        return found


class MaskedColumn(tables.Column):
    """A personal-data column, always masked in lists (the detail page offers a logged reveal)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("orderable", False)
        super().__init__(*args, **kwargs)

    def render(self, value, bound_column):
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

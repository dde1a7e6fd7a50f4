"""Table helpers shared by every registry list."""

import django_tables2 as tables
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django_tables2.columns import library

from yiti.core.masking import mask


class RegistryTable(tables.Table):
    """Base of every registry table: Bootstrap look, Chinese empty text."""

    class Meta:
        attrs = {"class": "table table-vcenter table-hover card-table table-sm"}
        empty_text = _("No records match.")
        template_name = "core/table.html"


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

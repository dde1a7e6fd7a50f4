"""Table helpers shared by every registry list."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

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

"""Table helpers shared by every registry list."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from yiti.core.masking import masked


class RegistryTable(tables.Table):
    """Base of every registry table: Bootstrap look, Chinese empty text."""

    class Meta:
        attrs = {"class": "table table-vcenter table-hover card-table table-sm"}
        empty_text = _("No records match.")
        template_name = "core/table.html"


class MaskedColumn(tables.Column):
    """A personal-data column shown masked unless the viewer may reveal it."""

    def __init__(self, kind: str, *args, **kwargs):
        self.kind = kind
        kwargs.setdefault("orderable", False)
        super().__init__(*args, **kwargs)

    def render(self, value, table):
        user = getattr(table.request, "user", None) if table.request else None
        return masked(self.kind, value, user)

"""{{ row|table_row }}: a table row rendered in Python (yiti.core.tables.render_row)."""

from django import template

from yiti.core.tables import render_row

register = template.Library()


@register.filter
def table_row(row):
    return render_row(row)

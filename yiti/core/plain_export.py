"""明文导出: the current filtered list with personal data unmasked, for roles that may reveal it.

A separate page from the ordinary (masked) export: it names the filter and the row count, asks for the
reason, and refuses beyond the user's rows left today. The export itself, its limit and its audit
entry are `yiti.core.export` (see docs/personal-data.md).
"""

import re

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_tables2 import RequestConfig

from yiti.core import export
from yiti.core.forms import style_widgets
from yiti.core.masking import may_reveal
from yiti.core.views import RegistryView, denied, filtered


class PlainExportForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the unmasked values are needed (e.g. the document or task that asks for them). "
                    "It is written to the audit trail."))
    format = forms.ChoiceField(label=_("File format"), choices=[("xlsx", "Excel (.xlsx)"), ("csv", "CSV")],
                               initial="xlsx", widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for the plain export."))
        return reason


def filter_summary(filterset) -> list[tuple[str, str]]:
    """The list filter as the user chose it: [(label, shown value)], for the page and the reviewer."""
    if not filterset.is_bound:
        return []
    summary = []
    for bound in filterset.form:
        value = bound.data  # as typed: value() would turn a lookup's id into its label with "#id"
        values = [str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v not in (None, "")]
        if not values:
            continue
        labels: dict[str, str] = {}
        field = bound.field
        if isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField) and field.queryset is not None:
            # Only the chosen records (a record filter may offer thousands), by id or by a lookup's "#id".
            pks = {v: pk for v in values if (pk := _chosen_pk(field, v))}
            # The field's queryset is the user's scope: no name from outside it is shown.
            names = {str(obj.pk): str(obj) for obj in field.queryset.filter(pk__in=list(pks.values()))}
            labels = {v: names[pk] for v, pk in pks.items() if pk in names}
        else:
            for key, label in getattr(field, "choices", ()):
                if isinstance(label, list | tuple):  # a group of choices
                    labels.update((str(k), str(v)) for k, v in label)
                else:
                    labels[str(key)] = str(label)
        summary.append((str(bound.label), "、".join(labels.get(v, v) for v in values)))
    return summary


def _chosen_pk(field, value: str) -> str | None:
    """The id a record filter's value names: a select sends the id, a lookup a name or "name #id"."""
    if hasattr(field, "natural_keys"):  # a lookup: only "#id" is an id
        found = re.search(r"#(\d{1,18})\s*$", value)
        return found.group(1) if found else None
    return value if value.isdigit() and len(value) <= 18 else None


class ObjectPlainExportView(RegistryView):
    template_name = "core/object_export_plain.html"

    def dispatch(self, request, *args, **kwargs):
        if not may_reveal(request.user):
            denied(request, "plain export")
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def records(self):
        # The user's own scope only: a record seen through the city-wide pool is never exported unmasked.
        filterset, qs = filtered(self.registry, self.request, pooled=False)
        table = self.registry.table(qs)
        RequestConfig(self.request, paginate=False).configure(table)  # the list's ?sort=
        return filterset, table.data.data

    def get(self, request):
        return self.page(PlainExportForm())

    def post(self, request):
        form = PlainExportForm(request.POST)
        if form.is_valid():
            _filterset, queryset = self.records()
            try:
                return export.export(request, queryset, list(self.registry.detail_fields),
                                     form.cleaned_data["format"], plain_reason=form.cleaned_data["reason"])
            except export.PlainExportRefused as refused:
                form.add_error(None, str(refused))
        return self.page(form)

    def page(self, form):
        filterset, queryset = self.records()
        query = self.request.GET.urlencode()
        base = self.base_context()
        count, left = queryset.count(), export.plain_rows_left(self.request.user)
        context = {
            **base,
            "form": form,
            "count": count,
            "left": left,
            # Said before the user writes a reason (once: a refused POST carries it as the form's error).
            "over_limit": export.over_limit_message(count, left)
            if count > left and not form.non_field_errors() else "",
            "limit": export.plain_rows_per_day(),
            "filters": filter_summary(filterset),
            "back_url": f"{base['list_url']}?{query}" if query else base["list_url"],
        }
        return render(self.request, self.template_name, context)

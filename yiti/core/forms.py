"""Form helpers shared by every registry: Bootstrap widget classes, HTML date inputs, scoped choices."""

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from yiti.core.access import RestrictedQuerySet
from yiti.core.concurrency import VersionedFormMixin


class FastSelect(forms.Select):
    """A select rendered in Python rather than one template per option.

    Code-table selects carry 100–150 options and appear several times on every list page;
    rendering each option through the template engine cost more than the page's queries.
    """

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        selected = {str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v not in (None, "")}
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})

        def options(choices: Any) -> SafeString:
            return format_html_join(
                "", '<option value="{}"{}>{}</option>',
                ((str(v), mark_safe(" selected") if str(v) in selected else "", label) for v, label in choices),
            )

        parts = []
        for group, label_or_choices in self.choices:
            if isinstance(label_or_choices, list | tuple):
                parts.append(format_html('<optgroup label="{}">{}</optgroup>', group, options(label_or_choices)))
            else:
                parts.append(options([(group, label_or_choices)]))
        return format_html("<select{}>{}</select>", flatatt(final_attrs), mark_safe("".join(parts)))


def style_widgets(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)
        if isinstance(widget, forms.DateInput):
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"


def errors_text(form: forms.BaseForm) -> str:
    """A form's errors as one line for a message: "日期: 请输入日期；摘要: 这个字段是必填项。"."""
    return "；".join(
        f"{form.fields[name].label if name in form.fields else ''}: {' '.join(str(e) for e in errors)}"
        for name, errors in form.errors.items()
    )


class RegistryForm(VersionedFormMixin, forms.ModelForm):
    """Base of every registry's edit form.

    Related-record choices are limited to what `user` may view, through the access layer; an edit
    carries the version it was loaded from (yiti.core.concurrency).
    """

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            qs = getattr(field, "queryset", None)
            if isinstance(qs, RestrictedQuerySet):
                field.queryset = qs.restrict(user, "view")
        style_widgets(self)

    def save_record(self):
        """Save the record; a registry whose creation has side effects overrides this with a service call."""
        record = self.save(commit=False)
        if record.pk is None:
            record.created_by = self.user
        record.save()
        self.save_m2m()
        return record

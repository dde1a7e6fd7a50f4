"""Form helpers shared by every registry: Bootstrap widget classes, HTML date inputs, scoped choices."""

from typing import Any

from django import forms
from django.core import validators
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from yiti.core.access import RestrictedQuerySet
from yiti.core.concurrency import VersionedFormMixin
from yiti.core.masking import SENSITIVE_FIELDS, mask


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


# A long text (description, notes, evidence) whose model field sets no limit: about seven pages. Without
# it a 10 MB paste was stored and every page and API answer showing the record grew to 10 MB. Every
# form calls style_widgets, and the import runs the form field's validators, so all use this limit.
TEXT_MAX_LENGTH = 10000


def limit_text(field: forms.Field) -> None:
    if type(field) is forms.CharField and field.max_length is None:
        field.max_length = TEXT_MAX_LENGTH
        field.validators.append(validators.MaxLengthValidator(TEXT_MAX_LENGTH))
        field.widget.attrs.setdefault("maxlength", str(TEXT_MAX_LENGTH))


def style_widgets(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        limit_text(field)
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


class MaskedSensitiveInput(forms.TextInput):
    """A personal-data input of an edit form: shows the stored value masked, never in plain.

    Sending the masked text back unchanged keeps the stored value; anything else replaces it. The
    plain value is seen only through the logged reveal on the detail page (docs/personal-data.md).
    """

    def __init__(self, stored: str, masked: str, attrs: dict[str, Any] | None = None):
        super().__init__({**(attrs or {}), "data-masked": "", "autocomplete": "off"})
        self.stored, self.masked = stored, masked

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        value = super().value_from_datadict(data, files, name)
        # Untouched: the stored value goes on to validation, so a masked text is never saved.
        return self.stored if isinstance(value, str) and value.strip() == self.masked else value

    def format_value(self, value: Any) -> str | None:
        # Both the first showing and a re-shown invalid form hold the stored value here: mask it.
        return self.masked if value is not None and str(value) == self.stored else super().format_value(value)


def mask_sensitive_inputs(form: forms.BaseModelForm) -> None:
    """Give every personal-data field of a record's edit form a MaskedSensitiveInput."""
    if form.instance.pk is None:
        return  # a new record has no stored value to hide
    for name, field in form.fields.items():
        stored = getattr(form.instance, name, None) if name in SENSITIVE_FIELDS else None
        if stored:
            field.widget = MaskedSensitiveInput(str(stored), mask(name, str(stored)), field.widget.attrs)
            field.widget.is_required = field.required
            if not field.help_text:
                field.help_text = _("Shown masked: leave it as it is to keep the stored value, or type a new one.")


class MaskedModelForm(forms.ModelForm):
    """A model form with masked personal-data inputs, for Django admin's pages of registry records."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mask_sensitive_inputs(self)


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
        mask_sensitive_inputs(self)
        style_widgets(self)

    def save_record(self):
        """Save the record; a registry whose creation has side effects overrides this with a service call."""
        record = self.save(commit=False)
        if record.pk is None:
            record.created_by = self.user
        record.save()
        self.save_m2m()
        return record

"""Form helpers shared by every registry: Bootstrap widget classes, HTML date inputs, scoped choices."""

from typing import Any

from django import forms
from django.core import validators
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from yiti.core.access import RestrictedQuerySet, home_division
from yiti.core.concurrency import VersionedFormMixin
from yiti.core.fields import blind_index_field, blind_index_for
from yiti.core.lookups import LookupField, LookupMultipleField
from yiti.core.masking import SENSITIVE_FIELDS, mask
from yiti.core.validators import name_the_field


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


class CheckboxGrid(forms.CheckboxSelectMultiple):
    """A multi-choice field as a grid of labelled checkboxes spanning the form's width.

    Django's checkbox list put Bootstrap's `form-check-input` on the list itself, which Bootstrap
    draws as a one-character box: the labels spilled over the fields below (issue 12).
    """

    template_name = "core/widgets/checkbox_grid.html"
    wide = True  # object_edit.html gives it a whole row


def style_widgets(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        limit_text(field)
        widget = field.widget
        if isinstance(widget, CheckboxGrid):
            widget.attrs.pop("class", None)  # the class goes on each box, in the template
            continue
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
    """A form's errors as one line for a message: "日期 2099-01-01 晚于今天…；内容摘要为必填项，请填写。".
    A message that does not start with its field's name gets it in front; links are left to the form."""
    parts = []
    for name, errors in form.errors.items():
        label = str(form.fields[name].label) if name in form.fields else ""
        for error in errors:
            text = strip_tags(str(error)).rstrip("。")
            parts.append(text if not label or text.startswith(label) else f"{label}：{text}")
    return "；".join(parts)


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


def unique_message(error: ValidationError, label, user) -> ValidationError:
    """"统一社会信用代码已存在：单位“XX有限公司”已使用这个值" with a link to that record — if the user
    may see it; a record outside the user's scope is not named (that would tell what exists there)."""
    params = error.params or {}
    instance, model = params.get("model"), params.get("model_class")
    check = params.get("unique_check") or ()
    if instance is None or model is None or not check:
        return error
    lookup = {}
    for name in check:
        value = getattr(instance, model._meta.get_field(name).attname)
        if index := blind_index_field(model, name):  # an encrypted value is found by its keyed hash
            lookup[index] = blind_index_for(value)
        else:
            lookup[name] = value
    others = model._default_manager.filter(**lookup)
    if instance.pk is not None:
        others = others.exclude(pk=instance.pk)
    kind = model._meta.verbose_name
    # Named only inside the scope: a unique value (an ID number) must not tell whose record in the pool holds it.
    visible = (others.restrict(user, "view", pooled=False).first()
               if user is not None and hasattr(others, "restrict") else None)
    if visible is None:
        return ValidationError(_("%(field)s already exists: another %(model)s outside your scope uses this value; "
                                 "ask the city office."), code="unique", params={"field": label, "model": kind})
    text = _("%(field)s already exists: the %(model)s “%(record)s” uses this value.") % {
        "field": label, "model": kind, "record": visible}
    url = getattr(visible, "get_absolute_url", None)
    message = format_html('{} <a href="{}">{}</a>', text, url(), _("Open it")) if url else text
    return ValidationError(message, code="unique")


class NamedErrorsMixin:
    """Every error of the form names its field in the user's words (yiti.core.validators.name_the_field),
    and a duplicate names and links the record that already has the value."""

    fields: dict[str, forms.Field]

    def _named(self, name, error: ValidationError) -> ValidationError:
        field = self.fields.get(name) if name else None
        if field is None:
            return error
        if error.code == "unique":
            return unique_message(error, field.label, getattr(self, "user", None))
        return name_the_field(error, field.label)

    def add_error(self, field, error):
        if not isinstance(error, ValidationError):
            error = ValidationError(error)
        if hasattr(error, "error_dict"):
            if field is None:
                error = ValidationError({name: [self._named(name, e) for e in errors]
                                         for name, errors in error.error_dict.items()})
        else:
            error = ValidationError([self._named(field, e) for e in error.error_list])
        super().add_error(field, error)


def prepare_lookups(form: forms.ModelForm) -> None:
    """Lookup fields of a model form: offer only the kinds the model field accepts (its
    limit_choices_to, also told to the suggestions endpoint), and keep the records the edited record
    points at now — even outside the user's scope — when the user leaves them unchanged."""
    meta = form._meta.model._meta
    for name, field in form.fields.items():
        if not isinstance(field, LookupField | LookupMultipleField):
            continue
        try:
            model_field = meta.get_field(name)
        except FieldDoesNotExist:
            continue
        field.set_limit(getattr(model_field, "get_limit_choices_to", dict)(),
                        f"{meta.app_label}.{meta.model_name}.{name}")
        if form.instance.pk is None:
            continue
        related = model_field.related_model._default_manager
        if model_field.many_to_many:
            field.keep(related.filter(pk__in=getattr(form.instance, name).values("pk")))
        elif (current := getattr(form.instance, model_field.attname)) is not None:
            field.keep([related.filter(pk=current).first()])


class RegistryForm(NamedErrorsMixin, VersionedFormMixin, forms.ModelForm):
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
        prepare_lookups(self)
        mask_sensitive_inputs(self)
        home = home_division(user) if self.instance.pk is None and not self.is_bound else None
        if home is not None and "division" in self.fields and not self.initial.get("division"):
            self.initial["division"] = home.pk  # a county officer's new record is most likely their county's
        for field in self.fields.values():
            multiple = isinstance(field.widget, forms.SelectMultiple | forms.CheckboxSelectMultiple)
            if multiple and not isinstance(field.widget, CheckboxGrid):
                # Every multi-choice field of a registry form (人才计划, …) is laid out the same way.
                field.widget = CheckboxGrid(attrs=field.widget.attrs, choices=field.widget.choices)
                field.widget.is_required = field.required
        style_widgets(self)

    def save_record(self):
        """Save the record; a registry whose creation has side effects overrides this with a service call."""
        record = self.save(commit=False)
        if record.pk is None:
            record.created_by = self.user
        record.save()
        self.save_m2m()
        return record

    def save_in_scope(self, action: str):
        """Save the record if it still lies in the user's scope afterwards, else roll back and return None: a county
        officer cannot move a record to another county, an enterprise contact cannot file a need for another firm.
        Called inside a transaction (the page's and the API's write path)."""
        record = self.save_record()
        if type(record).objects.restrict(self.user, action).filter(pk=record.pk).exists():
            return record
        transaction.set_rollback(True)
        return None

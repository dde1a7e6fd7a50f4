"""Choosing a related record in a form by typing its name, not by scrolling a 50,000-row select.

The input accepts an exact name (or another natural key such as a credit code), or the
`#id` that the suggestions carry; suggestions come from one endpoint that respects the access
layer. Without JavaScript the field still works: type the name and submit.
"""

import re

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yiti.core.access import user_may
from yiti.core.fields import blind_index_field, blind_index_for

# An id longer than 18 digits cannot exist (bigint) and would overflow the database driver.
_ID_SUFFIX = re.compile(r"#(\d{1,18})\s*$")
MAX_SUGGESTIONS = 20


def lookup_label(obj) -> str:
    label = getattr(obj, "lookup_label", None)
    return f"{label() if label else obj} #{obj.pk}"


class LookupInput(forms.TextInput):
    template_name = "core/widgets/lookup.html"

    def __init__(self, model_label: str, attrs=None):
        super().__init__(attrs)
        self.model_label = model_label

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["lookup_url"] = reverse("lookup", args=[self.model_label])
        context["widget"]["datalist_id"] = f"{attrs.get('id', name)}-suggestions"
        return context


def _find(queryset, text: str, natural_keys: tuple[str, ...]):
    text = text.strip()
    if not text or "\x00" in text:  # PostgreSQL refuses NUL in text; no record can match it
        return []
    if m := _ID_SUFFIX.search(text):
        return list(queryset.filter(pk=int(m.group(1)))[:2])
    cond = Q()
    for key in natural_keys:
        # An encrypted natural key (ID number) is matched through its keyed hash (yiti.core.fields).
        if index := blind_index_field(queryset.model, key):
            if digest := blind_index_for(text):  # never None: that would match every empty value
                cond |= Q(**{index: digest})
        else:
            cond |= Q(**{key: text})
    return list(queryset.filter(cond)[:2]) if cond else []


class LookupField(forms.ModelChoiceField):
    """A foreign key typed as text. `natural_keys` are the fields matched exactly."""

    default_error_messages = {
        "invalid_choice": _("No record named “%(value)s” was found; pick one of the suggestions."),
        "ambiguous": _("Several records are named “%(value)s”; pick one of the suggestions."),
    }

    def __init__(self, queryset, natural_keys=("name",), **kwargs):
        self.natural_keys = tuple(natural_keys)
        model = queryset.model
        kwargs.setdefault("widget", LookupInput(f"{model._meta.app_label}.{model._meta.model_name}"))
        super().__init__(queryset, **kwargs)

    def prepare_value(self, value):
        if hasattr(value, "_meta"):
            return lookup_label(value)
        if value in self.empty_values:
            return ""
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            obj = self.queryset.filter(pk=value).first()
            return lookup_label(obj) if obj else value
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        found = _find(self.queryset, str(value), self.natural_keys)
        if not found:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": value})
        if len(found) > 1:
            raise ValidationError(self.error_messages["ambiguous"], code="ambiguous", params={"value": value})
        return found[0]


class LookupMultipleField(forms.ModelMultipleChoiceField):
    """Several related records typed one per line (or separated by 、 ; ，)."""

    widget = forms.Textarea(attrs={"rows": 2})
    default_error_messages = {
        "invalid_choice": _("No record named “%(value)s” was found."),
        "ambiguous": _("Several records are named “%(value)s”; add its #id."),
    }

    def __init__(self, queryset, natural_keys=("name",), **kwargs):
        self.natural_keys = tuple(natural_keys)
        kwargs.setdefault("help_text", _("One per line, or separated by 、"))
        super().__init__(queryset, **kwargs)

    def prepare_value(self, value):
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        objs = [v if hasattr(v, "_meta") else None for v in value]
        if all(objs):
            return "\n".join(lookup_label(o) for o in objs)
        return "\n".join(lookup_label(o) for o in self.queryset.filter(pk__in=list(value)))

    def clean(self, value):
        if isinstance(value, list | tuple):
            value = "\n".join(str(v) for v in value)
        parts = [p.strip() for p in re.split(r"[\n、；;，,]+", value or "") if p.strip()]
        if not parts:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return self.queryset.none()
        chosen = []
        for part in parts:
            found = _find(self.queryset, part, self.natural_keys)
            if not found:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                      params={"value": part})
            if len(found) > 1:
                raise ValidationError(self.error_messages["ambiguous"], code="ambiguous",
                                      params={"value": part})
            chosen.append(found[0].pk)
        return self.queryset.filter(pk__in=chosen)

    def has_changed(self, initial, data):
        return True


def lookup(request, model_label: str):
    """Suggestions for a LookupInput: records whose name contains the typed text."""
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError):
        raise Http404 from None
    if not user_may(request.user, model, "view") or not hasattr(model, "lookup_search_fields"):
        raise Http404
    # The input sends its own field name; `q` is accepted for direct calls.
    text = (request.GET.get("q") or next(iter(request.GET.values()), "")).replace("\x00", "").strip()[:50]
    rows = []
    if text:
        cond = Q()
        for f in model.lookup_search_fields:
            cond |= Q(**{f"{f}__icontains": text})
        qs = model.objects.restrict(request.user, "view").filter(cond)
        rows = [lookup_label(o) for o in qs.select_related(*getattr(model, "lookup_select_related", ()))[
            :MAX_SUGGESTIONS]]
    return render(request, "core/widgets/lookup_options.html", {"options": rows})

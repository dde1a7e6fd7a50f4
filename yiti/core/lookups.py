"""Choosing a related record in a form by typing its name, not by scrolling a 50,000-row select.

The input shows and accepts a record's label: its name, with what tells records of the same name
apart (a talent's organisation, a need's enterprise) — never an internal id. It also accepts an
exact natural key (name, credit code, ID number) and, for links such as "view all", `#id`.
Suggestions come from one endpoint that respects the access layer and the field's limit (a need's
enterprise is an enterprise). Without JavaScript the field still works: type the name and submit.

A record the edited record already points at is kept when the user leaves it unchanged, even if it
lies outside the user's scope (a county's talent employed by a firm of another county): the user
sees its name and can save the talent; they cannot pick such a record themselves.
"""

import re
from typing import Any

from django import forms
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
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
_SPLIT = re.compile(r"[\n、；;，,]+")


def lookup_label(obj) -> str:
    """What the input shows for `obj`: the model's `lookup_label()` (name with what tells namesakes
    apart), else its name."""
    label = getattr(obj, "lookup_label", None)
    return label() if label else str(obj)


class LookupInput(forms.TextInput):
    template_name = "core/widgets/lookup.html"

    def __init__(self, model_label: str, attrs=None):
        super().__init__(attrs)
        self.model_label = model_label
        self.field_ref = ""  # "app.model.field" whose limit_choices_to the suggestions respect

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        url = reverse("lookup", args=[self.model_label])
        context["widget"]["lookup_url"] = f"{url}?field={self.field_ref}" if self.field_ref else url
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
    found = list(queryset.filter(cond)[:2]) if cond else []
    if len(found) != 1 and "（" in text and natural_keys:
        # A label from the suggestions, "王伟（太原理工大学）": the namesakes whose label is exactly this.
        base = text[: text.index("（")].strip()
        related = getattr(queryset.model, "lookup_select_related", ())
        namesakes = queryset.filter(**{natural_keys[0]: base}).select_related(*related)[:50]
        labelled = [o for o in namesakes if lookup_label(o) == text]
        if labelled:
            found = labelled[:2]
    return found


def describe_limit(model, limit) -> str:
    """The accepted kinds of a `limit_choices_to` dict in words ("企业"), for the wrong-kind message."""
    words = []
    for key, value in (limit.items() if isinstance(limit, dict) else ()):
        try:
            field = model._meta.get_field(key.split("__")[0])
        except FieldDoesNotExist:
            continue
        choices = dict(field.flatchoices or ())
        values = value if isinstance(value, list | tuple | set) else [value]
        words += [str(choices.get(v, v)) for v in values]
    return "、".join(words)


def kind_of(obj, limit) -> str:
    """The kind of `obj` in the terms of `limit` ("高校"), for the wrong-kind message."""
    for key in (limit if isinstance(limit, dict) else ()):
        name = key.split("__")[0]
        display = getattr(obj, f"get_{name}_display", None)
        if display:
            return str(display())
    return ""


class _Limited:
    """Shared by both lookup fields: the kept records, the kind limit and the wrong-kind message."""

    natural_keys: tuple[str, ...]
    queryset: Any
    widget: Any
    error_messages: dict[str, Any]
    limit: Any
    wider: Any

    def _setup(self, natural_keys) -> None:
        self.natural_keys = tuple(natural_keys)
        self.kept: list = []  # records the edited record points at now; kept when unchanged
        self.limit = None  # limit_choices_to of the model field, applied by RegistryForm (set_limit)
        self.wider = None  # the queryset before the limit: tells "wrong kind" from "not found"

    def set_limit(self, limit, field_ref: str) -> None:
        if not limit:
            return
        self.limit = limit
        self.wider = self.queryset
        self.queryset = self.queryset.complex_filter(limit)
        if isinstance(self.widget, LookupInput):
            self.widget.field_ref = field_ref

    def keep(self, records) -> None:
        self.kept = [r for r in records if r is not None]

    def _resolve(self, text: str):
        text = text.strip()
        for record in self.kept:
            if text in (lookup_label(record), str(record)):
                return record
        found = _find(self.queryset, text, self.natural_keys)
        if not found and self.wider is not None:
            other = _find(self.wider, text, self.natural_keys)
            if len(other) == 1:
                raise ValidationError(self.error_messages["wrong_kind"], code="wrong_kind", params={
                    "value": text, "kind": kind_of(other[0], self.limit),
                    "accepted": describe_limit(self.queryset.model, self.limit)})
        if not found:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": text})
        if len(found) > 1:
            raise ValidationError(self.error_messages["ambiguous"], code="ambiguous", params={"value": text})
        return found[0]

    def _label_of_text(self, text: str) -> str:
        """A `#id` (from a "view all" link) shown as the record's label, if the user may see it."""
        if m := _ID_SUFFIX.search(text):
            obj = self.queryset.filter(pk=int(m.group(1))).first()
            return lookup_label(obj) if obj else ""
        return text

    def _labels_of_pks(self, pks) -> list[str]:
        kept = {r.pk: r for r in self.kept}
        labels = [lookup_label(kept[pk]) for pk in pks if pk in kept]
        rest = [pk for pk in pks if pk not in kept]
        if rest:
            labels += [lookup_label(o) for o in self.queryset.filter(pk__in=rest)]
        return labels


class LookupField(_Limited, forms.ModelChoiceField):
    """A foreign key typed as text. `natural_keys` are the fields matched exactly."""

    default_error_messages = {
        "invalid_choice": _("No record named “%(value)s” was found; pick one of the suggestions."),
        "ambiguous": _("Several records are named “%(value)s”; pick one of the suggestions."),
        "wrong_kind": _("“%(value)s” is a %(kind)s; only %(accepted)s can be chosen here."),
    }

    def __init__(self, queryset, natural_keys=("name",), **kwargs):
        self._setup(natural_keys)
        model = queryset.model
        kwargs.setdefault("widget", LookupInput(f"{model._meta.app_label}.{model._meta.model_name}"))
        super().__init__(queryset, **kwargs)

    def prepare_value(self, value):
        if hasattr(value, "_meta"):
            return lookup_label(value)
        if value in self.empty_values:
            return ""
        if isinstance(value, int):  # the initial value: the record the edited record points at
            labels = self._labels_of_pks([value])
            return labels[0] if labels else ""  # never a bare id
        return self._label_of_text(str(value))

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return self._resolve(str(value))


class LookupMultipleField(_Limited, forms.ModelMultipleChoiceField):
    """Several related records typed one per line (or separated by 、 ; ，)."""

    widget = forms.Textarea(attrs={"rows": 2})
    default_error_messages = {
        "invalid_choice": _("No record named “%(value)s” was found."),
        "ambiguous": _("Several records are named “%(value)s”; type its full label from the suggestions."),
        "wrong_kind": _("“%(value)s” is a %(kind)s; only %(accepted)s can be chosen here."),
    }

    def __init__(self, queryset, natural_keys=("name",), **kwargs):
        self._setup(natural_keys)
        kwargs.setdefault("help_text", _("One per line, or separated by 、"))
        super().__init__(queryset, **kwargs)

    def prepare_value(self, value):
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        values = list(value)
        if all(hasattr(v, "_meta") for v in values):
            return "\n".join(lookup_label(o) for o in values)
        return "\n".join(self._labels_of_pks([v.pk if hasattr(v, "_meta") else v for v in values]))

    def clean(self, value):
        if isinstance(value, list | tuple):
            value = "\n".join(str(v) for v in value)
        parts = split_labels(value or "")
        if not parts:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return self.queryset.none()
        chosen = [self._resolve(part).pk for part in parts]
        # Kept records may lie outside the user's scope: select them by id from the whole table.
        return self.queryset.model._default_manager.filter(pk__in=chosen)

    def has_changed(self, initial, data):
        return True


def split_labels(text: str) -> list[str]:
    """Parts separated by newlines or 、；，, except inside the brackets of a label."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in "（(":
            depth += 1
        elif char in "）)" and depth:
            depth -= 1
        if depth == 0 and _SPLIT.fullmatch(char):
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def limited_field(model, ref: str):
    """The model field named by `ref` ("needs.need.enterprise") if it points at `model`; else 404."""
    try:
        app_label, model_name, field_name = ref.split(".")
        field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
    except (ValueError, LookupError, FieldDoesNotExist):
        raise Http404 from None
    if getattr(field, "related_model", None) is not model:
        raise Http404
    return field


def lookup(request, model_label: str):
    """Suggestions for a LookupInput: records whose name contains the typed text, of the kinds the
    field accepts (`?field=app.model.field` names the field whose limit_choices_to applies)."""
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError):
        raise Http404 from None
    if not user_may(request.user, model, "view") or not hasattr(model, "lookup_search_fields"):
        raise Http404
    ref = request.GET.get("field", "")
    limit = limited_field(model, ref).get_limit_choices_to() if ref else None
    # The input sends its own field name; `q` is accepted for direct calls.
    typed = [v for k, v in request.GET.items() if k != "field"]
    text = (request.GET.get("q") or next(iter(typed), "")).replace("\x00", "").strip()[:50]
    rows = []
    if text:
        cond = Q()
        for f in model.lookup_search_fields:
            cond |= Q(**{f"{f}__icontains": text})
        qs = model.objects.restrict(request.user, "view").filter(cond)
        if limit:
            qs = qs.complex_filter(limit)
        rows = [lookup_label(o) for o in qs.select_related(*getattr(model, "lookup_select_related", ()))[
            :MAX_SUGGESTIONS]]
    return render(request, "core/widgets/lookup_options.html", {"options": rows})

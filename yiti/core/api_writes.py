"""Writes through the API (POST, PATCH) for the registries that allow them (`Registry.api_writable`).

A write goes through the registry's own edit form, exactly as the page does (`RegistryForm.save_in_scope`): the
same validation, the same Chinese messages naming the field, the same scope check, the same change history. The
request body is described field by field in the OpenAPI document (built from the form), and each field takes the
value the form's input would hold: text, a number, true/false, a date (YYYY-MM-DD), a related record by its name
(as typed on the page, the label of the suggestions) or by its id, a list of those for several records.

An `Idempotency-Key` header (any text up to 100 characters, e.g. a UUID) makes a write safe to retry: the first
successful answer is kept and given again for the same key and the same request, without writing a second time;
the same key with another request is refused (409).
"""

import datetime
import hashlib
import json
from decimal import Decimal
from typing import Any, Literal

from django import forms
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.params.functions import Header, Path
from pydantic import ConfigDict, create_model

from yiti.core.lookups import LookupField, LookupMultipleField
from yiti.core.models import IdempotentCall

MAX_IDEMPOTENCY_KEY = 100


def _annotation(field: forms.Field) -> Any:
    """The JSON type of a form field's value."""
    if isinstance(field, LookupMultipleField | forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        return list[str | int]
    if isinstance(field, LookupField | forms.ModelChoiceField):
        return str | int
    if isinstance(field, forms.BooleanField | forms.NullBooleanField):
        return bool
    if isinstance(field, forms.DecimalField | forms.FloatField):  # before IntegerField: Django derives them from it
        return Decimal
    if isinstance(field, forms.IntegerField):
        return int
    if isinstance(field, forms.DateTimeField):
        return datetime.datetime
    if isinstance(field, forms.DateField):
        return datetime.date
    if isinstance(field, forms.ChoiceField):
        values = tuple(str(value) for value, _label in field.choices if value not in ("", None))  # type: ignore[misc,union-attr]
        return Literal[values] if values else str  # type: ignore[valid-type]
    return str


def _description(field: forms.Field) -> str:
    text = str(field.label or "")
    if isinstance(field, LookupField | LookupMultipleField):
        text += _("; a related record by its name or its id")
    if field.help_text:
        text += f"（{field.help_text}）"
    return text


def body_schema(name: str, form_class: type[forms.Form], *, partial: bool) -> type:
    """A pydantic model of the form's fields. `partial` (PATCH): every field may be left out (kept as it is);
    otherwise the fields the form requires are required."""
    form = form_class()
    definitions: dict[str, Any] = {}
    for field_name, field in form.fields.items():
        if isinstance(field.widget, forms.HiddenInput):
            continue
        annotation = _annotation(field)
        # Left out, a field takes what a new record's form shows (the model's default: 状态 已发布, today's date).
        required = field.required and not partial and form[field_name].value() in (None, "", [])
        nullable = not field.required or partial
        from pydantic import Field as Described

        definitions[field_name] = (
            (annotation | None) if nullable else annotation,
            Described(... if required else None, description=_description(field)),
        )
    return create_model(name, __config__=ConfigDict(extra="forbid"), **definitions)


def labels_of(form_class: type[forms.Form]) -> dict[str, str]:
    return {name: str(field.label or name) for name, field in form_class().fields.items()}


def _form_value(field: forms.Field, value: Any) -> Any:
    """A JSON value as the form's input would hold it."""
    if value is None:
        return None if isinstance(field, forms.BooleanField | forms.NullBooleanField) else ""
    if isinstance(field, LookupMultipleField):
        return "\n".join(f"#{v}" if isinstance(v, int) else str(v) for v in value)
    if isinstance(field, LookupField):
        return f"#{value}" if isinstance(value, int) else value
    return value


def bind(registry: Any, user: Any, payload: dict[str, Any], instance: Any = None) -> forms.Form:
    """The registry's edit form bound to `payload`; on PATCH the fields left out keep the record's values."""
    blank = registry.form(instance=instance, user=user)
    data: dict[str, Any] = {}
    for name, field in blank.fields.items():
        if name in payload:
            data[name] = _form_value(field, payload[name])
        else:  # as the page would send it back untouched: the record's values (masked ones kept), or the defaults
            data[name] = blank[name].value()
    return registry.form(data, instance=instance, user=user)


def form_errors(form: forms.Form) -> dict[str, Any]:
    errors = [{"param": name if name != "__all__" else "", "message": str(message)}
              for name, messages in form.errors.items() for message in messages]
    return {"detail": "".join(e["message"] for e in errors), "errors": errors}


def save(registry: Any, request: HttpRequest, payload: dict[str, Any], instance: Any = None) -> tuple[int, dict]:
    """Validate and save through the form; (status, answer)."""
    from yiti.core.api import record_dict
    from yiti.core.export import export_fields

    form = bind(registry, request.user, payload, instance)
    if not form.is_valid():
        return 400, form_errors(form)
    action = "change" if instance is not None else "add"
    with transaction.atomic():
        record = form.save_in_scope(action)  # type: ignore[attr-defined]
    if record is None:
        message = _("This record would fall outside your data scope (your department, county or organisation); "
                    "nothing was saved.")
        return 403, {"detail": message, "errors": []}
    fields = export_fields(registry.model, list(registry.detail_fields))
    return (200 if instance is not None else 201), record_dict(record, fields)


def idempotent(request: HttpRequest, key: str, payload: dict[str, Any], write: Any) -> tuple[int, dict]:
    """`write()` once per (caller, key): a retry with the same key and request gets the first answer again."""
    if not key:
        return write()
    digest = hashlib.sha256(json.dumps([request.method, request.path, payload], sort_keys=True, default=str)
                            .encode()).hexdigest()

    def replay() -> tuple[int, dict] | None:
        earlier = IdempotentCall.objects.filter(user=request.user, key=key).first()  # type: ignore[misc]
        if earlier is None:
            return None
        if earlier.request_digest != digest:
            raise HttpError(409, _("This Idempotency-Key was already used for another request; use a new key for "
                                   "a new request."))
        return earlier.status, earlier.response

    if (answer := replay()) is not None:
        return answer
    try:
        with transaction.atomic():
            status, body = write()
            if status in (200, 201):
                IdempotentCall.objects.create(
                    user=request.user, key=key, request_digest=digest, status=status,  # type: ignore[misc]
                    response=json.loads(json.dumps(body, default=str)))
    except IntegrityError:
        # The same call retried at the same moment wrote first: this one's write is rolled back, its answer given.
        if (answer := replay()) is not None:
            return answer
        raise
    return status, body


def add_write_routes(router: Router, registry: Any, name: str, check: Any, errors: dict,
                     auth_for: Any) -> dict[str, dict[str, str]]:
    """POST / and PATCH /{pk} on the registry's router; returns the field labels of each operation (url name ->
    field -> label) for the parameter errors."""
    from yiti.core.api import MAX_PK
    from yiti.core.views import get_in_scope

    plural = registry.model._meta.verbose_name_plural
    create_body = body_schema(f"{registry.model.__name__}Create", registry.form, partial=False)
    change_body = body_schema(f"{registry.model.__name__}Change", registry.form, partial=True)
    key_header = Header("", alias="Idempotency-Key", max_length=MAX_IDEMPOTENCY_KEY, pattern=r"^[^\x00-\x1f\x7f]*$",
                        description=_("optional: the same key makes a retried write return the first answer "
                                      "instead of writing again"))
    responses = {200: dict[str, Any], 201: dict[str, Any], **errors, 409: errors[400]}

    @router.post("/", response=responses, auth=auth_for("add"), url_name=f"{name}_create", operation_id=f"{name}_create",
                 summary=_("%(records)s: create one") % {"records": plural})
    def create(request: HttpRequest, payload: create_body,  # type: ignore[valid-type]
               idempotency_key: str = key_header) -> Status:
        check(request, "add")
        data = payload.model_dump(exclude_unset=True)  # type: ignore[attr-defined]
        return Status(*idempotent(request, idempotency_key.strip(), data, lambda: save(registry, request, data)))

    @router.patch("/{pk}", response=responses, auth=auth_for("change"), url_name=f"{name}_change", operation_id=f"{name}_change",
                  summary=_("%(records)s: change one (the fields sent; the others are kept)") % {"records": plural})
    def change(request: HttpRequest, payload: change_body,  # type: ignore[valid-type]
               pk: int = Path(..., ge=1, le=MAX_PK, description=_("record id")),
               idempotency_key: str = key_header) -> Status:
        check(request, "change")
        data = payload.model_dump(exclude_unset=True)  # type: ignore[attr-defined]

        def write() -> tuple[int, dict]:
            record = get_in_scope(request, registry.queryset(request.user, "change"), pk)
            return save(registry, request, data, record)

        return Status(*idempotent(request, idempotency_key.strip(), data, write))

    labels = labels_of(registry.form)
    # A write shares its path, and so its URL name, with the list (POST /) and the record (PATCH /{pk}).
    return {f"{name}_list": labels, f"{name}_detail": labels}

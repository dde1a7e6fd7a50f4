"""Detail actions: the small forms at the foot of a detail page (record a contact, an assignment, a step).

A registry declares them (`Registry.actions`); one generic view serves them all. The view checks the
role and the scope, lets the form read the input, and hands the plain values to the action's service,
which holds the rules: `service(record, user=..., **values)` raises a `ValidationError` to refuse. A
refused action shows the detail page again with the form bound to what was typed and the errors beside
it (a redirect would lose the input); an accepted one redirects to the page's section (`anchor`).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import path
from django.views import View

from yiti.core.access import user_may
from yiti.core.forms import errors_text
from yiti.core.views import denied, get_in_scope, render_detail

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from yiti.core.registry import Registry


def cleaned_values(form: forms.BaseForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


@dataclass(frozen=True)
class DetailAction:
    """One action of a detail page.

    `name` gives the URL name ("<model>_<name>", e.g. talent_add_contact) and `path` its address under
    the record ("contacts/add/"). `form` reads the input; `form_kwargs(request, record)` are its extra
    arguments; `values(form)` turns it into the service's keyword arguments (its cleaned data unless
    said otherwise). `context_name` is the template variable holding the form. `failure_message` takes
    `%(errors)s`: the form's `errors_text()` if it has one, else each error after its field's label.
    `permission` is the action the record must be in the user's scope for; `role_action`, when given, the one
    the user's role must allow instead (a supervision step: the task must be visible — its departments see it
    beyond their scope — and the role must work on records, so a leader is refused).
    """

    name: str
    path: str
    form: type[forms.BaseForm]
    service: Callable[..., Any]
    context_name: str
    success_message: "StrOrPromise"
    failure_message: "StrOrPromise"
    anchor: str = ""
    permission: str = "change"
    role_action: str = ""
    form_kwargs: Callable[[Any, Any], dict[str, Any]] = field(default=lambda request, record: {})
    values: Callable[[Any], dict[str, Any]] = cleaned_values

    def url(self, registry: "Registry") -> Any:
        view = DetailActionView.as_view(registry=registry, detail_action=self)
        return path(f"<int:pk>/{self.path}", view, name=f"{registry.model_name}_{self.name}")

    def blank_form(self, request: Any, record: Any) -> forms.BaseForm | None:
        """The empty form for the detail page, or None when the user may not take the action."""
        if not user_may(request.user, type(record), self.role_action or self.permission):
            return None
        return self.form(**self.form_kwargs(request, record))


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """A service's refusal on the form: errors keyed by one of its fields go beside it, the rest on top."""
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class DetailActionView(View):
    registry: "Registry" = None  # type: ignore[assignment]
    detail_action: DetailAction = None  # type: ignore[assignment]
    http_method_names = ["post"]

    def post(self, request, pk: int):
        action, registry = self.detail_action, self.registry
        if not user_may(request.user, registry.model, action.role_action or action.permission):
            denied(request, "role")
            raise PermissionDenied
        record = get_in_scope(request, registry.queryset(request.user, action.permission), pk)
        form = action.form(request.POST, request.FILES, **action.form_kwargs(request, record))
        if form.is_valid():
            try:
                action.service(record, user=request.user, **action.values(form))
            except ValidationError as exc:
                add_service_errors(form, exc)
        if form.errors:
            own_wording = getattr(form, "errors_text", None)  # e.g. the ladder names the step of each error
            text = own_wording() if own_wording else errors_text(form)
            messages.error(request, action.failure_message % {"errors": text})
            return render_detail(request, registry, record, **{action.context_name: form})  # keeps what was typed
        messages.success(request, action.success_message)
        anchor = f"#{action.anchor}" if action.anchor else ""
        return HttpResponseRedirect(record.get_absolute_url() + anchor)

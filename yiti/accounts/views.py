from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_POST

from yiti.accounts.models import RevealEvent
from yiti.core.masking import SENSITIVE_FIELDS, may_reveal
from yiti.core.network import client_ip
from yiti.core.views import denied, get_in_scope


@require_POST
def reveal(request, model_label: str, pk: int, field: str):
    """Show one unmasked personal-data value to a user who may see it, and log that they did."""
    if not may_reveal(request.user):
        denied(request, "reveal")
        raise PermissionDenied
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError):
        raise Http404 from None
    if field not in SENSITIVE_FIELDS or field not in {f.name for f in model._meta.concrete_fields}:
        raise Http404
    if not hasattr(model.objects, "restrict"):
        raise Http404
    # The scope, not the city-wide pool: an expert of another county is never revealed (docs/access.md).
    obj = get_in_scope(request, model.objects.restrict(request.user, "view", pooled=False), pk)
    RevealEvent.objects.create(
        user=request.user, content_type=ContentType.objects.get_for_model(model), object_id=obj.pk,
        object_repr=str(obj)[:200], field=field, remote_addr=client_ip(request),
    )
    context = {"object": obj, "field": model._meta.get_field(field), "value": getattr(obj, field)}
    template = "accounts/revealed_value.html" if request.htmx else "accounts/revealed_page.html"
    return render(request, template, context)

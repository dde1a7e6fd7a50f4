"""Merging two records that are one: choose the surviving value field by field, keep both histories.

The survivor takes the chosen values and every link of the other record (a talent's expert roles,
results, contacts; an organisation's talents, needs, results …); the other record is then deleted.
Both histories stay in the audit trail: the survivor's change entry and the other's deletion entry,
which holds all its values, each noting the merge.
"""

from typing import Any

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from yiti.core.access import user_may
from yiti.core.display import display_value
from yiti.core.lookups import LookupField
from yiti.core.network import client_ip
from yiti.core.views import denied, get_in_scope
from yiti.imports.columns import columns_for


def differing_fields(registry: Any, request: Any, survivor: models.Model, other: models.Model) -> list[tuple]:
    """(field name, label, survivor's value, other's value) for the fields where the two differ (masked as on pages)."""
    rows = []
    for column in columns_for(registry, request.user):
        if column.kind in {"codes", "records"}:
            continue  # many-to-many links are united, not chosen
        field = registry.model._meta.get_field(column.name)
        mine, theirs = getattr(survivor, field.attname), getattr(other, field.attname)
        if mine != theirs and theirs not in (None, ""):
            rows.append((column.name, column.header, display_value(survivor, field, request),
                         display_value(other, field, request)))
    return rows


@transaction.atomic
def merge(registry: Any, user: Any, survivor: models.Model, other: models.Model, take: set[str],
          remote_addr: str | None = None) -> None:
    """Fold `other` into `survivor`, taking the other's value for the fields named in `take`."""
    model = registry.model
    with set_actor(user, remote_addr=remote_addr):
        taken = {name: getattr(other, model._meta.get_field(name).attname) for name in take}
        # Links first, then the other record goes (its unique values with it), then the survivor takes them.
        _move_links(model, survivor, other)
        merged_from = f"#{other.pk} {other}"
        other_pk = other.pk
        other.delete()
        for name, value in taken.items():
            setattr(survivor, model._meta.get_field(name).attname, value)
        survivor.full_clean(exclude=[f.name for f in model._meta.fields if f.is_relation])
        survivor.save()
        LogEntry.objects.create(
            content_type=ContentType.objects.get_for_model(model), object_pk=str(survivor.pk), object_id=survivor.pk,
            object_repr=str(survivor)[:200], action=LogEntry.Action.UPDATE, actor=user, remote_addr=remote_addr,
            changes={"merged": [merged_from, f"#{survivor.pk} {survivor}"]}, additional_data={"merged_from": other_pk})


def _move_links(model: type[models.Model], survivor: models.Model, other: models.Model) -> None:
    for field in model._meta.many_to_many:  # the record's own many-to-many: united
        getattr(survivor, field.name).add(*getattr(other, field.name).all())
    for relation in model._meta.related_objects:
        if relation.many_to_many:
            link = relation.through  # type: ignore[attr-defined]
            source = next(f.name for f in link._meta.fields if f.is_relation and f.related_model is model)
            owner = next(f.attname for f in link._meta.fields if f.is_relation and f.related_model is not model)
            have = set(link.objects.filter(**{source: survivor}).values_list(owner, flat=True))
            link.objects.filter(**{source: other}).exclude(**{f"{owner}__in": have}).update(**{source: survivor})
            link.objects.filter(**{source: other}).delete()
        elif relation.one_to_many or relation.one_to_one:
            related = relation.related_model
            for obj in related._default_manager.filter(**{relation.field.name: other}):
                setattr(obj, relation.field.name, survivor)
                obj.save()  # through save(): the linked record's history shows the move


def merge_view(request, pk: int, registry: Any):
    model = registry.model
    if not (user_may(request.user, model, "change") and user_may(request.user, model, "delete")):
        denied(request, "role")
        raise PermissionDenied
    scope = model._default_manager.restrict(request.user, "delete")
    survivor = get_in_scope(request, scope, pk)
    form = forms.Form(request.GET or request.POST or None)
    # The other record is typed by name or picked from the suggestions (name with what tells namesakes apart).
    form.fields["other"] = LookupField(scope.exclude(pk=survivor.pk), natural_keys=_natural(model),
                                       label=_("The duplicate to merge into this record"))
    form.fields["other"].widget.attrs["class"] = "form-control"
    other = form.cleaned_data["other"] if form.is_bound and form.is_valid() else None
    if request.method == "POST" and other is not None:
        take = {name for name in request.POST.getlist("take")}
        allowed = {row[0] for row in differing_fields(registry, request, survivor, other)}
        try:
            merge(registry, request.user, survivor, other, take & allowed, client_ip(request))
        except (ValidationError, IntegrityError) as exc:
            messages.error(request, _("The records were not merged: %(reason)s") % {"reason": exc})
        else:
            messages.success(request, _("Merged: %(other)s is now part of %(survivor)s.")
                             % {"other": other, "survivor": survivor})
            return redirect(survivor.get_absolute_url())
    context = {
        "registry": registry, "object": survivor, "other": other, "form": form,
        "rows": differing_fields(registry, request, survivor, other) if other else [],
        "taken": request.POST.getlist("take"),  # a refused merge keeps the values the user chose
        "verbose_name_plural": model._meta.verbose_name_plural,
        "list_url": survivor.get_absolute_url().rsplit("/", 2)[0] + "/",
    }
    return render(request, "imports/merge.html", context)


def _natural(model: type[models.Model]) -> tuple[str, ...]:
    names = {f.name for f in model._meta.fields}
    return tuple(k for k in ("name", "title", "credit_code", "id_number") if k in names) or ("pk",)

"""Explicit business actions on expert roles: assigning an expert without overloading them."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yiti.experts.choices import RoleStatus
from yiti.experts.models import Assignment, ExpertRole
from yiti.orgs.models import Organisation


def active_assignments(role: ExpertRole, on: datetime.date):
    return role.assignments.filter(start_date__lte=on).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))


@transaction.atomic
def assign(role: ExpertRole, organisation: Organisation, start_date: datetime.date,
           end_date: datetime.date | None = None, notes: str = "", user: Any = None) -> Assignment:
    """Assign `role` to serve `organisation`. Refused, with its code: an ended role ("role_ended"), an
    organisation outside `user`'s scope ("organisation_scope"), an end before the start
    ("end_before_start"), the same organisation twice in one period ("already_serving"), a full
    capacity ("capacity")."""
    role = ExpertRole.objects.select_for_update().get(pk=role.pk)
    if role.status != RoleStatus.ACTIVE:
        raise ValidationError(_("This expert role has ended; it cannot take new assignments."), code="role_ended")
    # The scope, not the city-wide pool: a university of another county is readable, not assignable.
    if user is not None and not Organisation.objects.restrict(user, "view", pooled=False).filter(
            pk=organisation.pk).exists():
        # The form offers only organisations in the user's scope; a caller without a form is held to it too.
        raise ValidationError({"organisation": ValidationError(
            _("%(org)s lies outside your data scope.") % {"org": organisation}, code="organisation_scope")})
    if end_date and end_date < start_date:
        raise ValidationError({"end_date": ValidationError(_("The end date lies before the start date."),
                                                           code="end_before_start")})
    if active_assignments(role, start_date).filter(organisation=organisation).exists():
        raise ValidationError(_("This expert already serves %(org)s in that period.") % {"org": organisation},
                              code="already_serving")
    load = active_assignments(role, start_date).count()
    if load >= role.capacity:
        raise ValidationError(
            _("This expert already serves %(load)d of a capacity of %(capacity)d; end an assignment or raise "
              "the capacity first.") % {"load": load, "capacity": role.capacity}, code="capacity")
    assignment = Assignment(role=role, organisation=organisation, start_date=start_date, end_date=end_date,
                            notes=notes or "")
    assignment.full_clean(exclude=["role", "organisation"])  # the notes' length, the dates' types
    assignment.save()
    return assignment


def pooled_roles() -> Q:
    """The expert roles in the city-wide pool (docs/access.md): active roles of experts whose profile is public. Read
    from the role's own `in_pool` flag, which the database keeps equal to that rule (yiti/experts/pool.py); bare, so
    that SQLite walks the list's order instead of collecting and sorting every pooled role (talents.services
    .pooled_experts)."""
    return Q(in_pool=True)


def remaining_capacity(role: ExpertRole, on: datetime.date | None = None) -> int:
    """How many more enterprises or villages `role` can take on `on` (today by default)."""
    return max(0, role.capacity - active_assignments(role, on or timezone.localdate()).count())


def remaining_capacity_text(talent: Any) -> str:
    """A talent's active roles with the capacity left: "科技特派员（剩余 2/3）、…"; "—" for none."""
    roles = ExpertRole.objects.filter(talent=talent, status=RoleStatus.ACTIVE)
    return "、".join(
        _("%(role)s (%(left)d of %(capacity)d left)") % {
            "role": role.get_role_display(), "left": remaining_capacity(role), "capacity": role.capacity}
        for role in roles) or "—"


def role_profile_rows(role: ExpertRole) -> list[tuple[Any, Any]]:
    """The rows an expert role adds to its public profile: the expert's discipline, expertise and organisation
    (kept on the talent) and the capacity left."""
    talent = role.talent
    return [
        (talent._meta.get_field("organisation").verbose_name, talent.organisation or "—"),
        (talent._meta.get_field("title_level").verbose_name, talent.get_title_level_display() or "—"),
        (talent._meta.get_field("discipline").verbose_name, talent.discipline or "—"),
        (talent._meta.get_field("expertise").verbose_name, talent.expertise or "—"),
        (_("Capacity left"), remaining_capacity(role)),
    ]

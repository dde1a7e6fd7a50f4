"""Explicit business actions on expert roles: assigning an expert without overloading them."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from yiti.experts.choices import RoleStatus
from yiti.experts.models import Assignment, ExpertRole
from yiti.orgs.models import Organisation


def active_assignments(role: ExpertRole, on: datetime.date):
    return role.assignments.filter(start_date__lte=on).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))


@transaction.atomic
def assign(role: ExpertRole, organisation: Organisation, start_date: datetime.date,
           end_date: datetime.date | None = None, notes: str = "") -> Assignment:
    """Assign `role` to serve `organisation`; refuses an ended role, a bad term, or a full capacity."""
    role = ExpertRole.objects.select_for_update().get(pk=role.pk)
    if role.status != RoleStatus.ACTIVE:
        raise ValidationError(_("This expert role has ended; it cannot take new assignments."))
    if end_date and end_date < start_date:
        raise ValidationError({"end_date": _("The end date lies before the start date.")})
    if active_assignments(role, start_date).filter(organisation=organisation).exists():
        raise ValidationError(_("This expert already serves %(org)s in that period.") % {"org": organisation})
    load = active_assignments(role, start_date).count()
    if load >= role.capacity:
        raise ValidationError(
            _("This expert already serves %(load)d of a capacity of %(capacity)d; end an assignment or raise "
              "the capacity first.") % {"load": load, "capacity": role.capacity}
        )
    return Assignment.objects.create(role=role, organisation=organisation, start_date=start_date,
                                     end_date=end_date, notes=notes)

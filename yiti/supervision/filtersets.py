"""The task list's filters. The roll-ups and dashboards link to these query parameters; keep their names:
q, status, light, source, division, lead_department, assigning_department (department ids), escalated,
overdue, on_time (true/false), parent (#id), and the date ranges deadline, assigned_on, done_on, closed_on
(each as <name>_after and <name>_before, yyyy-mm-dd, both ends included)."""

import django_filters
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiti.accounts.models import Department
from yiti.core.filtersets import DateRangeFilter, LookupFilter, RegistryFilterSet, division_filter
from yiti.supervision.choices import OPEN_STATUSES, Light, Source, TaskStatus
from yiti.supervision.models import Task

FINISHED = (TaskStatus.DONE, TaskStatus.CLOSED)


class TaskFilterSet(RegistryFilterSet):
    status = django_filters.ChoiceFilter(label=_("status"), choices=TaskStatus.choices)
    light = django_filters.ChoiceFilter(label=_("light"), choices=Light.choices)
    lead_department = django_filters.ModelChoiceFilter(label=_("lead department"), queryset=Department.objects.all())
    division = division_filter()
    source = django_filters.ChoiceFilter(label=_("source"), choices=Source.choices)
    assigning_department = django_filters.ModelChoiceFilter(label=_("assigning office"),
                                                            queryset=Department.objects.all())
    escalated = django_filters.BooleanFilter(label=_("escalated"))
    overdue = django_filters.BooleanFilter(label=_("overdue"), method="filter_overdue")
    on_time = django_filters.BooleanFilter(label=_("done on time"), method="filter_on_time")
    parent = LookupFilter(label=_("parent task"), model=Task, natural_keys=("title",))
    deadline = DateRangeFilter(label=_("time limit"))
    assigned_on = DateRangeFilter(label=_("assigned on"))
    done_on = DateRangeFilter(label=_("done on"))
    closed_on = DateRangeFilter(label=_("closed on"))

    class Meta:
        model = Task
        fields = ["q", "status", "light", "lead_department", "division", "source", "assigning_department", "escalated",
                  "overdue", "on_time", "parent", "deadline", "assigned_on", "done_on", "closed_on"]

    def filter_overdue(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        """true: still open and past the deadline; false: the others."""
        if value is None:
            return qs
        late = Q(status__in=OPEN_STATUSES, deadline__lt=timezone.localdate())
        return qs.filter(late) if value else qs.exclude(late)

    def filter_on_time(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        """true: done or closed by the deadline; false: done or closed after it (open tasks are neither)."""
        if value is None:
            return qs
        qs = qs.filter(status__in=FINISHED, done_on__isnull=False)
        return qs.filter(done_on__lte=F("deadline")) if value else qs.filter(done_on__gt=F("deadline"))

"""The auditor's viewer of the audit trail, and its retention rule.

Record changes and exports come from django-auditlog (`LogEntry`), reveals of personal data
from `RevealEvent`, logins, failed logins and lockouts from the security app's `AuthEvent`.
"""

import datetime

import django_filters
import django_tables2 as tables
from auditlog.models import LogEntry
from django.contrib.auth.decorators import permission_required
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tables2 import RequestConfig

from yiti.accounts.models import RevealEvent
from yiti.core.display import change_rows
from yiti.core.filtersets import DateRangeFilter
from yiti.core.forms import style_widgets
from yiti.core.registry import registries
from yiti.core.tables import RegistryTable
from yiti.security.models import AuthEvent

RETENTION_DAYS = 180


class LogEntryFilterSet(django_filters.FilterSet):
    actor = django_filters.CharFilter(field_name="actor__username", label=_("user name"))
    action = django_filters.ChoiceFilter(choices=LogEntry.Action.choices, label=_("action"))
    # The registries that declare `audited`, and the accounts app (set per form: read from the declarations).
    content_type = django_filters.ModelChoiceFilter(queryset=ContentType.objects.none(), label=_("record type"))
    object_repr = django_filters.CharFilter(lookup_expr="icontains", label=_("record"))
    remote_addr = django_filters.CharFilter(lookup_expr="startswith", label=_("address"))
    timestamp = DateRangeFilter(label=_("time"))

    class Meta:
        model = LogEntry
        fields = ["actor", "action", "content_type", "object_repr", "remote_addr", "timestamp"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = [r.app_label for r in registries().values() if r.audited]
        self.filters["content_type"].queryset = ContentType.objects.filter(app_label__in=[*labels, "accounts"])
        style_widgets(self.form)


class LogEntryTable(RegistryTable):
    timestamp = tables.DateTimeColumn(format="Y-m-d H:i:s", verbose_name=_("time"))
    actor = tables.Column(verbose_name=_("user"), default="—")
    action = tables.Column(verbose_name=_("action"))
    content_type = tables.Column(verbose_name=_("record type"), accessor="content_type__name", orderable=False)
    object_repr = tables.Column(verbose_name=_("record"))
    changes = tables.Column(verbose_name=_("changes"), accessor="changes_str", orderable=False)
    remote_addr = tables.Column(verbose_name=_("address"), default="—")

    class Meta(RegistryTable.Meta):
        model = LogEntry
        fields = ("timestamp", "actor", "action", "content_type", "object_repr", "changes", "remote_addr")
        order_by = ("-timestamp",)

    def render_changes(self, record):
        """The changes in the words of the record's pages (names, not ids), as on its history."""
        model = record.content_type.model_class()
        if model is None or not record.changes:
            return "—"
        parts = []
        for change in change_rows(model, [record])[0]["changes"]:
            if "added" in change:
                parts.append(f"{change['label']}：{_('added')} {'、'.join(change['added'])}")
            elif "removed" in change:
                parts.append(f"{change['label']}：{_('removed')} {'、'.join(change['removed'])}")
            else:
                parts.append(f"{change['label']}：{change['old'] or '—'} → {change['new'] or '—'}")
        return "；".join(parts) or "—"


class AuthEventFilterSet(django_filters.FilterSet):
    username = django_filters.CharFilter(label=_("user name"))
    event = django_filters.ChoiceFilter(choices=AuthEvent.Kind.choices, label=_("event"))
    remote_addr = django_filters.CharFilter(lookup_expr="startswith", label=_("address"))
    timestamp = DateRangeFilter(label=_("time"))

    class Meta:
        model = AuthEvent
        fields = ["username", "event", "remote_addr", "timestamp"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self.form)


class AuthEventTable(RegistryTable):
    timestamp = tables.DateTimeColumn(format="Y-m-d H:i:s")

    class Meta(RegistryTable.Meta):
        model = AuthEvent
        fields = ("timestamp", "username", "event", "detail", "remote_addr", "user_agent")


class RevealEventTable(RegistryTable):
    timestamp = tables.DateTimeColumn(format="Y-m-d H:i:s")

    class Meta(RegistryTable.Meta):
        model = RevealEvent
        fields = ("timestamp", "user", "object_repr", "field", "remote_addr")


def _listing(request, queryset, filterset_class, table_class, title, tab):
    filterset = filterset_class(request.GET or None, queryset=queryset) if filterset_class else None
    if filterset is not None:
        queryset = filterset.qs if (not filterset.is_bound or filterset.is_valid()) else queryset.none()
    table = table_class(queryset)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "accounts/audit.html", {"filterset": filterset, "table": table, "title": title, "tab": tab})


@permission_required("auditlog.view_logentry", raise_exception=True)
def record_changes(request):
    queryset = LogEntry.objects.select_related("actor__department", "actor__organisation", "content_type")
    return _listing(request, queryset, LogEntryFilterSet, LogEntryTable, _("Record changes"), "changes")


@permission_required("auditlog.view_logentry", raise_exception=True)
def reveals(request):
    return _listing(request, RevealEvent.objects.select_related("user__department", "user__organisation"), None, RevealEventTable,
                    _("Reveals of personal data"), "reveals")


@permission_required("auditlog.view_logentry", raise_exception=True)
def logins(request):
    return _listing(request, AuthEvent.objects.all(), AuthEventFilterSet, AuthEventTable, _("Logins"), "logins")


# Every table of the audit trail with its timestamp column.
AUDIT_MODELS: list[tuple[type[models.Model], str]] = [
    (LogEntry, "timestamp"), (RevealEvent, "timestamp"), (AuthEvent, "timestamp"),
]


class RetentionError(ValueError):
    pass


@transaction.atomic
def purge_before(cutoff: datetime.date, today: datetime.date | None = None) -> dict[str, int]:
    """Delete audit records older than `cutoff`; refuses to touch anything younger than the retention."""
    today = today or timezone.localdate()
    oldest_allowed = today - datetime.timedelta(days=RETENTION_DAYS)
    if cutoff > oldest_allowed:
        raise RetentionError(
            _("Audit records are kept at least %(days)d days: the cut-off may be %(date)s at the latest.")
            % {"days": RETENTION_DAYS, "date": oldest_allowed.isoformat()}
        )
    moment = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
    deleted = {}
    for model, column in AUDIT_MODELS:
        count, _details = model._default_manager.filter(**{f"{column}__lt": moment}).delete()
        deleted[model._meta.label] = count
    return deleted

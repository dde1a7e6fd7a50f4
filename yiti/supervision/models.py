"""What supervision (督办) keeps: tasks with their ladder, lights and escalation, their progress log with
attachments, and the in-app notifications (催办) they send.

A task raised automatically from a record carries the record's index-style key in `source_key`
("agreement:12", "need:7", "platform:3", "item:41") and the condition in `condition` ("not_started",
"funds_late", "need_expired", "renewal_due", "contact_overdue"): one open task per (condition, key), which
closes itself when the condition ends (`yiti.supervision.auto`).
"""


from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yiti.accounts.models import Department
from yiti.core.attachments import Attachment as BaseAttachment
from yiti.core.attachments import attachment_path  # noqa: F401  (named by the migrations)
from yiti.core.history import track
from yiti.core.models import BaseModel, Division
from yiti.orgs.models import Organisation
from yiti.supervision.choices import OPEN_STATUSES, Evaluation, Light, ReportKind, Source, TaskStatus


class Task(BaseModel):
    """A supervision task (督办事项)."""

    title = models.CharField(_("title"), max_length=200)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.OTHER, db_index=True)
    source_key = models.CharField(_("source record"), max_length=40, blank=True, db_index=True)
    condition = models.CharField(_("automatic condition"), max_length=30, blank=True, db_index=True)
    description = models.TextField(_("requirements"), blank=True)
    parent = models.ForeignKey("self", verbose_name=_("parent task"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="subtasks")
    # the county the task belongs to (its scope); a city-wide task has the city
    division = models.ForeignKey(Division, verbose_name=_("division"), on_delete=models.PROTECT, related_name="+")
    # the organisation the task concerns (an agreement's or need's enterprise, a platform's host), if any
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation concerned"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    assigning_department = models.ForeignKey(Department, verbose_name=_("assigning office"),
                                             on_delete=models.PROTECT, related_name="assigned_tasks")
    lead_department = models.ForeignKey(Department, verbose_name=_("lead department"), on_delete=models.PROTECT,
                                        related_name="led_tasks")
    co_departments = models.ManyToManyField(Department, verbose_name=_("co-operating departments"), blank=True,
                                            related_name="co_tasks")
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("responsible person"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    assigned_on = models.DateField(_("assigned on"), db_index=True)
    deadline = models.DateField(_("deadline"), db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED,
                              db_index=True)
    light = models.CharField(_("light"), max_length=10, choices=Light.choices, default=Light.GREEN, db_index=True)
    red_since = models.DateField(_("red since"), null=True, blank=True)
    escalated = models.BooleanField(_("escalated"), default=False, db_index=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True, db_index=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, db_index=True)
    evaluation = models.CharField(_("evaluation"), max_length=20, choices=Evaluation.choices, blank=True)

    search_fields = ("title", "description")
    lookup_search_fields = ("title",)

    class Meta:
        verbose_name = _("supervision task")
        verbose_name_plural = _("supervision tasks")
        ordering = ["-id"]
        constraints = [
            # one open automatic task per condition and record
            models.UniqueConstraint(fields=["condition", "source_key"], name="supervision_one_open_auto_task",
                                    condition=~Q(condition="") & Q(status__in=list(OPEN_STATUSES))),
        ]

    def __str__(self) -> str:
        return self.title


class Report(models.Model):
    """One line of a task's log: a progress report, the completion report, a return (退回) or the closing."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices, default=ReportKind.PROGRESS)
    date = models.DateField(_("date"))
    text = models.TextField(_("text"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.task} · {self.get_kind_display()}"


class Attachment(BaseAttachment):
    """A file attached to a report; served only to users who may see the task."""

    upload_folder = "supervision"

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE,
                               related_name="attachments")

    def get_absolute_url(self) -> str:
        return reverse("supervision:task_attachment", args=[self.report.task_id, self.pk])


class Notification(models.Model):
    """An in-app notice (催办, escalation, a task assigned or returned). `event` names what happened
    ("remind:12:2026-12-05", "escalated:12", …): a user gets one notification per event."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="notifications")
    task = models.ForeignKey(Task, verbose_name=_("task"), null=True, blank=True, on_delete=models.CASCADE,
                             related_name="notifications")
    event = models.CharField(_("event"), max_length=80)
    text = models.CharField(_("text"), max_length=300)
    url = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed = models.BooleanField(_("e-mailed"), default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="supervision_one_notice_per_event")]
        indexes = [models.Index(fields=["user", "read_at"], name="supervision_unread")]

    def __str__(self) -> str:
        return self.text


track(Task, m2m_fields={"co_departments"})
track(Report)
track(Attachment, exclude_fields=["file"])

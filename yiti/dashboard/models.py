"""What the leaders' view keeps: annual targets per county, monthly snapshots of the indicator ledger, and
work reports generated from a Word template. The indicators themselves are declared in code
(`yiti.dashboard.indicators`), not stored."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yiti.core.jobs import Job, private_storage
from yiti.core.models import Division


class Target(models.Model):
    """The annual target of one indicator for one county (or the whole city: the city's division)."""

    indicator = models.CharField(_("indicator"), max_length=40, db_index=True)
    year = models.PositiveSmallIntegerField(_("year"))
    division = models.ForeignKey(Division, verbose_name=_("division"), on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("target"), max_digits=16, decimal_places=2)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("annual target")
        verbose_name_plural = _("annual targets")
        ordering = ["indicator", "year", "division__code"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year", "division"], name="dashboard_one_target")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year} {self.division}"


class Snapshot(models.Model):
    """The ledger frozen at a month's end (`period` "2026-11"): later edits of records do not change it."""

    period = models.CharField(_("month"), max_length=7, unique=True)
    taken_at = models.DateTimeField(_("taken at"), auto_now_add=True)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("taken by"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("monthly snapshot")
        verbose_name_plural = _("monthly snapshots")
        ordering = ["-period"]

    def __str__(self) -> str:
        return self.period


class SnapshotValue(models.Model):
    """One frozen figure: indicator × year × county (null: the whole city) × an optional dimension value
    (a university's or an industry's code, blank for the total)."""

    snapshot = models.ForeignKey(Snapshot, verbose_name=_("snapshot"), on_delete=models.CASCADE, related_name="values")
    indicator = models.CharField(_("indicator"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    division = models.ForeignKey(Division, verbose_name=_("division"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    dimension = models.CharField(_("dimension"), max_length=60, blank=True)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)

    class Meta:
        verbose_name = _("snapshot value")
        verbose_name_plural = _("snapshot values")
        constraints = [models.UniqueConstraint(fields=["snapshot", "indicator", "year", "division", "dimension"],
                                               name="dashboard_one_snapshot_value")]
        indexes = [models.Index(fields=["indicator", "year"], name="dashboard_snapshot_lookup")]

    def __str__(self) -> str:
        return f"{self.snapshot} {self.indicator} {self.year}"


class ReportTemplate(models.Model):
    """A Word (.docx) template uploaded by the office; its placeholders are checked on upload."""

    name = models.CharField(_("name"), max_length=100)
    file = models.FileField(_("file"), upload_to="report-templates/", storage=private_storage, max_length=200)
    active = models.BooleanField(_("in use"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.name


class WorkReport(Job):
    """A monthly, quarterly or annual work report (工作报告), generated in the background from a snapshot."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Generating")
        DONE = "done", _("Generated")
        FAILED = "failed", _("Failed")

    class Period(models.TextChoices):
        MONTH = "month", _("Monthly")
        QUARTER = "quarter", _("Quarterly")
        YEAR = "year", _("Annual")

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RUNNING)
    period_kind = models.CharField(_("period"), max_length=10, choices=Period.choices)
    period = models.CharField(_("period covered"), max_length=7)  # "2026-11", "2026-Q4", "2026"
    division = models.ForeignKey(Division, verbose_name=_("division"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    snapshot = models.ForeignKey(Snapshot, verbose_name=_("snapshot"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="reports")
    template = models.ForeignKey(ReportTemplate, verbose_name=_("template"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="reports")
    docx = models.FileField(_("Word file"), upload_to="reports/", storage=private_storage, max_length=200, blank=True)
    pdf = models.FileField(_("PDF file"), upload_to="reports/", storage=private_storage, max_length=200, blank=True)

    RUNNING = (Status.RUNNING,)
    FILE_DIRS = ("reports",)
    INTERRUPTED = _("Generating the report was interrupted. Start it again.")

    class Meta(Job.Meta):
        verbose_name = _("work report")
        verbose_name_plural = _("work reports")


class FigureSet(models.Model):
    """The dashboards' figures of one year for the office's whole-city view, computed in the background every few
    minutes (`yiti.dashboard.live`) so that no leader waits for them: each indicator for the city and every
    county, the year-to-date trends, the agreement ladder and the matching funnel. Replaced at each refresh."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    computed_at = models.DateTimeField(_("computed at"))
    seconds = models.FloatField(_("seconds taken"), default=0)
    data = models.JSONField(_("figures"), default=dict)

    class Meta:
        verbose_name = _("dashboard figures")
        verbose_name_plural = _("dashboard figures")

    def __str__(self) -> str:
        return f"{self.year} {self.computed_at:%Y-%m-%d %H:%M}"

"""What matching (供需对接) keeps: the index's build jobs and pending changes, feedback on recommendations,
matching lists with their items and follow-up, and commissioner-coverage runs.

Records are named by their index key — "need:12", "result:3", "talent:5", "org:7", "platform:4"
(`yiti.matching.documents.key`) — where a feature must point at any registry; the foreign keys kept beside
the keys (the need, the organisations an item is addressed to, its county) are what scope and addressing
query on.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yiti.agreements.models import Agreement
from yiti.core.access import _division_ids
from yiti.core.jobs import Job
from yiti.core.models import Division
from yiti.experts.models import Assignment, ExpertRole
from yiti.matching.choices import (
    Answer,
    FailReason,
    ItemState,
    ListKind,
    ListStatus,
    RejectReason,
    Stage,
    Verdict,
)
from yiti.needs.models import Need
from yiti.orgs.models import Organisation


class IndexJob(Job):
    """A full build of the matching index (documents from records → engine index + trained expert finder),
    written to a new folder and swapped in atomically (`yiti.matching.store`)."""

    class Status(models.TextChoices):
        BUILDING = "building", _("Building")
        DONE = "done", _("Built")
        FAILED = "failed", _("Not built")

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.BUILDING)
    # None: queued by the platform itself (the first page that needed an index, the watcher of imports)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,  # type: ignore[assignment]
                             on_delete=models.PROTECT, related_name="+")
    documents = models.PositiveIntegerField(_("documents"), default=0)
    folder = models.CharField(_("folder"), max_length=200, blank=True)

    RUNNING = (Status.BUILDING,)
    INTERRUPTED = _("The index build was interrupted; the previous index stays in use. Start it again.")

    class Meta(Job.Meta):
        verbose_name = _("index build")
        verbose_name_plural = _("index builds")


class IndexChange(models.Model):
    """A record saved or deleted since the index was built: each web process applies the changes after the
    last one it has seen, so edits reach recommendations within a minute without a rebuild."""

    key = models.CharField(_("record"), max_length=40, db_index=True)
    deleted = models.BooleanField(_("deleted"), default=False)
    at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("index change")
        verbose_name_plural = _("index changes")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.key}{' (deleted)' if self.deleted else ''}"


class Feedback(models.Model):
    """Staff's verdict on one recommendation of one record: 采纳 or 不合适 with a coded reason."""

    source = models.CharField(_("record"), max_length=40, db_index=True)  # "need:12"
    candidate = models.CharField(_("candidate"), max_length=40)  # "talent:5"
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=RejectReason.choices, blank=True)
    text = models.CharField(_("explanation"), max_length=200, blank=True)
    division = models.ForeignKey(Division, verbose_name=_("division"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")  # the source record's county
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
                             related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recommendation feedback")
        verbose_name_plural = _("recommendation feedback")
        ordering = ["-at"]
        constraints = [models.UniqueConstraint(fields=["source", "candidate"], name="one_feedback_per_pair")]

    def __str__(self) -> str:
        return f"{self.source} → {self.candidate}: {self.verdict}"


def list_scope_q(user: Any) -> Q | None:
    """The matching lists `user` may see, as a condition on MatchingList (None: all of them).

    The one rule for lists and their items, used by every page, export and count: a list belongs to its
    division (None: the whole city). City-wide staff, leaders and superusers see every list; county staff
    the lists of their county (a city department's county scope is the whole city); department-scoped
    staff the lists their department made. Organisation contacts see no list — only the published items
    addressed to them (`MatchingItemQuerySet.addressed_to`).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    role = getattr(user, "role", "")
    if user.is_superuser or role == "leader":
        return None
    if role != "staff":
        return Q(pk__in=[])
    scope = getattr(user, "scope", "department")
    if scope == "city":
        return None
    department = user.department
    if department is None:
        return Q(pk__in=[])
    if scope == "county":
        if Division.objects.filter(parent_id=department.division_id).exists():
            return None  # a city department: its county scope is the whole city
        return Q(division_id__in=_division_ids(department.division_id))
    return Q(created_by__department=department)


class MatchingListQuerySet(models.QuerySet):
    def visible(self, user: Any) -> "MatchingListQuerySet":
        q = list_scope_q(user)
        return self if q is None else self.filter(q)


class MatchingItemQuerySet(models.QuerySet):
    def visible(self, user: Any) -> "MatchingItemQuerySet":
        """Items of the lists `user` may see (`list_scope_q`)."""
        q = list_scope_q(user)
        return self if q is None else self.filter(matching_list__in=MatchingList.objects.filter(q))

    def addressed_to(self, user: Any) -> "MatchingItemQuerySet":
        """Published items addressed to an organisation contact's organisation (as the university/institute
        or as the enterprise); nothing for anyone else."""
        org = getattr(user, "organisation_id", None)
        if not user.is_authenticated or getattr(user, "role", "") != "org_contact" or not org:
            return self.none()
        return self.filter(Q(addressee_id=org) | Q(enterprise_id=org), published_at__isnull=False)


class MatchingList(models.Model):
    """A matching list (对接清单): built by a run over a scope, reviewed by staff, then published."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("list kind"), max_length=10, choices=ListKind.choices)
    division = models.ForeignKey(Division, verbose_name=_("division"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")  # None: the whole city
    criteria = models.JSONField(_("criteria"), default=dict, blank=True)  # need types, status, date range …
    status = models.CharField(_("status"), max_length=10, choices=ListStatus.choices, default=ListStatus.BUILDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = MatchingListQuerySet.as_manager()

    class Meta:
        verbose_name = _("matching list")
        verbose_name_plural = _("matching lists")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class MatchingRun(Job):
    """The background job that fills a matching list with proposals (record, candidates, score, reasons)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Matching")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RUNNING)
    matching_list = models.ForeignKey(MatchingList, verbose_name=_("matching list"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="runs")
    records = models.PositiveIntegerField(_("records"), default=0)

    RUNNING = (Status.RUNNING,)
    INTERRUPTED = _("The matching run was interrupted; start it again.")

    class Meta(Job.Meta):
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class MatchingItem(models.Model):
    """One proposal of a list: a record (a need or a result) and one candidate for it, reviewed, published to
    both sides and followed up until an agreement is signed or the talks fail."""

    matching_list = models.ForeignKey(MatchingList, verbose_name=_("matching list"), on_delete=models.CASCADE,
                                      related_name="items")
    position = models.PositiveIntegerField(_("order"), default=0)
    source = models.CharField(_("record"), max_length=40)  # "need:12" / "result:3"
    candidate = models.CharField(_("candidate"), max_length=40)  # "talent:5" / "org:7" / "result:3" / "need:12"
    need = models.ForeignKey(Need, verbose_name=_("need"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="matching_items")  # the need, on either side
    enterprise = models.ForeignKey(Organisation, verbose_name=_("enterprise"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="matching_items_as_enterprise")
    addressee = models.ForeignKey(Organisation, verbose_name=_("university / institute"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="matching_items_addressed")
    division = models.ForeignKey(Division, verbose_name=_("division"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")  # the enterprise's county
    score = models.FloatField(_("score"), default=0)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)  # Chinese sentences, at most three
    by_hand = models.BooleanField(_("added by hand"), default=False)
    locked = models.BooleanField(_("locked"), default=False)
    state = models.CharField(_("review"), max_length=10, choices=ItemState.choices, default=ItemState.PROPOSED)
    reject_reason = models.CharField(_("reason"), max_length=20, choices=RejectReason.choices, blank=True)
    reject_text = models.CharField(_("explanation"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("responsible officer"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="+")
    contact_deadline = models.DateField(_("contact deadline"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, blank=True)
    fail_reason = models.CharField(_("reason not reached"), max_length=20, choices=FailReason.choices, blank=True)
    addressee_answer = models.CharField(_("answer of the university / expert"), max_length=12,
                                        choices=Answer.choices, blank=True)
    addressee_note = models.CharField(_("their reason"), max_length=200, blank=True)
    enterprise_answer = models.CharField(_("answer of the enterprise"), max_length=12, choices=Answer.choices,
                                         blank=True)
    enterprise_note = models.CharField(_("their reason"), max_length=200, blank=True)
    agreement = models.ForeignKey(Agreement, verbose_name=_("agreement"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="matching_items")

    objects = MatchingItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("matching item")
        verbose_name_plural = _("matching items")
        ordering = ["matching_list", "position", "id"]
        indexes = [models.Index(fields=["addressee", "published_at"]),
                   models.Index(fields=["enterprise", "published_at"])]

    def __str__(self) -> str:
        return f"{self.source} → {self.candidate}"


class ItemContact(models.Model):
    """The contact log of an item: who was reached, when, how, and what was said."""

    item = models.ForeignKey(MatchingItem, verbose_name=_("matching item"), on_delete=models.CASCADE,
                             related_name="contacts")
    date = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=20)  # talents.ContactChannel values
    summary = models.TextField(_("summary"))
    by_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT,
                                related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.channel}"


class CoverageRun(Job):
    """A commissioner-coverage proposal (科技特派员全覆盖 / 科技副总): targets chosen by filter, experts by role,
    solved as a min-cost flow (`yiti.engine.assign`), reviewed, then published as `Assignment`s."""

    class Status(models.TextChoices):
        SOLVING = "solving", _("Solving")
        REVIEW = "review", _("Under review")
        PUBLISHED = "published", _("Published")
        FAILED = "failed", _("Failed")

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SOLVING)
    title = models.CharField(_("title"), max_length=200)
    role = models.CharField(_("role"), max_length=20)  # experts.RoleType
    criteria = models.JSONField(_("criteria"), default=dict, blank=True)  # target filter, k, weights, term
    summary = models.JSONField(_("summary"), default=dict, blank=True)  # covered / uncovered counts, objective
    division = models.ForeignKey(Division, verbose_name=_("division"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")  # the starter's county; None: the city

    RUNNING = (Status.SOLVING,)
    INTERRUPTED = _("The coverage run was interrupted; start it again.")

    class Meta(Job.Meta):
        verbose_name = _("coverage run")
        verbose_name_plural = _("coverage runs")


class CoverageProposal(models.Model):
    """One line of a coverage run: a target with its assigned expert (or none, with the reason)."""

    run = models.ForeignKey(CoverageRun, verbose_name=_("coverage run"), on_delete=models.CASCADE,
                            related_name="proposals")
    target = models.ForeignKey(Organisation, verbose_name=_("served organisation"), on_delete=models.PROTECT,
                               related_name="+")
    expert = models.ForeignKey(ExpertRole, verbose_name=_("expert"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")  # None: not covered
    fit = models.FloatField(_("fit"), default=0)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    uncovered_reason = models.CharField(_("why not covered"), max_length=20, blank=True)  # the solver's code
    locked = models.BooleanField(_("locked"), default=False)
    # Removed by staff in review: never published, and the pair is never proposed again (any later run).
    removed = models.BooleanField(_("removed"), default=False)
    assignment = models.ForeignKey(Assignment, verbose_name=_("assignment"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("coverage proposal")
        verbose_name_plural = _("coverage proposals")
        ordering = ["run", "id"]

    def __str__(self) -> str:
        return f"{self.target} ← {self.expert or self.uncovered_reason}"

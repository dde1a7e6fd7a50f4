"""The coded values of matching (供需对接): feedback reasons, list kinds, review states, follow-up stages."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RejectReason(models.TextChoices):
    """Why a recommendation does not fit (不合适). Counted on the reasons page; a rejected candidate never
    comes back for the same record."""

    FIELD = "field", _("Field does not match")
    LEVEL = "level", _("Not strong enough")
    DISTANCE = "distance", _("Too far away")
    ALREADY = "already", _("Already cooperating")
    UNREACHABLE = "unreachable", _("Cannot be reached")
    OTHER = "other", _("Other")


class Verdict(models.TextChoices):
    ACCEPTED = "accepted", _("Adopted")
    REJECTED = "rejected", _("Not suitable")


class ListKind(models.TextChoices):
    # 企业"四需"同高校适配建议清单; 高校科研成果同产业对接推荐清单
    NEEDS = "needs", _("Enterprise needs → universities and experts")
    RESULTS = "results", _("Research results → enterprises")


class ListStatus(models.TextChoices):
    BUILDING = "building", _("Being built")
    REVIEW = "review", _("Under review")
    PUBLISHED = "published", pgettext_lazy("matching stage", "Published")  # 已推送
    CLOSED = "closed", _("Closed")


class ItemState(models.TextChoices):
    """Staff review of a proposal before the list is published."""

    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Stage(models.TextChoices):
    """Follow-up of a published item, until an agreement is signed or the talks fail."""

    PUSHED = "pushed", pgettext_lazy("matching stage", "Published")  # 已推送, not the records' 已发布
    CONTACTED = "contacted", _("Contacted")
    TALKING = "talking", _("In talks")
    SIGNED = "signed", _("Signed")
    FAILED = "failed", _("Not reached")


class FailReason(models.TextChoices):
    """Why talks ended without an agreement (未达成)."""

    NO_INTEREST = "no_interest", _("No interest")
    TERMS = "terms", _("Terms not agreed")
    FUNDS = "funds", _("No funds")
    CAPABILITY = "capability", _("Cannot deliver")
    UNREACHABLE = "unreachable", _("Cannot be reached")
    OTHER = "other", _("Other")


class Answer(models.TextChoices):
    """A contact's answer to a published item (我的对接)."""

    INTERESTED = "interested", _("Interested")
    DECLINED = "declined", _("Not interested")

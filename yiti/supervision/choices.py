from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Source(models.TextChoices):
    """Where a supervision task comes from (督办事项来源)."""

    MEETING = "meeting", _("Meeting decision")
    INSTRUCTION = "instruction", _("Leader's instruction")
    AGREEMENT = "agreement", _("Agreement milestone")
    MATCHING = "matching", _("Matching item")
    NEED = "need", _("Enterprise need")
    PLATFORM = "platform", _("Platform review")
    OTHER = "other", _("Other")


class TaskStatus(models.TextChoices):
    """The ladder 交办 → 已接收 → 办理中 → 已办结 → 已销号 (已办结 may be returned to 办理中)."""

    ASSIGNED = "assigned", _("Assigned")
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done, awaiting closing")
    CLOSED = "closed", pgettext_lazy("supervision task", "Closed")  # 已销号, not the 已关闭 of other lists


OPEN_STATUSES = (TaskStatus.ASSIGNED, TaskStatus.RECEIVED, TaskStatus.IN_PROGRESS)


class Light(models.TextChoices):
    GREEN = "green", _("Green")
    YELLOW = "yellow", _("Yellow: deadline near")
    RED = "red", _("Red: overdue")


class Evaluation(models.TextChoices):
    GOOD = "good", _("Good")
    FAIRLY_GOOD = "fairly_good", _("Fairly good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")


class ReportKind(models.TextChoices):
    """A line in a task's progress log: a progress report, the completion report, a return with its reason."""

    PROGRESS = "progress", _("Progress report")
    COMPLETION = "completion", _("Completion report")
    RETURN = "return", _("Returned")
    CLOSING = "closing", _("Closing")

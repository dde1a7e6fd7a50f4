import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from yiti.core.tables import RegistryTable
from yiti.supervision.choices import OPEN_STATUSES, Light
from yiti.supervision.models import Task

# The short word beside the dot; the full label ("红灯（已超期）") is its tooltip.
LIGHT_WORDS = {Light.GREEN: _("green"), Light.YELLOW: _("yellow"), Light.RED: _("red")}


def light_badge(task: Task):
    """The light as a coloured dot and a word, for open tasks; a finished task has no light ("—")."""
    if task.status not in OPEN_STATUSES:
        return "—"
    return format_html('<span class="text-nowrap" title="{}"><span class="status-dot status-{} me-1"></span>{}</span>',
                       task.get_light_display(), task.light, LIGHT_WORDS.get(Light(task.light), task.light))


class TaskTable(RegistryTable):
    light = tables.Column()
    title = tables.Column(linkify=True)
    division = tables.Column(order_by=("division__code",))
    lead_department = tables.Column(order_by=("lead_department__name",))
    deadline = tables.Column(verbose_name=_("time limit"))

    class Meta(RegistryTable.Meta):
        model = Task
        fields = ("light", "title", "status", "division", "lead_department", "deadline", "done_on")

    def render_light(self, value, record):
        return light_badge(record)

    def render_deadline(self, value, record):
        # An open task past its deadline shows the date in red, whatever the stored light says.
        if record.status in OPEN_STATUSES and value < timezone.localdate():
            return format_html('<span class="text-danger">{}</span>', value.isoformat())
        return value.isoformat()

"""Background work of the dashboards (django-tasks; `yiti db_worker` runs it)."""

import datetime
import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def refresh_figures() -> str:
    """Compute the figures the dashboards show (`live.refresh`); it queues its next run whatever happens, every
    `YITI_DASHBOARD_REFRESH_MINUTES`, so one failure does not stop the chain."""
    from yiti.dashboard import live

    try:
        found = live.refresh()
        live.prune()
        return f"dashboard figures {found.year}: {found.seconds:.1f} s"
    finally:
        live.schedule(datetime.timedelta(minutes=live.refresh_minutes()), after_running=True)

"""Background work of supervision (django-tasks; `yiti db_worker` runs it)."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def supervise_daily() -> str:
    """The daily run; it queues the next one whatever happens, so one failure does not stop the schedule."""
    from yiti.supervision import daily

    try:
        summary = daily.run()
        logger.info(summary.line())
        return summary.line()
    finally:
        daily.schedule()

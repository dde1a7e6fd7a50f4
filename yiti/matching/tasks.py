"""Background work of matching (django-tasks; `yiti db_worker` runs it)."""

from django_tasks import task

from yiti.matching import lists
from yiti.matching.models import MatchingRun


@task()
def run_job(run_id: int) -> None:
    lists.build(MatchingRun.objects.get(pk=run_id))

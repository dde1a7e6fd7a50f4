"""Background work of matching (django-tasks; `yiti db_worker` runs it)."""

import logging

from django_tasks import task

from yiti.matching import lists
from yiti.matching.models import IndexJob, MatchingRun

logger = logging.getLogger(__name__)


@task()
def run_job(run_id: int) -> None:
    lists.build(MatchingRun.objects.get(pk=run_id))


@task()
def index_job(job_id: int) -> None:
    """A full build of the matching index (`yiti.matching.store.build`), followed on the status page."""
    from yiti.matching import store

    job = IndexJob.objects.get(pk=job_id)
    try:
        with job.working():
            built = store.build(progress=job.set_progress)
    except Exception as e:  # the previous index stays in use; the status page shows why
        logger.exception("matching index build %s failed", job_id)
        job.finish(IndexJob.Status.FAILED, str(e)[:1000])
        return
    job.documents = built.documents
    job.folder = built.folder.name
    job.finish(IndexJob.Status.DONE)

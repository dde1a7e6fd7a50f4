"""Background work of large imports and of code suggestions (django-tasks; `yiti db_worker` runs them)."""

from django_tasks import task

from yiti.imports import services, tagging
from yiti.imports.models import ImportJob, SuggestionJob


@task()
def check_job(job_id: int) -> None:
    services.check(ImportJob.objects.get(pk=job_id))


@task()
def write_job(job_id: int, remote_addr: str | None = None) -> None:
    services.run(ImportJob.objects.get(pk=job_id), remote_addr=remote_addr)


@task()
def suggest_job(job_id: int) -> None:
    tagging.run(SuggestionJob.objects.get(pk=job_id))

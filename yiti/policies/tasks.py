"""Background work of 政策兑现 (django-tasks; `yiti db_worker` runs it): the 免申即享 screenings."""

import logging

from django.utils.translation import gettext as _
from django_tasks import task

from yiti.core.jobs import Cancelled
from yiti.policies.models import Screening

logger = logging.getLogger(__name__)


@task()
def screening_job(screening_id: int) -> None:
    from yiti.policies import services

    screening = Screening.objects.select_related("policy", "user").get(pk=screening_id)
    try:
        services.run_screening(screening)
    except Cancelled:
        screening.finish(Screening.Status.FAILED, _("The screening was cancelled."))
    except Exception:
        logger.exception("screening %s failed", screening_id)
        screening.finish(Screening.Status.FAILED, _("The screening failed; the error was logged."))
        raise

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yiti.core.navigation import NEEDS_DATABASE
from yiti.core.registry import ImportOptions, Menu, Pool, Registry
from yiti.needs.filtersets import NeedFilterSet
from yiti.needs.forms import NeedForm
from yiti.needs.models import Need
from yiti.needs.tables import NeedTable

registry = Registry(
    api_writable=True,  # other systems file these through the API (yiti.core.api_writes)
    model=Need,
    filterset=NeedFilterSet,
    table=NeedTable,
    form=NeedForm,
    division_path="enterprise__division",
    organisation_path="enterprise",
    menu=Menu(NEEDS_DATABASE, _("Enterprise needs"), 10),
    batch_status="status",
    select_related=("enterprise", "industry"),
    detail_fields=(
        "enterprise", "need_type", "title", "description", "keywords", "industry", "discipline", "budget",
        "published_date", "deadline", "status", "open_call", "contact_name", "phone", "created_by", "created_at",
        "updated_at",
    ),
    imports=ImportOptions(keys=(("enterprise", "title"),), notes_field="description"),
    text_fields=("title", "keywords", "description"),
    # 公开征集 needs are readable by everyone (and, through yiti.matching, a need addressed to a university by a
    # published matching item is readable by that university's contact); without the contact person and phone.
    # Few needs: "open_call IN (1)" so that SQLite reads them from the index (a bare boolean it would not).
    pool=Pool(records=lambda: Q(open_call__in=[True]),
              fields=("enterprise", "need_type", "title", "description", "keywords", "industry", "discipline", "budget",
                      "published_date", "deadline", "status", "open_call")),
)

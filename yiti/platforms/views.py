from django.utils.translation import gettext_lazy as _

from yiti.core.navigation import ORGANISATIONS_AND_PLATFORMS
from yiti.core.registry import ImportOptions, Menu, Pool, Registry
from yiti.platforms.filtersets import PlatformFilterSet
from yiti.platforms.forms import PlatformForm
from yiti.platforms.models import Platform
from yiti.platforms.tables import PlatformTable

registry = Registry(
    model=Platform,
    filterset=PlatformFilterSet,
    table=PlatformTable,
    form=PlatformForm,
    division_path="division",
    organisation_path="host",
    menu=Menu(ORGANISATIONS_AND_PLATFORMS, _("Innovation platforms"), 20),
    # On an organisation's page: the platforms it hosts, not those it is a partner of.
    related_titles={"host": _("Innovation platforms (host)"), "partners": None},
    select_related=("host", "division"),
    detail_fields=(
        "name", "platform_type", "level", "status", "host", "partners", "division", "industry", "applied_date",
        "listed_date", "accredited_date", "renewal_due", "description", "created_at", "updated_at",
    ),
    imports=ImportOptions(keys=(("name", "host"),), notes_field="description"),
    # Every platform is in the city-wide pool.
    pool=Pool(records=None, fields=("name", "platform_type", "level", "status", "host", "partners", "division",
                                    "industry", "listed_date", "accredited_date", "description")),
)

from yiti.core.registry import ImportOptions, Registry
from yiti.platforms.filtersets import PlatformFilterSet
from yiti.platforms.forms import PlatformForm
from yiti.platforms.models import Platform
from yiti.platforms.tables import PlatformTable

registry = Registry(
    model=Platform,
    filterset=PlatformFilterSet,
    table=PlatformTable,
    form=PlatformForm,
    select_related=("host", "division"),
    detail_fields=(
        "name", "platform_type", "level", "status", "host", "partners", "division", "industry", "applied_date",
        "listed_date", "accredited_date", "renewal_due", "description", "created_at", "updated_at",
    ),
    imports=ImportOptions(keys=(("name", "host"),), notes_field="description"),
)

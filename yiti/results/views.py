from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yiti.core.navigation import RESULTS_DATABASE
from yiti.core.registry import ImportOptions, Menu, Pool, Registry
from yiti.results.filtersets import ResultFilterSet
from yiti.results.forms import ResultForm
from yiti.results.models import Result
from yiti.results.tables import ResultTable

registry = Registry(
    api_writable=True,  # other systems file these through the API (yiti.core.api_writes)
    model=Result,
    filterset=ResultFilterSet,
    table=ResultTable,
    form=ResultForm,
    division_path="owner__division",
    organisation_path="owner",
    menu=Menu(RESULTS_DATABASE, _("Research results"), 10),
    related_titles={"leader": None},  # a talent's page lists the results they worked on, led or not, once
    batch_status="status",
    select_related=("owner", "discipline"),
    detail_fields=(
        "title", "result_type", "owner", "leader", "team_members", "identifier", "year", "project_category", "discipline",
        "industry",
        "trl", "transfer_mode", "asking_price", "keywords", "description", "status", "is_public", "created_at",
        "updated_at",
    ),
    # A funded project is its number and its leader; a leader has one project of a title per year
    # (the same title again in another year or programme is a new project: 后期资助, 成果文库).
    imports=ImportOptions(keys=(("identifier", "leader"), ("leader", "title", "year?"), ("owner", "title", "year?"),
                                ("identifier", "owner", "title")), notes_field="description"),
    text_fields=("title", "keywords", "description"),
    # Every result not marked 不公开 is in the city-wide pool.
    # Nearly every result: a bare boolean (not indexable on SQLite), so the list walks the primary key backwards.
    pool=Pool(records=lambda: Q(is_public=True),
              fields=("title", "result_type", "owner", "leader", "team_members", "identifier", "year",
                      "project_category", "discipline", "industry", "trl", "transfer_mode", "asking_price", "keywords",
                      "description", "status"), broad=True),
)

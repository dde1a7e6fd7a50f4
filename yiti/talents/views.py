from django.utils.translation import gettext_lazy

from yiti.core.actions import DetailAction
from yiti.core.navigation import TALENT_DATABASE
from yiti.core.registry import ImportOptions, Menu, Pool, Registry
from yiti.talents import services
from yiti.talents.filtersets import TalentFilterSet
from yiti.talents.forms import ContactLogForm, TalentForm
from yiti.talents.models import Talent
from yiti.talents.tables import TalentTable

add_contact = DetailAction(
    name="add_contact", path="contacts/add/", form=ContactLogForm, service=services.log_contact,
    context_name="contact_form", anchor="contacts",
    success_message=gettext_lazy("Contact recorded."),
    failure_message=gettext_lazy("The contact was not recorded: %(errors)s"),
)


def contact_context(request, talent: Talent) -> dict:
    return {
        "contacts": talent.contacts.select_related("by_user__department", "by_user__organisation")[:50],
        "contact_form": add_contact.blank_form(request, talent),
    }


registry = Registry(
    api_writable=True,  # other systems file these through the API (yiti.core.api_writes)
    model=Talent,
    filterset=TalentFilterSet,
    table=TalentTable,
    form=TalentForm,
    division_path="division",
    organisation_path="organisation",
    menu=Menu(TALENT_DATABASE, gettext_lazy("Talents"), 10),
    related_titles={"organisation": gettext_lazy("Talents and experts")},
    select_related=("organisation", "discipline", "division"),
    detail_fields=(
        "name", "gender", "birth_year", "population", "category", "division", "hometown", "organisation",
        "returned_on", "position", "degree", "title_level", "discipline", "industry", "expertise", "programmes", "id_number",
        "mobile", "email", "liaison", "consent_to_recommend", "profile_public", "notes", "created_at", "updated_at",
    ),
    detail_template="talents/talent_detail.html",
    detail_extra=contact_context,
    actions=(add_contact,),
    imports=ImportOptions(keys=(("id_number",), ("name", "organisation")), notes_field="notes"),
    text_fields=("expertise", "notes"),
    # Experts (a talent with an active expert role) whose profile is public: their public profile only.
    pool=Pool(records=services.pooled_experts,
              fields=("name", "title_level", "organisation", "position", "discipline", "industry", "expertise"),
              extra_rows=services.roles_row, broad=True, covered=True),
)

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yiti.core.access import user_may
from yiti.core.forms import errors_text
from yiti.core.navigation import TALENT_DATABASE
from yiti.core.registry import ImportOptions, Menu, Registry
from yiti.core.views import record_for, render_detail
from yiti.talents import services
from yiti.talents.filtersets import TalentFilterSet
from yiti.talents.forms import ContactLogForm, TalentForm
from yiti.talents.models import Talent
from yiti.talents.tables import TalentTable


def contact_context(request, talent: Talent) -> dict:
    return {
        "contacts": talent.contacts.select_related("by_user__department", "by_user__organisation")[:50],
        "contact_form": ContactLogForm() if user_may(request.user, Talent, "change") else None,
    }


@require_POST
def add_contact(request, pk: int):
    talent = record_for(request, Talent, pk)
    form = ContactLogForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The contact was not recorded: %(errors)s") % {"errors": errors_text(form)})
        return render_detail(request, registry, talent, contact_form=form)  # keeps what was typed
    services.log_contact(talent, by_user=request.user, **form.cleaned_data)
    messages.success(request, _("Contact recorded."))
    return HttpResponseRedirect(talent.get_absolute_url() + "#contacts")


registry = Registry(
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
        "position", "degree", "title_level", "discipline", "industry", "expertise", "programmes", "id_number",
        "mobile", "email", "liaison", "consent_to_recommend", "notes", "created_at", "updated_at",
    ),
    detail_template="talents/talent_detail.html",
    detail_extra=contact_context,
    extra_urls=[path("<int:pk>/contacts/add/", add_contact, name="talent_add_contact")],
    imports=ImportOptions(keys=(("id_number",), ("name", "organisation")), notes_field="notes"),
    text_fields=("expertise", "notes"),
)

"""The left menu, grouped by the four databases; entries the user may not view are hidden."""

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from yiti.core.access import user_may


@dataclass(frozen=True)
class MenuItem:
    label: Promise
    model: str  # "app_label.ModelName"
    url_name: str


MENU: list[tuple[Promise, list[MenuItem]]] = [
    (
        _("Talent database"),
        [
            MenuItem(_("Talents"), "talents.Talent", "talents:talent_list"),
            MenuItem(_("Expert roles"), "experts.ExpertRole", "experts:expertrole_list"),
        ],
    ),
    (_("Needs database"), [MenuItem(_("Enterprise needs"), "needs.Need", "needs:need_list")]),
    (_("Results database"), [MenuItem(_("Research results"), "results.Result", "results:result_list")]),
    (
        _("Organisations and platforms"),
        [
            MenuItem(_("Organisations"), "orgs.Organisation", "orgs:organisation_list"),
            MenuItem(_("Innovation platforms"), "platforms.Platform", "platforms:platform_list"),
            MenuItem(_("Cooperation agreements"), "agreements.Agreement", "agreements:agreement_list"),
        ],
    ),
    (
        _("System"),
        [
            MenuItem(_("Accounts and departments"), "accounts.User", "admin:accounts_user_changelist"),
            MenuItem(_("Audit trail"), "auditlog.LogEntry", "audit_changes"),
        ],
    ),
]


def menu_for(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    match = getattr(request, "resolver_match", None)
    current = match.namespace if match else ""
    groups = []
    for title, items in MENU:
        entries = []
        for item in items:
            model = apps.get_model(item.model)
            if user_may(user, model, "view"):
                entries.append(
                    {
                        "label": item.label,
                        "url": reverse(item.url_name),
                        "active": current == model._meta.app_label,
                    }
                )
        if entries:
            groups.append({"title": title, "items": entries})
    return groups

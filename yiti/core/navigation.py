"""The left menu, grouped by the four databases; entries the user may not view are hidden.

Registries place themselves with `Registry.menu` (a group below, a label, an order); entries that are not
registries (accounts, the audit trail) are added by their apps through `yiti.core.extensions.add_menu_item`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from yiti.core import extensions
from yiti.core.access import user_may
from yiti.core.registry import MenuGroup, registries

TALENT_DATABASE = MenuGroup(_("Talent database"), 10)
NEEDS_DATABASE = MenuGroup(_("Needs database"), 20)
RESULTS_DATABASE = MenuGroup(_("Results database"), 30)
ORGANISATIONS_AND_PLATFORMS = MenuGroup(_("Organisations and platforms"), 40)
SYSTEM = MenuGroup(_("System"), 90)


@dataclass(frozen=True)
class MenuItem:
    label: Promise
    model: str  # "app_label.ModelName"
    url_name: str
    order: int = 0
    # Who sees the entry; by default whoever may view `model` (a page with its own rule, e.g. 跨区记录 for the city
    # office only, says so here).
    visible: Callable[[Any], bool] | None = None


def menu() -> list[tuple[Promise, list[MenuItem]]]:
    """[(group title, its entries)], every registry and every registered entry, in menu order."""
    placed: list[tuple[MenuGroup, MenuItem]] = [
        (r.menu.group, MenuItem(r.menu.label, r.model._meta.label, r.url_name("list"), r.menu.order))
        for r in registries().values() if r.menu is not None
    ]
    placed += extensions.menu_items()
    groups: dict[MenuGroup, list[MenuItem]] = {}
    for group, item in sorted(placed, key=lambda p: (p[0].order, p[1].order)):
        groups.setdefault(group, []).append(item)
    return [(group.title, items) for group, items in groups.items()]


def menu_for(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    groups = []
    for title, items in menu():
        entries = []
        for item in items:
            model = apps.get_model(item.model)
            if item.visible(user) if item.visible is not None else user_may(user, model, "view"):
                entries.append({"label": item.label, "url": reverse(item.url_name), "active": False})
        if entries:
            groups.append({"title": title, "items": entries})
    _mark_active(groups, request.path)
    return groups


def _mark_active(groups: list[dict], path: str) -> None:
    """The entry whose address is the longest start of the page's path is the current one: /talents/12/ is under
    人才库, /matching/mine/ under 我的对接 and not also under 对接清单 (/matching/lists/)."""
    entries = [entry for group in groups for entry in group["items"] if path.startswith(entry["url"])]
    if entries:
        max(entries, key=lambda entry: len(entry["url"]))["active"] = True

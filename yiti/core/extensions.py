"""How feature apps plug into every registry without `core` importing them.

A registry (`yiti.core.registry.Registry`) knows its own pages. A feature that serves all registries —
imports today; matching (供需对接) and supervision (督办) next — registers what it adds here, once, from its
`AppConfig.ready()`, and core asks this module when it builds a registry's URLs, its list page, its detail
page and the menu. The dependency then points from the feature to core, never back.

What a feature may register:

- `add_urls(maker)`: `maker(registry) -> list[URLPattern]`, mounted under the registry's list
  (/talents/import/, /talents/12/merge/); named like the registry's own pages (`talent_import`), so they
  live in the registry's namespace. Return [] for a registry the feature does not serve.
- `add_list_action(ListAction(...))`: a button on a registry's list page (导入, 疑似重复, 建议代码; next:
  发起对接), shown where its `when(registry)` holds (e.g. a registry with text to learn codes from) and
  the user holds every action it `needs` on the model.
- `add_detail_section(maker)`: `maker(request, registry, obj) -> dict | None`, a section appended to a
  record's detail page after its related lists (next: a need's matches, a result's supervision indicators);
  the dict has `title` and `template` (rendered with the section as `section`) and anything that template
  reads. None leaves the page alone.
- `add_menu_item(group, item)`: an entry of the left menu that is not a registry (账号与部门, 审计日志).
- `add_visibility(model_label, rule)`: `rule(user) -> Q | None`, records of a registry ("needs.need") a user
  may view beyond their scope because of the feature (a need addressed to a university by a published
  matching item). `restrict()` ORs it in for "view" only, like the registry's own pool; None adds nothing.
  Keep the Q small and index-friendly: it is on every list page of that registry.

- `set_api_key_check(check)`: `check(request, token) -> user | None`, the account a bearer token (an API key
  issued to another system) acts for; it may also set `request.api_allows(model_label, action) -> bool`, the
  registries and actions the key is limited to. The security app keeps the keys; core's API only asks.

Registration happens at start-up, before any request; nothing here is per request or per user except what
the makers compute.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class ListAction:
    """A button on a registry's list page, linking to the registry's URL `{model_name}_{view}`."""

    label: Promise
    view: str  # e.g. "import" for talents:talent_import
    needs: Sequence[str] = ("view",)  # actions on the model the user must hold
    when: Callable[[Any], bool] | None = None  # registry -> whether it applies (default: every registry)


_url_makers: list[Callable[[Any], list]] = []
_list_actions: list[ListAction] = []
_detail_sections: list[Callable[[Any, Any, Any], dict | None]] = []
_menu_items: list[tuple[Any, Any]] = []
_visibility: dict[str, list[Callable[[Any], Any]]] = {}
_api_key_check: list[Callable[[Any, str], Any]] = []


def _add(items: list, item: Any) -> None:
    # ready() may run twice (tests that reload apps): register once.
    if item not in items:
        items.append(item)


def add_urls(maker: Callable[[Any], list]) -> None:
    _add(_url_makers, maker)


def add_list_action(action: ListAction) -> None:
    _add(_list_actions, action)


def add_detail_section(maker: Callable[[Any, Any, Any], dict | None]) -> None:
    _add(_detail_sections, maker)


def add_menu_item(group: Any, item: Any) -> None:
    _add(_menu_items, (group, item))


def add_visibility(model_label: str, rule: Callable[[Any], Any]) -> None:
    _add(_visibility.setdefault(model_label.lower(), []), rule)


def visibility_rules(model_label: str) -> list[Callable[[Any], Any]]:
    return list(_visibility.get(model_label, ()))


def urls_for(registry: Any) -> list:
    return [pattern for maker in _url_makers for pattern in maker(registry)]


def list_actions() -> list[ListAction]:
    return list(_list_actions)


def detail_sections(request: Any, registry: Any, obj: Any) -> list[dict]:
    found = (maker(request, registry, obj) for maker in _detail_sections)
    return [section for section in found if section is not None]


def menu_items() -> list[tuple[Any, Any]]:
    return list(_menu_items)


def set_api_key_check(check: Callable[[Any, str], Any]) -> None:
    _api_key_check[:] = [check]


def api_key_check() -> Callable[[Any, str], Any] | None:
    return _api_key_check[0] if _api_key_check else None

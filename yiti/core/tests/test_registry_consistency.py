"""The `Registry` declaration is the single source of truth: whatever a registry needs elsewhere is
derived from it or checked here against it.

Each check is a function that lists what is wrong with one declaration, so that the same function
runs over every real declaration and over a deliberately broken one (which it must catch). The leak
test's coverage of every declaration is checked beside the leak test (yiti/accounts/tests/test_leaks.py).
"""

import dataclasses
import pkgutil
from importlib import import_module

import pytest
from auditlog.registry import auditlog
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.urls import NoReverseMatch, reverse

from yiti.core.models import BaseModel, Division
from yiti.core.navigation import menu
from yiti.core.registry import Menu, Registry, Related, registries, registries_by_model
from yiti.core.testing import RegistryViewTests

DECLARED = list(registries().values())


def undeclared(candidates: list, declared: dict[str, Registry]) -> list[str]:
    """Registry models (records of the access layer) that no declaration covers."""
    return [m._meta.label for m in candidates if m._meta.label_lower not in declared]


def registry_models() -> list:
    return [m for m in apps.get_models() if issubclass(m, BaseModel)]


def url_problems(registry: Registry) -> list[str]:
    problems = []
    for view, args in (("list", []), ("add", []), ("detail", [1]), ("edit", [1]), ("delete", [1])):
        try:
            reverse(registry.url_name(view), args=args)
        except NoReverseMatch:
            problems.append(f"no URL {registry.url_name(view)}")
    return problems


def menu_problems(registry: Registry) -> list[str]:
    if registry.menu is None:
        return [f"{registry.label} declares no menu place"]
    listed = {item.url_name for _title, items in menu() for item in items}
    if registry.url_name("list") not in listed:
        return [f"{registry.url_name('list')} is not in the menu"]
    return []


def _target(model, lookup: str):
    """The model a lookup ("talent__organisation", "pk") arrives at, or None if it does not resolve."""
    for part in lookup.split("__"):
        if part == "pk":
            continue
        try:
            found = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if not found.is_relation:
            return None
        model = found.related_model
    return model


def scope_problems(registry: Registry) -> list[str]:
    problems = []
    if _target(registry.model, registry.division_path or "-") is not Division:
        problems.append(f"{registry.label}: division_path {registry.division_path!r} does not lead to a division")
    organisation = _target(registry.model, registry.organisation_path or "-")
    if organisation is None or organisation._meta.label_lower != "orgs.organisation":
        problems.append(f"{registry.label}: organisation_path {registry.organisation_path!r} does not lead to "
                        "an organisation")
    return problems


def view_test_classes(registry: Registry) -> list[type]:
    """The RegistryViewTests subclasses in the registry app's tests that test its model."""
    config = apps.get_app_config(registry.app_label)
    try:
        package = import_module(f"{config.name}.tests")
    except ModuleNotFoundError:
        return []
    found = []
    for info in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
        module = import_module(info.name)
        found += [
            value for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, RegistryViewTests) and value is not RegistryViewTests
            and getattr(value, "app", "") == registry.app_label and getattr(value, "model_name", "") == registry.model_name
        ]
    return found


def factory_problems(registry: Registry) -> list[str]:
    if not view_test_classes(registry):
        return [f"{registry.label}: no RegistryViewTests subclass (with its factory) in {registry.app_label}/tests"]
    return []


def declaration_problems(registry: Registry) -> list[str]:
    """Fields of the declaration that name things that do not exist."""
    problems = []
    fields = {f.name for f in registry.model._meta.get_fields()}
    problems += [f"{registry.label}: text field {name!r} does not exist" for name in registry.text_fields
                 if name not in fields]
    by_label = registries_by_model()
    problems += [f"{registry.label}: related_order names {label!r}, which is not a registry"
                 for label in registry.related_order if label not in by_label]
    problems += [f"{registry.label}: related_titles names {name!r}, which is not its relation to a registry"
                 for name in registry.related_titles
                 if name not in fields or _target(registry.model, name) is None
                 or _target(registry.model, name)._meta.label_lower not in by_label]
    for rel in registry.related or ():
        other = by_label.get(rel.model)
        if other is None:
            problems.append(f"{registry.label}: related list of {rel.model!r}, which is not a registry")
        elif _target(other.model, rel.lookup) is not registry.model:
            problems.append(f"{registry.label}: {rel.model}.{rel.lookup} does not point at {registry.label}")
    if registry.audited and not auditlog.contains(registry.model):
        problems.append(f"{registry.label}: audited, but its model has no change history (track() in models.py)")
    return problems


CHECKS = [url_problems, menu_problems, scope_problems, factory_problems, declaration_problems]


def test_every_registry_model_is_declared():
    assert undeclared(registry_models(), registries_by_model()) == []


def test_a_model_without_a_declaration_is_caught():
    assert undeclared([Division], registries_by_model()) == ["core.Division"]


def test_declarations_are_found_only_in_registry_apps():
    """Found in INSTALLED_APPS (each yiti app whose views module declares `registry`), not kept in a list:
    exactly the apps holding registry records, and every declared model is one (scoped by the access layer)."""
    assert set(registries()) == {m._meta.app_label for m in registry_models()}
    assert all(issubclass(r.model, BaseModel) for r in DECLARED)


@pytest.mark.parametrize("registry", DECLARED, ids=[r.label for r in DECLARED])
@pytest.mark.parametrize("check", CHECKS, ids=[c.__name__ for c in CHECKS])
def test_declaration_is_complete(registry, check):
    assert check(registry) == []


def _broken(**changes) -> Registry:
    return dataclasses.replace(registries()["platforms"], **changes)


@pytest.mark.parametrize("broken, check", [
    (_broken(division_path=""), scope_problems),
    (_broken(organisation_path="division"), scope_problems),
    (_broken(menu=None), menu_problems),
    (_broken(menu=Menu(registries()["platforms"].menu.group, "x", 1), model=Division), menu_problems),
    (_broken(model=Division), url_problems),
    (_broken(model=Division), factory_problems),
    (_broken(text_fields=("summary",)), declaration_problems),
    (_broken(related_order=("events.event",)), declaration_problems),
    (_broken(related_titles={"industry": None}), declaration_problems),
    (_broken(related=(Related("needs.need", "enterprise"),)), declaration_problems),
], ids=["no division path", "organisation path to a division", "no menu", "menu place not in the menu",
        "no URLs", "no view tests", "unknown text field", "unknown registry in related_order",
        "related title of a non-registry field", "related list that does not point here"])
def test_a_broken_declaration_is_caught(broken, check):
    assert check(broken) != []

"""Imports point one way: feature/registry apps → accounts/security → core → engine (docs/architecture.md).

Every module of `yiti` is read with `ast` — imports inside functions, relative imports and
`import_module("yiti.…")`-style string literals included — so a layer cannot reach up, not even lazily.
A test module sits in the layer of its package. Tests that exercise several layers, and the two-county
world they run in (built from every registry's factories), live in `yiti/tests/`: it sits with the
feature apps, at the top of the code (only the project wiring — settings, urls — is above it), so that
it may import any app and a registry's own tests may use its world; no code outside tests imports it.
A registry app may use another registry's models (foreign keys need them) but not its presentation
(`views`, `tables`, `urls`): related sections and actions are derived or hooked, not borrowed.
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yiti

ENGINE, CORE, ACCOUNTS, FEATURES, PROJECT = range(5)
LAYER_NAMES = {ENGINE: "engine", CORE: "core", ACCOUNTS: "accounts/security", FEATURES: "registry/feature apps",
               PROJECT: "project wiring (settings, urls)"}

# Every package directly under yiti/ is placed here; a new one must be placed before the test passes.
LAYER_OF_PACKAGE = {
    "engine": ENGINE,
    "core": CORE, "formats": CORE,
    "accounts": ACCOUNTS, "security": ACCOUNTS,
    "orgs": FEATURES, "talents": FEATURES, "experts": FEATURES, "needs": FEATURES, "results": FEATURES,
    "platforms": FEATURES, "agreements": FEATURES, "imports": FEATURES, "demo": FEATURES,
    "matching": FEATURES, "supervision": FEATURES, "dashboard": FEATURES, "tests": FEATURES, "pairing": FEATURES,
    "policies": FEATURES,  # issue 16 (r16/policies)
    "activities": FEATURES,  # issue 16 (r16/activities)
    "settings": PROJECT, "urls": PROJECT, "wsgi": PROJECT, "manage": PROJECT,
}

# What one registry may not take from another.
PRESENTATION = {"views", "tables", "urls"}

# Calls whose first string argument names a module, or an app label.
MODULE_STRING_CALLS = {"import_module", "__import__", "import_string", "include"}
APP_LABEL_CALLS = {"get_model", "get_app_config"}



@dataclass(frozen=True)
class Import:
    path: str  # relative to the folder that holds the yiti package
    line: int
    target: str  # dotted module name, e.g. yiti.orgs.models
    text: str  # the import as written


@dataclass(frozen=True)
class Violation:
    imp: Import
    reason: str

    def __str__(self) -> str:
        return f"{self.imp.path}:{self.imp.line}: {self.imp.text} — {self.reason}"


def module_name(relative: Path) -> str:
    parts = list(relative.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve_relative(module: str, is_package: bool, level: int, name: str | None) -> str:
    package = module.split(".") if is_package else module.split(".")[:-1]
    base = package[: len(package) - (level - 1)] if level > 1 else package
    return ".".join(base + ([name] if name else []))


def _call_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def imports_of(source: str, module: str, path: str, is_package: bool = False) -> Iterator[Import]:
    """Every import of a `yiti` module in `source`, wherever it sits in the file."""
    for node in ast.walk(ast.parse(source, filename=path)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(path, node.lineno, alias.name, f"import {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            dots = "." * node.level
            base = _resolve_relative(module, is_package, node.level, node.module) if node.level else node.module or ""
            for alias in node.names:
                text = f"from {dots}{node.module or ''} import {', '.join(a.name for a in node.names)}"
                # `from yiti.orgs import views` imports the module yiti.orgs.views; for a class or function the
                # longer name simply belongs to the same package, so both cases are judged alike.
                yield Import(path, node.lineno, f"{base}.{alias.name}" if alias.name != "*" else base, text)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name, arg = _call_name(node.func), node.args[0].value
            if not isinstance(arg, str):
                continue
            if name in MODULE_STRING_CALLS and arg.startswith("yiti."):
                yield Import(path, node.lineno, arg, f'{name}("{arg}")')
            elif name in APP_LABEL_CALLS:
                label = arg.split(".")[0]
                if label in LAYER_OF_PACKAGE:
                    yield Import(path, node.lineno, f"yiti.{label}", f'{name}("{arg}")')


def layer_of(module: str) -> int | None:
    """The layer of a yiti module; None for `yiti` itself and modules outside it."""
    parts = module.split(".")
    if parts[0] != "yiti" or len(parts) < 2:
        return None
    return LAYER_OF_PACKAGE.get(parts[1], -1)


def is_test_code(module: str) -> bool:
    parts = module.split(".")
    return "tests" in parts or parts[-1] in ("testing", "conftest") or parts[-1].startswith("test_")


def check_import(source_module: str, imp: Import) -> Violation | None:
    mine, theirs = layer_of(source_module), layer_of(imp.target)
    if mine is None or theirs is None:
        return None
    if theirs > mine:
        return Violation(imp, f"{LAYER_NAMES[mine]} must not import {LAYER_NAMES[theirs]}")
    own_app, target = source_module.split(".")[1], imp.target.split(".")
    if target[1] == "tests" and not is_test_code(source_module):
        return Violation(imp, "only tests may import yiti.tests")
    if mine == theirs == FEATURES and own_app != "tests" and target[1] not in (own_app, "tests") \
            and len(target) > 2 and target[2] in PRESENTATION:
        return Violation(imp, f"a registry app must not import another app's {target[2]} ({'.'.join(target[:3])})")
    return None


def check_tree(root: Path) -> tuple[list[Violation], list[str]]:
    """Violations in the `yiti` package under `root`, and packages that have not been placed in a layer."""
    violations: list[Violation] = []
    unplaced: set[str] = set()
    seen: set[str] = set()
    for file in sorted((root / "yiti").rglob("*.py")):
        relative = file.relative_to(root)
        module = module_name(relative)
        if layer_of(module) == -1:
            unplaced.add(module.split(".")[1])
            continue
        for imp in imports_of(file.read_text(encoding="utf-8"), module, str(relative), file.name == "__init__.py"):
            if layer_of(imp.target) == -1:
                unplaced.add(imp.target.split(".")[1])
            elif (violation := check_import(module, imp)) is not None and str(violation) not in seen:
                seen.add(str(violation))  # one per statement, however many names it imports
                violations.append(violation)
    return violations, sorted(unplaced)


def test_imports_point_down_the_layers():
    root = Path(yiti.__file__).resolve().parent.parent
    violations, unplaced = check_tree(root)
    assert not unplaced, f"place these packages in LAYER_OF_PACKAGE: {unplaced}"
    assert not violations, "imports that point up the layers:\n" + "\n".join(map(str, violations))


# --- the checker itself, on small fake trees -----------------------------------------------------------


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def _found(tmp_path: Path, files: dict[str, str]) -> list[str]:
    violations, _ = check_tree(_tree(tmp_path, files))
    return [str(v) for v in violations]


def test_an_import_inside_a_function_is_caught_with_file_and_line(tmp_path):
    found = _found(tmp_path, {
        "yiti/core/views.py": "import os\n\ndef f():\n    from yiti.security.events import record\n",
    })
    assert found == ["yiti/core/views.py:4: from yiti.security.events import record — "
                     "core must not import accounts/security"]


def test_every_spelling_of_an_upward_import_is_caught(tmp_path):
    found = _found(tmp_path, {
        "yiti/core/__init__.py": "",
        "yiti/core/a.py": "import yiti.orgs.models\n",
        "yiti/core/b.py": "from yiti import imports\n",
        "yiti/core/c.py": "from ..accounts.models import User\n",
        "yiti/core/d.py": "import importlib\nm = importlib.import_module('yiti.talents.views')\n",
        "yiti/core/e.py": "from django.apps import apps\nM = apps.get_model('needs', 'Need')\n",
        "yiti/core/tests/__init__.py": "from ...orgs import models\n",
        "yiti/engine/x.py": "from yiti.core import models\n",
    })
    assert [f.split(" — ")[0] for f in found] == [
        "yiti/core/a.py:1: import yiti.orgs.models",
        "yiti/core/b.py:1: from yiti import imports",
        "yiti/core/c.py:1: from ..accounts.models import User",
        "yiti/core/d.py:2: import_module(\"yiti.talents.views\")",
        "yiti/core/e.py:2: get_model(\"needs\")",
        "yiti/core/tests/__init__.py:1: from ...orgs import models",
        "yiti/engine/x.py:1: from yiti.core import models",
    ]


def test_downward_and_sideways_imports_pass(tmp_path):
    assert _found(tmp_path, {
        "yiti/orgs/views.py": "from yiti.core.registry import Registry\nfrom yiti.accounts.models import User\n",
        "yiti/talents/models.py": "from yiti.orgs.models import Organisation\nfrom .choices import Gender\n",
        "yiti/security/events.py": "from yiti.accounts.models import User\nfrom yiti.core.models import Division\n",
        "yiti/core/views.py": "from yiti.engine import index\nfrom . import access\nimport django\n",
        "yiti/tests/test_x.py": "from yiti.orgs.views import registry\nfrom yiti.core.testing import county\n",
    }) == []


def test_a_registry_may_not_borrow_another_registrys_views(tmp_path):
    found = _found(tmp_path, {
        "yiti/orgs/views.py": "from yiti.talents.views import TalentTable\nfrom yiti.talents import views\n",
        "yiti/orgs/urls.py": "from . import views\nfrom .views import registry\n",
        "yiti/talents/tests/test_x.py": "from yiti.talents.views import registry\n",
    })
    assert found == [
        "yiti/orgs/views.py:1: from yiti.talents.views import TalentTable — "
        "a registry app must not import another app's views (yiti.talents.views)",
        "yiti/orgs/views.py:2: from yiti.talents import views — "
        "a registry app must not import another app's views (yiti.talents.views)",
    ]


def test_a_package_outside_the_layers_is_reported(tmp_path):
    _tree(tmp_path, {"yiti/widgets/a.py": "", "yiti/core/b.py": "from yiti.gadgets import x\n"})
    assert check_tree(tmp_path)[1] == ["gadgets", "widgets"]

"""Messages on the Django side are English msgids translated in the catalogue, never Chinese written into the code.

The scan reads every module of `yiti` (AST, no import) and fails on a string literal with Chinese characters
outside a gettext call. Not scanned: tests and test factories, migrations, and the engine (no Django; its
Chinese errors stay). Docstrings are not messages. Chinese punctuation alone (a "、" joining a list) is not
counted. An English sentence that names a Chinese button or value ("as the list page's 导出 does") is allowed
when Chinese characters are under a quarter of its letters. Modules whose Chinese strings are data — values
read from or written into users' files, name normalisation, demo records — are listed with the reason.
"""

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
CHINESE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy",
           "npgettext", "npgettext_lazy", "gettext_noop"}
# Path prefixes (relative to the package) whose Chinese strings are data, not messages.
DATA_MODULES = {
    "core/code_data.py": "reads the code tables and the MCA division list without Django, like the engine",
    "core/validators.py": "phone patterns (转 before an extension)",
    "demo/": "demo records and accounts",
    "core/demo/": "demo records (before the demo app)",
    "accounts/demo.py": "demo accounts (before the demo app)",
    "formats/": "Chinese date formats",
    "settings.py": "the language's own name in the language menu",
    "imports/columns.py": "cell values read from import files (是/否, 万元, 2024年3月1日)",
    "imports/matching.py": "name normalisation: region suffixes, company forms, placeholders such as 不详",
    "imports/write.py": "organisation kinds guessed from words in names (大学, 研究所, 公司)",
    "imports/reader.py": "the template's 说明 sheet and yes/no cells as the import reads them",
    "imports/template.py": "the template's 说明 sheet and example cells",
}


def scanned_modules() -> list[Path]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        parts = relative.parts
        if parts[0] == "engine" or "tests" in parts or "migrations" in parts:
            continue
        if path.name in ("testing.py", "conftest.py"):
            continue
        if relative.as_posix().startswith(tuple(DATA_MODULES)):
            continue
        out.append(path)
    return out


def _called_name(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def hard_coded(source: str) -> list[tuple[int, str]]:
    """(line, text) of each string literal in `source` that is a Chinese message written into the code."""
    tree = ast.parse(source)
    exempt: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and body
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)):
            exempt.add(id(body[0].value))  # a docstring
        if isinstance(node, ast.Call) and _called_name(node) in GETTEXT:
            for arg in node.args:
                exempt |= {id(n) for n in ast.walk(arg)}  # a msgid (or its context)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in exempt:
            chinese = len(CHINESE.findall(node.value))
            if chinese and chinese * 4 >= chinese + len(LATIN.findall(node.value)):
                found.append((node.lineno, node.value))
    return sorted(found)


def test_the_scan_finds_chinese_messages_and_leaves_msgids_and_docstrings_alone():
    source = '''
"""模块说明."""
from django.utils.translation import gettext as _
def f(n):
    """函数说明."""
    a = _("Write 是 or 否, not “%(value)s”.")
    b = "、".join(["x"])
    c = "help: as the list page's 导出 does, masked; with a reason, unmasked as 明文导出 does."
    raise ValueError(f"第 {n} 行：列数不对")
def g():
    raise CommandError("--out 文件须以 .xlsx 或 .csv 结尾")
'''
    found = hard_coded(source)
    assert [line for line, _text in found] == [9, 9, 11]
    assert found[2][1] == "--out 文件须以 .xlsx 或 .csv 结尾"


def test_the_data_modules_exist_or_are_places_being_moved():
    # A stale entry would exempt a new module of the same name without anyone noticing.
    moving = {"core/demo/", "accounts/demo.py", "demo/"}
    missing = [p for p in DATA_MODULES if p not in moving and not (PACKAGE / p).exists()]
    assert not missing


def test_no_chinese_message_is_written_into_the_code():
    modules = scanned_modules()
    assert len(modules) > 50
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {text!r}"
        for path in modules
        for line, text in hard_coded(path.read_text(encoding="utf-8"))
    ]
    assert not found, (
        "Chinese in the code; write an English msgid with gettext and its Chinese in the catalogue "
        "(or, for data, list the module in DATA_MODULES with the reason):\n" + "\n".join(found)
    )

"""Messages on the Django side are English msgids translated in the catalogue, never Chinese written into the code.

The scan reads every module of `yiti` (AST, no import) and fails on a string literal with Chinese characters
that is not one of these:
- a docstring, or an argument of a gettext call (an English msgid may name a Chinese value: "Write 是 or 否");
- a pattern given to `re` (`[#转]` in a phone number);
- an English sentence naming a Chinese button ("as the list page's 导出 does"): Chinese characters under a
  quarter of its letters;
- in a module of WORD_MODULES, a single Chinese word (at most 8 characters, nothing else): the values those
  modules read from or write into users' files and names (是/否, 说明, 有限公司, 研究所);
- anything in a module of WHOLE_MODULES, each with its reason.
Chinese punctuation alone (a "、" joining a list) is not counted. Not scanned: tests and test factories,
migrations, and the engine (no Django; its Chinese errors stay).
"""

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
CHINESE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
CHINESE_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{1,8}")
LATIN = re.compile(r"[A-Za-z]")
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy",
           "npgettext", "npgettext_lazy", "gettext_noop"}
REGEX_CALLS = {"compile", "sub", "subn", "match", "fullmatch", "search", "split", "findall", "finditer"}
# Path prefixes (relative to the package) not scanned, with the reason.
WHOLE_MODULES = {
    "core/code_data.py": "reads the code tables and the MCA division list without Django, like the engine",
    "formats/": "Chinese date formats (Y年n月)",
    "demo/": "demo records and accounts",
    "dashboard/report_template.py": "the default work-report template: a Chinese Word document the office edits",
}
# Modules where a single Chinese word is data, with what the words are.
WORD_MODULES = {
    "settings.py": "the language's own name in the language menu",
    "imports/columns.py": "yes/no words read from import files",
    "imports/matching.py": "name normalisation: region suffixes, company forms, placeholders such as 不详",
    "imports/write.py": "organisation kinds guessed from words in names",
    "imports/reader.py": "the template's 说明 sheet and yes/no cells as the import reads them",
    "imports/template.py": "the template's 说明 sheet and example cells",
    "dashboard/targets.py": "the annual-target workbook's column headers, sheet name and 全市, as users' files hold them",
}


def relative(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def scanned_modules() -> list[Path]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if parts[0] == "engine" or "tests" in parts or "migrations" in parts:
            continue
        if path.name in ("testing.py", "conftest.py") or relative(path).startswith(tuple(WHOLE_MODULES)):
            continue
        out.append(path)
    return out


def _called(node: ast.Call) -> tuple[str, str]:
    """(object, name) of the function called: ("re", "compile"), ("", "_")."""
    func = node.func
    if isinstance(func, ast.Name):
        return "", func.id
    if isinstance(func, ast.Attribute):
        return (func.value.id if isinstance(func.value, ast.Name) else "?"), func.attr
    return "?", ""


def hard_coded(source: str, words_are_data: bool = False) -> list[tuple[int, str]]:
    """(line, text) of each string literal in `source` that is a Chinese message written into the code."""
    tree = ast.parse(source)
    exempt: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and body
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)):
            exempt.add(id(body[0].value))  # a docstring
        if isinstance(node, ast.Call):
            owner, name = _called(node)
            if owner in ("", "translation") and name in GETTEXT:
                for arg in node.args:
                    exempt |= {id(n) for n in ast.walk(arg)}  # a msgid or its context
            elif owner == "re" and name in REGEX_CALLS and node.args:
                exempt |= {id(n) for n in ast.walk(node.args[0])}  # a pattern
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str) or id(node) in exempt:
            continue
        text = node.value
        chinese = len(CHINESE.findall(text))
        if not chinese or chinese * 4 < chinese + len(LATIN.findall(text)):
            continue
        if words_are_data and CHINESE_WORD.fullmatch(text):
            continue
        found.append((node.lineno, text))
    return sorted(found)


def test_the_scan_finds_chinese_messages_and_leaves_msgids_patterns_and_docstrings_alone():
    source = '''
"""模块说明."""
import re
from django.utils.translation import gettext as _
def f(n):
    """函数说明."""
    a = _("Write 是 or 否, not “%(value)s”.")
    b = "、".join(["x"])
    c = "help: as the list page's 导出 does, masked; with a reason, unmasked as 明文导出 does."
    d = re.compile(r"(0\\d{2,3})-?(\\d{7,8})(?:[#转](\\d{1,6}))?")
    raise ValueError(f"第 {n} 行：列数不对")
def g(yes):
    if yes == "是":
        raise CommandError("--out 文件须以 .xlsx 或 .csv 结尾")
'''
    found = hard_coded(source)
    assert [line for line, _text in found] == [11, 11, 13, 14]
    assert found[3][1] == "--out 文件须以 .xlsx 或 .csv 结尾"
    # In a module of words, the single word is data; the sentences are still messages.
    assert [line for line, _text in hard_coded(source, words_are_data=True)] == [11, 11, 14]


def test_the_listed_modules_exist():
    # A stale entry would exempt a new module of the same name without anyone noticing.
    missing = [p for p in [*WHOLE_MODULES, *WORD_MODULES] if not (PACKAGE / p).exists()]
    assert not missing


def test_no_chinese_message_is_written_into_the_code():
    modules = scanned_modules()
    assert len(modules) > 50
    found = [
        f"{relative(path)}:{line}: {text!r}"
        for path in modules
        for line, text in hard_coded(path.read_text(encoding="utf-8"), relative(path) in WORD_MODULES)
    ]
    assert not found, (
        "Chinese in the code; write an English msgid with gettext and its Chinese in the catalogue "
        "(data, not a message: see WORD_MODULES and WHOLE_MODULES):\n" + "\n".join(found)
    )

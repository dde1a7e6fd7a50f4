"""The zh-hans catalogue: complete, not fuzzy, placeholders intact, and the compiled .mo in step with the .po.

A tiny reader of .po files keeps this free of new dependencies. No database needed.
"""

import gettext
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation

LC_MESSAGES = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"

ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def unquote(text: str) -> str:
    """The value of one C-quoted .po string, `"..."`."""
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), f"not a quoted string: {text!r}"
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(0)), text[1:-1])


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # plain msgstr is index 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


def parse_po(text: str) -> list[Entry]:
    """Entries in file order (the header included). Entries are separated by blank lines, as
    makemessages and msgcat write them; obsolete `#~` lines are skipped."""
    entries: list[Entry] = []
    number = 0
    for block in re.split(r"\n[ \t]*\n", text):
        first_line = number + 1
        number += block.count("\n") + 2
        entry = Entry(line=first_line)
        target: tuple[str, int] | None = None  # the keyword that continuation lines extend
        seen = False
        for raw in block.splitlines():
            line = raw.strip()
            if not line or line.startswith("#~"):
                continue
            if line.startswith("#"):
                if line.startswith("#,"):
                    entry.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
                continue
            if line.startswith('"'):
                assert target is not None, f"near line {first_line}: stray string {raw!r}"
                keyword, index = target
            else:
                match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line)
                assert match, f"near line {first_line}: cannot read {raw!r}"
                keyword, index, line = match.group(1), int(match.group(2) or 0), match.group(3)
                target = (keyword, index)
                seen = True
            if keyword == "msgstr":
                entry.msgstr[index] = entry.msgstr.get(index, "") + unquote(line)
            else:
                setattr(entry, keyword, (getattr(entry, keyword) or "") + unquote(line))
        if seen:
            entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return parse_po(PO_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def messages(entries) -> list[Entry]:
    """Every entry but the header."""
    return [e for e in entries if e.msgid != "" or e.msgctxt is not None]


def test_the_parser_reads_multi_line_strings_and_plurals():
    sample = """# header
msgid ""
msgstr ""
"Plural-Forms: nplurals=1; plural=0;\\n"

#: a.py:1
#, python-format
msgid ""
"A long %(x)s "
"message"
msgstr ""
"一条很长的%(x)s"
"消息"

msgctxt "menu"
msgid "One"
msgid_plural "Many"
msgstr[0] "\\"多\\""
"""
    header, long, plural = parse_po(sample)
    assert header.msgid == "" and "nplurals=1" in header.msgstr[0]
    assert long.msgid == "A long %(x)s message" and long.msgstr == {0: "一条很长的%(x)s消息"}
    assert long.flags == {"python-format"}
    assert (plural.msgctxt, plural.msgid, plural.msgid_plural, plural.msgstr) == (
        "menu",
        "One",
        "Many",
        {0: '"多"'},
    )


def test_header_is_zh_hans_with_one_plural_form(entries):
    header = entries[0]
    assert header.msgid == "" and header.msgctxt is None
    assert "Plural-Forms: nplurals=1; plural=0;\n" in header.msgstr[0]
    assert "Content-Type: text/plain; charset=UTF-8\n" in header.msgstr[0]


def test_catalogue_is_not_empty(messages):
    assert len(messages) > 300


def test_no_entry_is_untranslated(messages):
    untranslated = []
    for e in messages:
        # zh has one plural form, so plural entries need msgstr[0] just like the others
        if not e.msgstr.get(0, "").strip():
            untranslated.append(f"line {e.line}: {e.msgid!r}")
    assert not untranslated, "untranslated:\n" + "\n".join(untranslated)


def test_no_entry_is_fuzzy(entries):
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in entries if "fuzzy" in e.flags]
    assert not fuzzy, "fuzzy:\n" + "\n".join(fuzzy)
    assert "#, fuzzy" not in PO_PATH.read_text(encoding="utf-8")


def test_no_msgid_appears_twice(messages):
    twice = [key for key, n in Counter(e.key for e in messages).items() if n > 1]
    assert not twice


PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{[\w:.!]*\}")


def test_placeholders_are_kept(messages):
    wrong = []
    for e in messages:
        expected = Counter(PLACEHOLDER.findall(e.msgid))
        for text in e.msgstr.values():
            if Counter(PLACEHOLDER.findall(text)) != expected:
                wrong.append(f"line {e.line}: {e.msgid!r} → {text!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_compiled_catalogue_matches_the_po(messages):
    """Stands in for comparing mtimes (unreliable in a git checkout): the .mo must give every msgstr of the .po."""
    assert MO_PATH.exists(), "run: cd yiti && ../.venv/bin/yiti compilemessages --locale zh_Hans"
    with MO_PATH.open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    stale = []
    for e in messages:
        if e.msgid_plural is None:
            got = mo.pgettext(e.msgctxt, e.msgid) if e.msgctxt is not None else mo.gettext(e.msgid)
            if got != e.msgstr[0]:
                stale.append(f"{e.msgid!r}: .mo gives {got!r}, .po says {e.msgstr[0]!r}")
        else:
            for n in (1, 2, 5):
                if e.msgctxt is not None:
                    got = mo.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
                else:
                    got = mo.ngettext(e.msgid, e.msgid_plural, n)
                if got != e.msgstr[0]:
                    stale.append(f"{e.msgid!r} (n={n}): .mo gives {got!r}, .po says {e.msgstr[0]!r}")
    assert not stale, "the .mo is out of date; recompile:\n" + "\n".join(stale)


@pytest.mark.parametrize(
    ("msgid", "expected"),
    [
        ("Change history", "变更记录"),
        ("Add", "新增"),
        ("Edit", "编辑"),
        ("Delete", "删除"),
        ("Search", "搜索"),
        ("Reset", "重置"),
        ("Home", "首页"),
        ("unified social credit code", "统一社会信用代码"),
        ("budget (10k yuan)", "预算（万元）"),
        # third-party msgids our catalogue supplies (no zh_Hans catalogue in those packages)
        ("create", "创建"),
        ("update", "修改"),
        ("delete", "删除"),
        ("access", "访问"),
        ("Multiple values may be separated by commas.", "多个值可用逗号分隔。"),
    ],
)
def test_known_strings_through_django(msgid, expected):
    with translation.override("zh-hans"):
        assert translation.gettext(msgid) == expected


def test_error_pages_and_validation_messages_through_django():
    with translation.override("zh-hans"):
        assert "安全令牌" in translation.gettext(
            "This form was not accepted: its security token is missing or expired. Nothing was saved. "
            "Reload the page and submit it again."
        )
        assert "不存在" in translation.gettext(
            "The page or record you asked for does not exist, or it was deleted."
        )
        message = translation.gettext("A unified social credit code has 18 characters; this one has %(n)d.")
        assert message % {"n": 17} == "统一社会信用代码应为18位，当前为17位。"
        counted = translation.ngettext("%(counter)s record", "%(counter)s records", 3)
        assert counted % {"counter": 3} == "共 3 条"


def test_auditlog_action_labels_are_chinese():
    from auditlog.models import LogEntry

    with translation.override("zh-hans"):
        labels = {str(label) for _, label in LogEntry.Action.choices}
    assert labels == {"创建", "修改", "删除", "访问"}

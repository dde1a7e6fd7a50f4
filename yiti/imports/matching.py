"""Tolerant matching of what people type in spreadsheets against the platform's dictionaries.

Office files spell the same thing many ways: "马列·科社", "马列科社", "马列•科社"; "湖南" for
湖南省; "正高级（教授、研究员等）" or "教授" for 正高级; full-width digits and stray line breaks.
`norm` reduces a cell to a comparison key; `Dictionary` maps keys (code, name, code + name as
exported, known aliases from data/aliases.csv) to one value and says when a key is ambiguous.
"""

import csv
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from importlib import resources

# Punctuation and spacing that never distinguishes two dictionary entries or two titles.
_NOISE = re.compile(r"[\s\u3000·•・.。,，、;；:：'\"“”‘’`()（）\[\]【】《》<>〈〉!！?？\-—–_/\\|~～*＊#]+")
_BRACKETED = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
# Cells that mean "unknown" in the lists offices and grant bodies publish.
NULL_MARKERS = frozenset({"0", "00", "0000", "无", "-", "--", "—", "——", "/", "不详", "未知", "暂无", "null", "none", "n/a",
                          "na", "nan"})


def norm(text: str) -> str:
    """The comparison key of a cell: NFKC (full-width → half-width), lower case, no punctuation or spaces."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text or "")).lower()


@cache
def _t2s() -> dict[int, str]:
    table: dict[int, str] = {}
    with resources.files("yiti.imports").joinpath("data/t2s.txt").open(encoding="utf-8") as handle:
        for line in handle:
            if len(line.rstrip("\n")) == 2 and not line.startswith("#"):
                table[ord(line[0])] = line[1]
    return table


def simplified(text: str) -> str:
    """協和電力 → 协和电力, character by character (for comparison keys only, never shown)."""
    return (text or "").translate(_t2s())


# Legal forms written two ways for one company (公司法: 有限责任公司 is usually shortened to 有限公司).
_LEGAL_FORMS = (("有限责任公司", "有限公司"),)


def name_key(text: str) -> str:
    """The key under which two names or titles count as "nearly the same": `norm` of the simplified text."""
    return _NOISE.sub("", simplified(unicodedata.normalize("NFKC", text or ""))).lower()


def org_key(text: str) -> str:
    """`name_key` of an organisation's name, its legal form unified: 榆次協和電力科技有限責任公司 → 榆次协和电力科技有限公司."""
    key = name_key(text)
    for long, short in _LEGAL_FORMS:
        key = key.replace(long, short)
    return key


def is_null_marker(text: str) -> bool:
    return unicodedata.normalize("NFKC", text or "").strip().lower() in NULL_MARKERS


def without_brackets(text: str) -> str:
    """"正高级（教授、研究员等）" → "正高级": a remark in brackets is tried away when nothing matched."""
    return _BRACKETED.sub("", text)


@cache
def aliases() -> dict[str, list[tuple[str, str]]]:
    """dictionary name → [(alias, target)] from the package's alias table."""
    table: dict[str, list[tuple[str, str]]] = {}
    with resources.files("yiti.imports").joinpath("data/aliases.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            table.setdefault(row["dictionary"], []).append((row["alias"], row["target"]))
    return table


class Ambiguous(Exception):
    def __init__(self, candidates: list[str]):
        super().__init__(candidates)
        self.candidates = candidates


class Dictionary:
    """Keys → value, built from (value, [names that denote it]); later names never override earlier ones.

    Names are given strongest first: a key two values both claim at the same strength is ambiguous,
    at different strengths the stronger wins (法学 the discipline beats 法学 the category).
    """

    def __init__(self) -> None:
        self._keys: dict[str, tuple[int, object]] = {}
        self._ambiguous: dict[str, list[str]] = {}
        self._labels: dict[object, str] = {}

    def add(self, value: object, names: Iterable[str], strength: int = 0, label: str = "") -> None:
        self._labels.setdefault(value, label or str(value))
        for name in names:
            key = norm(name)
            if not key:
                continue
            held = self._keys.get(key)
            if held is None or held[0] < strength:
                self._keys[key] = (strength, value)
                self._ambiguous.pop(key, None)
            elif held[0] == strength and held[1] != value:
                self._ambiguous.setdefault(key, [self._labels[held[1]]]).append(self._labels[value])

    def alias(self, alias: str, target: str) -> None:
        """`alias` denotes whatever `target` denotes (a code or a name already added)."""
        found = self._keys.get(norm(target))
        if found is not None:
            self.add(found[1], [alias], strength=-1)

    def get(self, text: str) -> object | None:
        """The value `text` denotes, None when nothing does; Ambiguous when several do."""
        for attempt in (text, without_brackets(text)):
            key = norm(attempt)
            if key in self._ambiguous:
                raise Ambiguous(self._ambiguous[key])
            if key in self._keys:
                return self._keys[key][1]
        return None

    def labels(self) -> list[str]:
        return list(self._labels.values())


_PROVINCIAL_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")
_LOCAL_SUFFIXES = ("市", "区", "县")


def short_names(name: str, level: str) -> list[str]:
    """湖南省 → 湖南, 内蒙古自治区 → 内蒙古, 榆次区 → 榆次 (short forms used in lists)."""
    suffixes = _PROVINCIAL_SUFFIXES if level == "province" else _LOCAL_SUFFIXES
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return [name[: -len(suffix)]]
    return []

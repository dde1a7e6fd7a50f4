"""The platform's code tables, read from the CSV files in ``yiti/core/data``.

Pure Python (no Django): the files are entered by hand from the published standards —
GB/T 2260 divisions (Shanxi and Jinzhong only), GB/T 4754-2017 industries (门类 and 大类),
the 2022 graduate discipline catalogue (学科门类 and 一级学科), the GB/T 22900-2022 technology
readiness levels, professional title levels, talent programmes and the universities in Jinzhong.

``parse_mca_division_list`` reads the full division code list as the Ministry of Civil Affairs
publishes it, so that an installation can load every division, not only the demo subset.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = [
    "CodeEntry",
    "TRLLevel",
    "TalentProgramme",
    "University",
    "disciplines",
    "divisions",
    "industries",
    "jinzhong_universities",
    "parse_mca_division_list",
    "talent_programmes",
    "title_levels",
    "trl_levels",
]

DATA_PACKAGE = "yiti.core"
DATA_DIR = "data"


@dataclass(frozen=True)
class CodeEntry:
    """One row of a hierarchical code table; ``parent_code`` is ``""`` at the top level."""

    code: str
    name: str
    level: str
    parent_code: str = ""


@dataclass(frozen=True)
class TRLLevel:
    """A technology readiness level (GB/T 22900-2022), 1 to 9."""

    level: int
    name: str
    description: str


@dataclass(frozen=True)
class TalentProgramme:
    """A talent programme or honour recorded on a talent; level is national/provincial/municipal/county."""

    code: str
    name: str
    level: str


@dataclass(frozen=True)
class University:
    """A university or college with a campus in Jinzhong; ``division_code`` is the campus's county code."""

    name: str
    short_name: str
    kind: str
    division_code: str


def _read_rows(filename: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of a package CSV file as dicts, after checking the header and that no cell is missing."""
    text = resources.files(DATA_PACKAGE).joinpath(DATA_DIR).joinpath(filename).read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != columns:
        raise ValueError(
            f"{filename}: 表头应为 {','.join(columns)}，实为 {','.join(reader.fieldnames or ())}"
        )
    rows = []
    for row in reader:
        if None in row or any(value is None for value in row.values()):
            raise ValueError(f"{filename} 第 {reader.line_num} 行：列数不对")
        rows.append({key: value.strip() for key, value in row.items()})
    return rows


def _code_entries(filename: str) -> list[CodeEntry]:
    return [
        CodeEntry(code=r["code"], name=r["name"], level=r["level"], parent_code=r["parent_code"])
        for r in _read_rows(filename, ("code", "name", "level", "parent_code"))
    ]


@cache
def _divisions() -> tuple[CodeEntry, ...]:
    return tuple(_code_entries("divisions_demo.csv"))


@cache
def _industries() -> tuple[CodeEntry, ...]:
    return tuple(_code_entries("industries_gbt4754_2017.csv"))


@cache
def _disciplines() -> tuple[CodeEntry, ...]:
    return tuple(_code_entries("disciplines_2022.csv"))


@cache
def _trl_levels() -> tuple[TRLLevel, ...]:
    rows = _read_rows("trl_gbt22900_2022.csv", ("level", "name", "description"))
    return tuple(TRLLevel(level=int(r["level"]), name=r["name"], description=r["description"]) for r in rows)


@cache
def _title_levels() -> tuple[tuple[str, str], ...]:
    return tuple((r["code"], r["name"]) for r in _read_rows("title_levels.csv", ("code", "name")))


@cache
def _talent_programmes() -> tuple[TalentProgramme, ...]:
    rows = _read_rows("talent_programmes.csv", ("code", "name", "level"))
    return tuple(TalentProgramme(code=r["code"], name=r["name"], level=r["level"]) for r in rows)


@cache
def _jinzhong_universities() -> tuple[University, ...]:
    rows = _read_rows("jinzhong_universities.csv", ("name", "short_name", "kind", "division_code"))
    return tuple(
        University(
            name=r["name"], short_name=r["short_name"], kind=r["kind"], division_code=r["division_code"]
        )
        for r in rows
    )


# The public loaders return fresh lists (callers may sort or filter them) over cached tuples.


def divisions() -> list[CodeEntry]:
    """山西省, its 11 cities and Jinzhong's 11 county-level units (GB/T 2260)."""
    return list(_divisions())


def industries() -> list[CodeEntry]:
    """GB/T 4754-2017: 20 sections (门类, A–T) and 97 divisions (大类, 01–97)."""
    return list(_industries())


def disciplines() -> list[CodeEntry]:
    """研究生教育学科专业目录（2022年）: 14 categories (学科门类) and 117 一级学科."""
    return list(_disciplines())


def trl_levels() -> list[TRLLevel]:
    """The nine technology readiness levels of GB/T 22900-2022."""
    return list(_trl_levels())


def title_levels() -> list[tuple[str, str]]:
    """Professional title levels as (code, name), from 正高级 down to 员级."""
    return list(_title_levels())


def talent_programmes() -> list[TalentProgramme]:
    return list(_talent_programmes())


def jinzhong_universities() -> list[University]:
    return list(_jinzhong_universities())


# --- The Ministry of Civil Affairs division code list ------------------------------------------

_CODE_RE = re.compile(r"^[0-9]{6}$")
_LOOKS_LIKE_DATA_RE = re.compile(r"^\s*\ufeff?\s*\"?[0-9]{6}")
_GLUED_RE = re.compile(r"^([0-9]{6})([^0-9\s,].*)$")


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")  # a superset of GBK and GB2312
    except UnicodeDecodeError as exc:
        raise ValueError("无法识别文件编码：应为 UTF-8 或 GBK") from exc


def _read_source(source: str | bytes | os.PathLike[str]) -> str:
    if isinstance(source, bytes):
        return _decode(source)
    if isinstance(source, os.PathLike):
        with open(source, "rb") as f:
            return _decode(f.read())
    if "\n" in source or "\r" in source or _LOOKS_LIKE_DATA_RE.match(source):
        return source.lstrip("\ufeff")
    with open(source, "rb") as f:  # a single line that is not data: a file name
        return _decode(f.read())


def _split_line(line: str) -> list[str]:
    """The fields of one line: comma-separated (CSV, possibly quoted), tab-separated or space-separated."""
    if "," in line or "，" in line:
        fields = next(csv.reader([line.replace("，", ",")]))
    elif "\t" in line:
        fields = line.split("\t")
    else:
        fields = line.split(maxsplit=1)
        glued = _GLUED_RE.match(line)
        if len(fields) == 1 and glued:  # “140700晋中市”: code and name without a separator
            fields = [glued[1], glued[2]]
    return [f.strip().strip('"').strip() for f in fields]


def parse_mca_division_list(source: str | bytes | os.PathLike[str]) -> list[CodeEntry]:
    """Parse the MCA administrative division code list (two columns: six-digit code, name).

    ``source`` is a path (``str`` or ``os.PathLike``), the file's bytes, or its text. UTF-8,
    UTF-8 with BOM and GBK are accepted; blank lines and surrounding whitespace are ignored, and so
    is a header row before the first code. Level and parent come from the code: ``XX0000`` is a
    province, ``XXXX00`` a city under ``XX0000``, anything else a county under ``XXXX00`` — or under
    the province when that city code is absent (province-administered county-level units such as
    济源市 or 仙桃市, and municipalities' districts in lists without the 市辖区 row).

    Raises ``ValueError`` naming the line number for a malformed line or a repeated code.
    """
    text = _read_source(source)
    pairs: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().lstrip("\ufeff").strip()
        if not line:
            continue
        fields = _split_line(line)
        code = fields[0]
        if not pairs and not code.isdigit():
            continue  # a title or header row such as “行政区划代码,单位名称” before the first code
        if not _CODE_RE.match(code) or code.startswith("00"):
            raise ValueError(f"第 {lineno} 行：行政区划代码“{code}”不是有效的六位数字代码")
        name = fields[1] if len(fields) > 1 else ""
        if not name:
            raise ValueError(f"第 {lineno} 行：行政区划代码 {code} 缺少名称")
        if any(fields[2:]):
            raise ValueError(f"第 {lineno} 行：应只有代码和名称两列")
        if code in seen:
            raise ValueError(f"第 {lineno} 行：行政区划代码 {code} 与第 {seen[code]} 行重复")
        seen[code] = lineno
        pairs.append((code, name))
    if not pairs:
        raise ValueError("文件中没有找到行政区划代码")

    codes = set(seen)
    entries = []
    for code, name in pairs:
        province = code[:2] + "0000"
        city = code[:4] + "00"
        if code == province:
            level, parent = "province", ""
        elif code == city:
            level, parent = "city", province if province in codes else ""
        else:
            level = "county"
            parent = city if city in codes else province if province in codes else ""
        entries.append(CodeEntry(code=code, name=name, level=level, parent_code=parent))
    return entries

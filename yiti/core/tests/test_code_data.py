"""The hand-entered code tables and the MCA division list parser. No database needed."""

import re
from collections import Counter
from pathlib import Path

import pytest

from yiti.core import code_data
from yiti.core.code_data import CodeEntry, parse_mca_division_list

HIERARCHICAL = {
    "divisions": code_data.divisions,
    "industries": code_data.industries,
    "disciplines": code_data.disciplines,
}

CODE_FORMATS = {
    ("divisions", "province"): r"[1-8][0-9]0000",
    ("divisions", "city"): r"[1-8][0-9](0[1-9]|[1-9][0-9])00",
    ("divisions", "county"): r"[1-8][0-9][0-9]{2}(0[1-9]|[1-9][0-9])",
    ("industries", "section"): r"[A-T]",
    ("industries", "division"): r"(0[1-9]|[1-8][0-9]|9[0-7])",
    ("disciplines", "category"): r"(0[1-9]|1[0-4])",
    ("disciplines", "discipline"): r"(0[1-9]|1[0-4])(0[1-9]|[1-4][0-9])",
}

LEVELS = {
    "divisions": ("province", "city", "county"),
    "industries": ("section", "division"),
    "disciplines": ("category", "discipline"),
}


def by_code(entries: list[CodeEntry]) -> dict[str, CodeEntry]:
    return {e.code: e for e in entries}


# --- counts -----------------------------------------------------------------------------------


def test_industry_counts() -> None:
    levels = Counter(e.level for e in code_data.industries())
    assert levels == {"section": 20, "division": 97}


def test_industry_sections_are_a_to_t_and_divisions_01_to_97() -> None:
    entries = code_data.industries()
    assert [e.code for e in entries if e.level == "section"] == [
        chr(c) for c in range(ord("A"), ord("T") + 1)
    ]
    assert [e.code for e in entries if e.level == "division"] == [f"{n:02d}" for n in range(1, 98)]


def test_discipline_counts() -> None:
    levels = Counter(e.level for e in code_data.disciplines())
    assert levels == {"category": 14, "discipline": 117}


def test_disciplines_per_category() -> None:
    per_category = Counter(e.parent_code for e in code_data.disciplines() if e.level == "discipline")
    assert per_category == {
        "01": 1, "02": 2, "03": 8, "04": 3, "05": 3, "06": 3, "07": 14,
        "08": 38, "09": 10, "10": 11, "11": 11, "12": 5, "13": 1, "14": 7,
    }  # fmt: skip


def test_no_professional_degree_categories() -> None:
    # 专业学位类别 have a "5" as the third digit (e.g. 0854 电子信息); they are not in this table.
    assert not [e.code for e in code_data.disciplines() if len(e.code) == 4 and e.code[2] == "5"]


def test_division_counts() -> None:
    entries = code_data.divisions()
    levels = Counter(e.level for e in entries)
    # All 34 provincial-level units (talents and grant lists come from everywhere), Shanxi's cities, Jinzhong's counties.
    assert levels == {"province": 34, "city": 11, "county": 11}
    assert {e.name for e in entries if e.level == "province"} >= {"北京市", "山西省", "新疆维吾尔自治区", "澳门特别行政区"}
    assert all(e.parent_code == "140700" for e in entries if e.level == "county")
    assert all(e.parent_code == "140000" for e in entries if e.level == "city")


def test_trl_levels() -> None:
    levels = code_data.trl_levels()
    assert [t.level for t in levels] == list(range(1, 10))
    assert all(t.name and t.description for t in levels)
    assert len({t.name for t in levels}) == 9


def test_title_levels() -> None:
    assert code_data.title_levels() == [
        ("senior", "正高级"),
        ("deputy_senior", "副高级"),
        ("intermediate", "中级"),
        ("assistant", "助理级"),
        ("clerk", "员级"),
    ]


# --- structure --------------------------------------------------------------------------------


@pytest.mark.parametrize("table", HIERARCHICAL)
def test_every_parent_exists_and_is_one_level_up(table: str) -> None:
    entries = HIERARCHICAL[table]()
    codes = by_code(entries)
    order = LEVELS[table]
    for e in entries:
        if e.level == order[0]:
            assert e.parent_code == "", e
        else:
            assert e.parent_code in codes, e
            assert order.index(codes[e.parent_code].level) == order.index(e.level) - 1, e


@pytest.mark.parametrize("table", HIERARCHICAL)
def test_code_formats(table: str) -> None:
    for e in HIERARCHICAL[table]():
        assert e.level in LEVELS[table], e
        assert re.fullmatch(CODE_FORMATS[table, e.level], e.code), e
        assert e.name and e.name == e.name.strip(), e
        if e.parent_code and table != "industries":
            assert e.code.startswith(e.parent_code.rstrip("0") if table == "divisions" else e.parent_code), e


@pytest.mark.parametrize("table", HIERARCHICAL)
def test_no_duplicate_codes_or_names_within_a_level(table: str) -> None:
    entries = HIERARCHICAL[table]()
    assert len({e.code for e in entries}) == len(entries)
    for level in LEVELS[table]:
        names = [e.name for e in entries if e.level == level]
        assert len(set(names)) == len(names), [n for n, c in Counter(names).items() if c > 1]


def test_loaders_return_fresh_lists() -> None:
    first = code_data.industries()
    first.clear()
    assert len(code_data.industries()) == 117


# --- spot checks of entries office staff know by heart ----------------------------------------


@pytest.mark.parametrize(
    ("code", "name", "parent"),
    [
        ("A", "农、林、牧、渔业", ""),
        ("C", "制造业", ""),
        ("I", "信息传输、软件和信息技术服务业", ""),
        ("M", "科学研究和技术服务业", ""),
        ("T", "国际组织", ""),
        ("06", "煤炭开采和洗选业", "B"),
        ("13", "农副食品加工业", "C"),
        ("31", "黑色金属冶炼和压延加工业", "C"),
        ("36", "汽车制造业", "C"),
        ("39", "计算机、通信和其他电子设备制造业", "C"),
        ("65", "软件和信息技术服务业", "I"),
        ("73", "研究和试验发展", "M"),
        ("79", "土地管理业", "N"),
        ("83", "教育", "P"),
        ("97", "国际组织", "T"),
    ],
)
def test_industry_spot_checks(code: str, name: str, parent: str) -> None:
    entry = by_code(code_data.industries())[code]
    assert (entry.name, entry.parent_code) == (name, parent)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("01", "哲学"),
        ("08", "工学"),
        ("14", "交叉学科"),
        ("0101", "哲学"),
        ("0201", "理论经济学"),
        ("0305", "马克思主义理论"),
        ("0307", "中共党史党建学"),
        ("0714", "统计学"),
        ("0812", "计算机科学与技术"),
        ("0835", "软件工程"),
        ("0839", "网络空间安全"),
        ("0910", "水土保持与荒漠化防治学"),
        ("1012", "法医学"),
        ("1202", "工商管理学"),
        ("1205", "信息资源管理"),
        ("1301", "艺术学"),
        ("1401", "集成电路科学与工程"),
        ("1403", "设计学"),
        ("1405", "智能科学与技术"),
        ("1407", "区域国别学"),
    ],
)
def test_discipline_spot_checks(code: str, name: str) -> None:
    assert by_code(code_data.disciplines())[code].name == name


@pytest.mark.parametrize("code", ["0834", "1010", "1302", "1305"])
def test_codes_dropped_from_the_2022_catalogue_are_absent(code: str) -> None:
    # 风景园林学 and 医学技术 became 专业学位 only; 艺术学 merged the former 1301–1305.
    assert code not in by_code(code_data.disciplines())


@pytest.mark.parametrize(
    ("code", "name", "level"),
    [
        ("140000", "山西省", "province"),
        ("140100", "太原市", "city"),
        ("140700", "晋中市", "city"),
        ("140800", "运城市", "city"),
        ("141100", "吕梁市", "city"),
        ("140702", "榆次区", "county"),
        ("140703", "太谷区", "county"),
        ("140727", "祁县", "county"),
        ("140728", "平遥县", "county"),
        ("140781", "介休市", "county"),
    ],
)
def test_division_spot_checks(code: str, name: str, level: str) -> None:
    entry = by_code(code_data.divisions())[code]
    assert (entry.name, entry.level) == (name, level)


def test_taigu_is_a_district_not_a_county() -> None:
    codes = by_code(code_data.divisions())
    assert "140726" not in codes  # 太谷县 until 2019
    assert not [e for e in codes.values() if e.name == "太谷县"]


# --- the other tables -------------------------------------------------------------------------


def test_talent_programmes() -> None:
    programmes = code_data.talent_programmes()
    assert 10 <= len(programmes) <= 20
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", p.code) for p in programmes)
    assert all(p.level in {"national", "provincial", "municipal", "county"} for p in programmes)
    assert len({p.code for p in programmes}) == len(programmes)
    assert len({p.name for p in programmes}) == len(programmes)
    names = {p.name for p in programmes}
    assert "国家杰出青年科学基金获得者" in names
    assert any("三晋英才" in n for n in names)
    assert any("551" in n for n in names)


def test_jinzhong_universities() -> None:
    universities = code_data.jinzhong_universities()
    counties = {e.code for e in code_data.divisions() if e.level == "county" and e.parent_code == "140700"}
    assert universities
    assert len({u.name for u in universities}) == len(universities)
    assert all(u.kind in {"undergraduate", "vocational"} for u in universities)
    assert all(u.division_code in counties for u in universities)
    assert all(u.short_name for u in universities)
    by_name = {u.name: u for u in universities}
    assert by_name["山西农业大学"].division_code == "140703"
    assert by_name["晋中学院"].division_code == "140702"


def test_data_files_are_utf8_without_bom() -> None:
    data_dir = Path(code_data.__file__).parent / "data"
    for name in [
        "divisions_demo.csv",
        "industries_gbt4754_2017.csv",
        "disciplines_2022.csv",
        "trl_gbt22900_2022.csv",
        "title_levels.csv",
        "talent_programmes.csv",
        "jinzhong_universities.csv",
    ]:
        raw = (data_dir / name).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf"), name
        raw.decode("utf-8")


# --- parse_mca_division_list ------------------------------------------------------------------

SHANXI_SAMPLE = """行政区划代码,单位名称
140000,山西省
140700,晋中市
140702,榆次区
140703,太谷区
"""


def as_tuples(entries: list[CodeEntry]) -> list[tuple[str, str, str, str]]:
    return [(e.code, e.name, e.level, e.parent_code) for e in entries]


def test_parse_with_header() -> None:
    assert as_tuples(parse_mca_division_list(SHANXI_SAMPLE)) == [
        ("140000", "山西省", "province", ""),
        ("140700", "晋中市", "city", "140000"),
        ("140702", "榆次区", "county", "140700"),
        ("140703", "太谷区", "county", "140700"),
    ]


def test_parse_without_header_tabs_spaces_and_blank_lines() -> None:
    text = "\n  140000\t山西省  \n\n140700  晋中市\r\n   \n 140702 ,  榆次区 \n140781\u3000介休市\n"
    assert as_tuples(parse_mca_division_list(text)) == [
        ("140000", "山西省", "province", ""),
        ("140700", "晋中市", "city", "140000"),
        ("140702", "榆次区", "county", "140700"),
        ("140781", "介休市", "county", "140700"),
    ]


def test_parse_utf8_bom_bytes() -> None:
    data = SHANXI_SAMPLE.encode("utf-8-sig")
    assert as_tuples(parse_mca_division_list(data)) == as_tuples(parse_mca_division_list(SHANXI_SAMPLE))


def test_parse_bom_without_header() -> None:
    data = "140000,山西省\n140700,晋中市\n".encode("utf-8-sig")
    assert [e.code for e in parse_mca_division_list(data)] == ["140000", "140700"]


def test_parse_gbk_bytes() -> None:
    data = SHANXI_SAMPLE.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert as_tuples(parse_mca_division_list(data)) == as_tuples(parse_mca_division_list(SHANXI_SAMPLE))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_parse_from_path(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "mca.csv"
    path.write_bytes(SHANXI_SAMPLE.encode(encoding))
    expected = as_tuples(parse_mca_division_list(SHANXI_SAMPLE))
    assert as_tuples(parse_mca_division_list(path)) == expected
    assert as_tuples(parse_mca_division_list(str(path))) == expected


def test_parse_missing_file_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        parse_mca_division_list(str(tmp_path / "missing.csv"))


def test_parse_municipality_with_and_without_shixiaqu() -> None:
    with_row = "110000,北京市\n110100,市辖区\n110101,东城区\n110105,朝阳区\n"
    assert as_tuples(parse_mca_division_list(with_row)) == [
        ("110000", "北京市", "province", ""),
        ("110100", "市辖区", "city", "110000"),
        ("110101", "东城区", "county", "110100"),
        ("110105", "朝阳区", "county", "110100"),
    ]
    without_row = "110000,北京市\n110101,东城区\n110105,朝阳区\n"
    assert as_tuples(parse_mca_division_list(without_row)) == [
        ("110000", "北京市", "province", ""),
        ("110101", "东城区", "county", "110000"),
        ("110105", "朝阳区", "county", "110000"),
    ]


def test_parse_province_administered_county_level_units() -> None:
    text = "410000,河南省\n410100,郑州市\n410102,中原区\n419001,济源市\n420000,湖北省\n429004,仙桃市\n"
    parents = {e.code: (e.level, e.parent_code) for e in parse_mca_division_list(text)}
    assert parents["410102"] == ("county", "410100")
    assert parents["419001"] == ("county", "410000")
    assert parents["429004"] == ("county", "420000")


def test_parse_keeps_province_administered_row_when_listed() -> None:
    text = "410000,河南省\n419000,省直辖县级行政区划\n419001,济源市\n"
    assert as_tuples(parse_mca_division_list(text))[1:] == [
        ("419000", "省直辖县级行政区划", "city", "410000"),
        ("419001", "济源市", "county", "419000"),
    ]


def test_parse_quoted_csv_and_trailing_empty_column() -> None:
    text = '"code","name"\n"140000","山西省",\n'
    assert as_tuples(parse_mca_division_list(text)) == [("140000", "山西省", "province", "")]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("140000,山西省\n14070,晋中市\n", 2),
        ("code,name\n140000,山西省\n\n140700\n", 4),
        ("140000,山西省\n140700,\n", 2),
        ("140000,山西省\n晋中市,140700\n", 2),
        ("140000,山西省\n1407OO,晋中市\n", 2),
        ("140000,山西省\n140700,晋中市,extra\n", 2),
        ("140000,山西省\n140700,晋中市\n140700,晋中市\n", 3),
        ("000000,无\n", 1),
    ],
)
def test_parse_malformed_line_names_the_line(text: str, line: int) -> None:
    with pytest.raises(ValueError, match=f"第 {line} 行"):
        parse_mca_division_list(text)


def test_parse_empty_list_is_an_error() -> None:
    with pytest.raises(ValueError):
        parse_mca_division_list("行政区划代码,单位名称\n\n")


def test_parse_demo_divisions_round_trip() -> None:
    text = "\n".join(f"{e.code},{e.name}" for e in code_data.divisions())
    assert parse_mca_division_list(text) == code_data.divisions()


def test_parse_title_lines_and_glued_code_and_name() -> None:
    text = "2023年中华人民共和国县以上行政区划代码\n行政区划代码\t单位名称\n140000山西省\n140700 晋中市\n"
    assert as_tuples(parse_mca_division_list(text)) == [
        ("140000", "山西省", "province", ""),
        ("140700", "晋中市", "city", "140000"),
    ]

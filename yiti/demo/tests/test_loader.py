"""The vocabulary loader: the shipped files load once; a missing or malformed file is named with its key."""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from yiti.demo import loader
from yiti.demo.loader import VocabularyError


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the shipped data folder to break."""
    folder = tmp_path / "data"
    shutil.copytree(loader.DATA_DIR, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}: the test no longer breaks anything"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_shipped_files_are_all_read_once():
    assert {p.name for p in loader.DATA_DIR.iterdir()} == set(loader.FILES)  # no file lies there unread
    assert loader.vocabulary() is loader.vocabulary()
    assert loader.load(loader.DATA_DIR) == loader.vocabulary()


def test_a_topic_merges_its_own_lists_with_its_template_group(data: Path):
    vocabulary = loader.load(data)
    first = vocabulary.topics[0]
    assert first["field"] == "新能源汽车零部件" and first["key_field"] == "new_energy_vehicle"
    # own titles first, then the group's; enterprise suffixes from [defaults]
    assert first["need_titles"][0] == "为主机厂配套的{object}{keyword}技术需求"
    assert "{object}{keyword}关键技术攻关" in first["need_titles"]
    assert first["enterprise_suffixes"] == ["有限公司", "股份有限公司", "有限责任公司", "集团有限公司"]
    crafts = next(t for t in vocabulary.topics if t["field"] == "传统工艺美术")
    assert "{object}{keyword}关键技术攻关" not in crafts["result_titles"]  # only_result_titles replaces the group's
    assert any(t["key_field"] is None for t in vocabulary.topics)  # key_field left out


def test_a_missing_file_is_named(data: Path):
    (data / "people.toml").unlink()
    with pytest.raises(VocabularyError, match=r"people\.toml: the demo vocabulary file is missing"):
        loader.load(data)


def test_a_file_that_is_not_toml_is_named_with_its_line(data: Path):
    edit(data / "records.toml", "contact_summaries = [", "contact_summaries = [[")
    with pytest.raises(VocabularyError, match=r"records\.toml: not valid TOML: .*line \d+"):
        loader.load(data)


def test_a_file_that_is_not_utf8_is_named(data: Path):
    (data / "organisations.toml").write_bytes("brand_words = [\"华晋\"]\n".encode("gb18030"))
    with pytest.raises(VocabularyError, match=r"organisations\.toml: not UTF-8"):
        loader.load(data)


@pytest.mark.parametrize(("name", "old", "new", "message"), [
    # a misspelt key fails instead of silently leaving the list out
    ("topics.toml", "keywords = [", "keyword = [",
     r"topics\.toml: unknown key\(s\) \['keyword'\] in \[topics\[1\]\].*\(the topic 新能源汽车零部件\)"),
    ("topics.toml", 'templates = "manufacturing"', 'templates = "manufacture"',
     r"topics\[1\]\.templates = 'manufacture' names no group of templates\.toml"),
    ("topics.toml", 'key_field = "new_energy_vehicle"', 'key_field = "cars"',
     r"topics\[1\]\.key_field = 'cars' is not in \[key_fields\]"),
    ("topics.toml", 'industry = "36"', "industry = 36", r"topics\[1\]\.industry must be a text in quotes"),
    ("people.toml", '"王" = 900', '"王" = "900"', r"people\.toml: surnames\.王 must be a positive whole number"),
    ("people.toml", "[positions]\n", "[positions]\nclerk = []\n", r"unknown key\(s\) \['clerk'\] in \[positions\]"),
    ("people.toml", 'male = "伟强', 'male = "伟 强', r"given_name_chars\.male must be characters without spaces"),
    ("organisations.toml", '"晋中市中医院",', '"晋中市中医院 ",',
     r"hospital_names, item 3 \('晋中市中医院 '\) must be one line of text without surrounding spaces"),
    ("records.toml", "[evidence_notes]\n", "[evidence_notes]\ndelayed = []\n", r"evidence_notes\.delayed is empty"),
    ("templates.toml", "[food]\n", "[food]\nresult_names = [\"x\"]\n",
     r"templates\.toml: unknown key\(s\) \['result_names'\] in \[food\]"),
])
def test_a_malformed_entry_is_named_with_its_file_and_key(data: Path, name: str, old: str, new: str, message: str):
    edit(data / name, old, new)
    with pytest.raises(VocabularyError, match=message):
        loader.load(data)


def test_demo_data_reports_a_broken_file_as_a_command_error(data: Path, monkeypatch):
    (data / "topics.toml").unlink()
    monkeypatch.setattr(loader, "DATA_DIR", data)
    loader.vocabulary.cache_clear()
    try:
        with pytest.raises(CommandError, match=r"topics\.toml: the demo vocabulary file is missing"):
            call_command("demo-data", scale=0.02)
    finally:
        loader.vocabulary.cache_clear()

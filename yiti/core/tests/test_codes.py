import pytest
from django.core.management import CommandError, call_command

from yiti.core.codes import sync_code_tables
from yiti.core.models import Discipline, Division, Industry


@pytest.mark.django_db
def test_code_tables_are_loaded_by_migrate():
    assert Division.objects.filter(level="county", parent__code="140700").count() == 11
    assert Industry.objects.filter(level="section").count() == 20
    assert Industry.objects.filter(level="division").count() == 97
    assert Discipline.objects.filter(level="category").count() == 14
    assert Discipline.objects.filter(level="discipline").count() == 117
    assert Industry.objects.get(code="36").parent.code == "C"


@pytest.mark.django_db
def test_sync_is_idempotent_and_repairs_renamed_entries():
    Industry.objects.filter(code="36").update(name="改错的名字")
    sync_code_tables()
    sync_code_tables()
    assert Industry.objects.get(code="36").name == "汽车制造业"
    assert Industry.objects.count() == 117


@pytest.mark.django_db
def test_load_divisions_from_an_mca_list(tmp_path):
    path = tmp_path / "mca.csv"
    path.write_text("行政区划代码,单位名称\n130000,河北省\n130100,石家庄市\n130102,长安区\n", encoding="gbk")
    call_command("load-divisions", str(path))
    county = Division.objects.get(code="130102")
    assert county.name == "长安区" and county.parent.code == "130100" and county.parent.parent.code == "130000"


@pytest.mark.django_db
def test_load_divisions_reports_a_malformed_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("130000,河北省\n13A100,石家庄市\n", encoding="utf-8")
    before = Division.objects.count()
    with pytest.raises(CommandError, match="第 ?2 ?行"):
        call_command("load-divisions", str(path))
    assert Division.objects.count() == before

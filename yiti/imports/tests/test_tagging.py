"""suggest-codes: discipline/industry suggestions for records that lack them, learned from those that have them."""

import io
import json

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from yiti.core import testing
from yiti.needs.testing import make_need
from yiti.orgs.testing import make_enterprise
from yiti.results.models import Result
from yiti.results.testing import make_result
from yiti.tests.world import build_world

pytestmark = pytest.mark.django_db

MACHINES = ["数控机床主轴振动", "齿轮箱故障诊断", "液压系统密封", "轴承寿命预测", "机床导轨磨损", "减速器齿轮修形"]
BIOLOGY = ["水稻抗病基因", "小麦蛋白表达", "玉米基因组测序", "植物细胞分裂", "微生物发酵菌株", "酶蛋白结构"]


@pytest.fixture
def coded():
    """24 coded records over two registries: machines → 0802 (needs), biology → 0710 (results)."""
    mech, bio = testing.discipline("0802"), testing.discipline("0710")
    enterprise = make_enterprise()
    for i in range(12):
        make_need(enterprise=enterprise, title=f"{MACHINES[i % 6]}技术攻关{i}", discipline=mech)
        make_result(title=f"{BIOLOGY[i % 6]}研究{i}", discipline=bio)
    return mech, bio


def run(*args: str) -> dict:
    out = io.StringIO()
    call_command("suggest-codes", *args, stdout=out)
    return json.loads(out.getvalue())


def test_suggests_the_code_learned_from_other_registries_and_writes_a_review_sheet(coded, admin_user, tmp_path):
    mech, bio = coded
    need = make_need(title="齿轮箱轴承故障诊断系统", discipline=None)
    result = make_result(title="水稻抗病基因的克隆", discipline=None)
    formula = make_result(title="=1+1 玉米基因组", discipline=None)
    sheet = tmp_path / "review.xlsx"
    counts = run("results", "--out", str(sheet))
    assert counts == {"suggested": 2, "applied": 0}
    rows = [[c.value for c in r] for r in load_workbook(sheet).worksheets[0].iter_rows()]
    assert rows[0] == ["编号", "记录", "建议代码", "建议名称", "概率", "其他候选", "已写入"]
    by_pk = {int(r[0]): r for r in rows[1:]}
    assert by_pk[result.pk][2:4] == ["0710", bio.name]
    assert by_pk[formula.pk][1].startswith("'=")  # a spreadsheet must not run it
    assert 0.0 < float(by_pk[result.pk][4]) <= 1.0 and by_pk[result.pk][6] is None
    assert run("needs")["suggested"] == 1
    result.refresh_from_db()
    need.refresh_from_db()
    assert result.discipline is None and need.discipline is None  # no --apply: nothing written


def test_apply_writes_only_confident_suggestions_through_the_audit_trail(coded, admin_user, tmp_path):
    mech, _ = coded
    need = make_need(title="数控机床主轴齿轮箱振动", discipline=None)
    assert run("needs", "--apply", "--min-probability", "1.0") == {"suggested": 1, "applied": 0}
    need.refresh_from_db()
    assert need.discipline is None
    sheet = tmp_path / "applied.csv"
    assert run("needs", "--apply", "--min-probability", "0", "--out", str(sheet)) == {"suggested": 1, "applied": 1}
    need.refresh_from_db()
    assert need.discipline == mech
    entry = LogEntry.objects.get_for_object(need).order_by("-timestamp").first()
    assert entry.actor == admin_user and "discipline" in entry.changes_dict
    assert sheet.read_text(encoding="utf-8-sig").splitlines()[1].endswith(",是")
    assert run("needs", "--apply") == {"suggested": 0, "applied": 0}  # nothing left to tag


def test_industry_codes_are_learned_the_same_way(admin_user):
    chem, machines = testing.industry("26"), testing.industry("34")
    enterprise = make_enterprise()
    for i in range(12):
        make_need(enterprise=enterprise, title=f"{MACHINES[i % 6]}改造{i}", industry=machines)
        make_need(enterprise=enterprise, title=f"化工催化剂合成工艺{i}", industry=chem)
    need = make_need(enterprise=enterprise, title="催化剂合成工艺优化", industry=None)
    run("needs", "--field", "industry", "--apply", "--min-probability", "0")
    need.refresh_from_db()
    assert need.industry == chem


def test_suggestions_and_writes_stay_in_the_users_scope(coded):
    world = build_world()
    staff = world.users["county_staff_a"]
    mine = make_need(enterprise=world.a.enterprise, title="轴承寿命预测方法", discipline=None)
    theirs = make_need(enterprise=world.b.enterprise, title="轴承寿命预测方法", discipline=None)
    counts = run("needs", "--user", staff.username, "--apply", "--min-probability", "0")
    assert counts["applied"] == counts["suggested"] >= 1
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.discipline is not None and theirs.discipline is None


@pytest.mark.parametrize(("args", "message"), [
    (("orgs",), "没有可用来判断代码的文字字段"),
    (("needs", "--out", "x.pdf"), "--out 文件须以 .xlsx 或 .csv 结尾"),
    (("needs", "--min-probability", "1.5"), "--min-probability 须在 0 到 1 之间"),
])
def test_bad_arguments_are_refused_in_chinese(coded, admin_user, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("suggest-codes", *args)


def test_too_few_coded_records_is_a_clear_refusal(admin_user):
    make_result(title="水稻抗病基因", discipline=testing.discipline("0710"))
    make_result(title="无学科的成果", discipline=None)
    with pytest.raises(CommandError, match="已填写“学科”的记录只有 1 条、1 种代码；至少需要 20 条、2 种代码"):
        call_command("suggest-codes", "results")
    assert Result.objects.filter(discipline__isnull=True).count() == 1


def test_refusals_follow_the_language_of_the_catalogue(admin_user):
    """The messages are English msgids translated in the catalogue, not Chinese written into the command."""
    from django.utils import translation

    with translation.override("en"), pytest.raises(CommandError, match=r"^The --out file must end in \.xlsx or \.csv$"):
        call_command("suggest-codes", "needs", "--out", "x.pdf")
    with translation.override("zh-hans"), pytest.raises(CommandError, match=r"^--out 文件须以 \.xlsx 或 \.csv 结尾$"):
        call_command("suggest-codes", "needs", "--out", "x.pdf")

"""The policy figures of the indicator ledger: each equals its drill-down, and a county officer sees their county."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from yiti.accounts.testing import make_user
from yiti.core.testing import county
from yiti.dashboard import indicators as ledger
from yiti.orgs.testing import make_enterprise
from yiti.policies.models import Benefit, BenefitItem
from yiti.policies.testing import granting_office, make_policy

pytestmark = pytest.mark.django_db


def line(policy, enterprise, *, status="paid", paid_on=datetime.date(2026, 3, 2), amount=Decimal("5000"),
         channel="screening"):
    return Benefit.objects.create(
        policy=policy, organisation=enterprise, division=enterprise.division, channel=channel, status=status,
        applied_on=datetime.date(2026, 1, 5), due_on=datetime.date(2026, 4, 1), amount=amount,
        approved_on=datetime.date(2026, 1, 20) if status in ("approved", "paid") else None,
        paid_on=paid_on if status == "paid" else None)


@pytest.fixture
def ledger_lines():
    from yiti.accounts.models import Department

    # the ledger's columns are the counties of the city department's city
    Department.objects.get_or_create(name="晋中市人才办", kind="city", division=county("140700"))
    yuci, taigu = county("140702"), county("140703")
    city_policy = make_policy(division=county("140700"), granting_department=granting_office(county("140700")))
    quick = make_policy(kind="quick", division=county("140700"), granting_department=city_policy.granting_department)
    for p in (city_policy, quick):
        BenefitItem.objects.create(policy=p, name="补贴", amount_min=1000, amount_max=50000)
    found = {
        "yuci_paid": line(city_policy, make_enterprise(division=yuci), amount=Decimal("12000")),
        "yuci_applied": line(quick, make_enterprise(division=yuci), status="applied", amount=None,
                             channel="application"),
        "taigu_paid": line(city_policy, make_enterprise(division=taigu), amount=Decimal("8000")),
        "yuci_quick_paid": line(quick, make_enterprise(division=yuci), amount=Decimal("30000"), channel="application"),
        "last_year": line(city_policy, make_enterprise(division=yuci), paid_on=datetime.date(2025, 12, 30)),
        "not_granted": line(quick, make_enterprise(division=yuci), status="rejected", channel="application"),
    }
    found["not_granted"].amount = None
    return found


def test_benefits_paid_and_the_amount_equal_their_drill_down(ledger_lines):
    paid, amount = ledger.get("benefits_paid"), ledger.get("benefit_amount_paid")
    unasked, share = ledger.get("benefits_paid_unasked"), ledger.get("unasked_share")
    in_2026 = {ledger_lines[k].pk for k in ("yuci_paid", "taigu_paid", "yuci_quick_paid")}
    assert set(ledger.records(paid, None, 2026).values_list("pk", flat=True)) == in_2026
    assert ledger.value(paid, None, 2026) == 3
    assert ledger.value(amount, None, 2026) == Decimal("5.00")  # 12,000 + 8,000 + 30,000 yuan = 5.00 万元
    assert sum(b.amount for b in ledger.records(amount, None, 2026)) == 50000
    assert ledger.value(unasked, None, 2026) == 2 and ledger.value(share, None, 2026) == Decimal("66.7")
    assert ledger.value(paid, None, 2025) == 1
    # by county: the beneficiary's county, adding up to the city
    yuci, taigu = county("140702"), county("140703")
    assert ledger.value(paid, None, 2026, yuci) == 2 and ledger.value(paid, None, 2026, taigu) == 1
    assert ledger.by_county(amount, None, 2026)[yuci.pk] == Decimal("4.20")


def test_a_county_officer_sees_their_countys_lines_and_figures(ledger_lines, client):
    yuci = county("140702")
    office = granting_office(yuci, name="榆次区科技局")
    officer = make_user("yuci_ledger", "staff", scope="county", department=office)
    paid = ledger.get("benefits_paid")
    assert set(ledger.records(paid, officer, 2026).values_list("pk", flat=True)) == {
        ledger_lines["yuci_paid"].pk, ledger_lines["yuci_quick_paid"].pk}
    rows = {row.indicator.code: row for row in ledger.table(officer, 2026)}
    assert [c.division for c in rows["benefits_paid"].cells] == [yuci]
    assert rows["benefits_paid"].cells[0].value == 2
    assert rows["benefit_amount_paid"].cells[0].value == Decimal("4.20")
    # the drill-down page lists those lines only, each linking to the line's page, and exports them
    client.force_login(officer)
    page = client.get(reverse("dashboard:drill_down", args=["benefits_paid"]) + "?year=2026")
    assert page.status_code == 200
    html = page.content.decode()
    assert page.context["count"] == 2
    assert ledger_lines["yuci_paid"].get_absolute_url() in html
    assert ledger_lines["taigu_paid"].get_absolute_url() not in html
    assert ledger_lines["taigu_paid"].organisation.name not in html
    exported = client.get(reverse("dashboard:drill_down_export", args=["benefits_paid"]) + "?year=2026&format=csv")
    text = b"".join(exported.streaming_content).decode("utf-8-sig")
    assert text.count("\n") == 3 and ledger_lines["yuci_paid"].organisation.name in text
    assert ledger_lines["taigu_paid"].organisation.name not in text
    # another county's column is not theirs
    other = client.get(reverse("dashboard:drill_down", args=["benefits_paid"])
                       + f"?year=2026&county={county('140703').pk}")
    assert other.status_code == 404

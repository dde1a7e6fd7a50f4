import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from yiti.agreements import services
from yiti.agreements.models import Agreement
from yiti.agreements.testing import make_agreement
from yiti.core import testing
from yiti.core.testing import RegistryViewTests
from yiti.orgs.testing import make_enterprise, make_org


def agreement_data():
    uni = make_org(name="太原理工大学（测试）")
    ent = make_enterprise(name="榆次液压件有限公司（测试）")
    return {"title": "液压件智能制造校企合作协议", "kind": "enterprise", "parties": f"{uni.name}\n{ent.name}",
            "division": testing.county().pk, "signed_date": "2025-09-01", "item_count": 2, "committed_funds": "150"}


class TestAgreementViews(RegistryViewTests):
    app, model_name = "agreements", "agreement"
    list_queries = 7  # session, user, demo flag, filter selects, count, page ids, rows
    make = staticmethod(make_agreement)
    create_data = staticmethod(agreement_data)
    edit_changes = {"item_count": 3}
    invalid_cases = [
        ({"parties": "太原理工大学（测试）"}, "parties", "两"),
        ({"signed_date": "2999-01-01"}, "signed_date", "未来"),
        ({"committed_funds": "-3"}, "committed_funds", "0"),
    ]
    filter_cases = [
        ("kind=locality", {"kind": "locality"}, {"kind": "province"}),
        ("signed_date_after=2025-01-01&signed_date_before=2025-12-31", {"signed_date": datetime.date(2025, 3, 1)},
         {"signed_date": datetime.date(2023, 3, 1)}),
    ]


@pytest.mark.django_db
def test_new_agreement_starts_signed_with_evidence(admin_client):
    admin_client.post(reverse("agreements:agreement_add"), agreement_data())
    agreement = Agreement.objects.get(title="液压件智能制造校企合作协议")
    assert agreement.status == "signed"
    assert list(agreement.evidence.values_list("step", "date")) == [("signed", datetime.date(2025, 9, 1))]


@pytest.mark.django_db
def test_ladder_moves_forward_with_dated_evidence():
    agreement = make_agreement(signed_date=datetime.date(2025, 1, 10))
    services.record_step(agreement, "started", datetime.date(2025, 2, 1), "启动会已召开")
    services.record_step(agreement, "funds_arrived", datetime.date(2025, 3, 1), "首笔经费50万元到账",
                         amount=Decimal("500000"))
    agreement.refresh_from_db()
    assert agreement.status == "funds_arrived"
    with pytest.raises(ValidationError):
        services.record_step(agreement, "started", datetime.date(2025, 4, 1), "倒退")
    with pytest.raises(ValidationError):
        services.record_step(agreement, "landed", datetime.date(2025, 2, 15), "日期早于上一步")
    services.record_step(agreement, "landed", datetime.date(2025, 5, 1), "项目已投产")
    agreement.refresh_from_db()
    assert agreement.status == "landed" and services.next_steps(agreement) == []


@pytest.mark.django_db
def test_step_form_refuses_a_skip_backwards_and_explains(admin_client):
    agreement = make_agreement(signed_date=datetime.date(2025, 1, 10), status="landed")
    url = reverse("agreements:agreement_record_step", args=[agreement.pk])
    response = admin_client.post(url, {"step": "terminated", "date": "2025-06-01", "note": "终止"}, follow=True)
    agreement.refresh_from_db()
    assert agreement.status == "landed"
    assert "未记录" in response.content.decode()


@pytest.mark.django_db
def test_status_cannot_be_set_through_the_edit_form(admin_client):
    admin_client.post(reverse("agreements:agreement_add"), agreement_data())
    agreement = Agreement.objects.get(title="液压件智能制造校企合作协议")
    assert agreement.item_count == 2
    response = admin_client.post(reverse("agreements:agreement_edit", args=[agreement.pk]),
                                 {**agreement_data_without_parties_created(agreement), "status": "landed"})
    # The edit itself went through (a refused form would leave the status alone for the wrong reason) …
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    agreement.refresh_from_db()
    assert agreement.item_count == 1
    # … and the status it carried was ignored: status moves only along the ladder, with evidence.
    assert agreement.status == "signed"


def agreement_data_without_parties_created(agreement):
    names = "\n".join(agreement.parties.values_list("name", flat=True))
    return {"title": agreement.title, "kind": agreement.kind, "parties": names, "signed_date": "2025-09-01",
            "item_count": 1}

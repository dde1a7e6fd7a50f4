"""The list pages' office habits (issue 12, items 12–16 and 28): page sizes, the 操作 column, the batch
actions, the filter form and the region picker."""

import re

import pytest
from django.urls import reverse

from yiti.agreements.testing import make_agreement
from yiti.core import testing
from yiti.experts.testing import make_expert_role
from yiti.needs.testing import make_need
from yiti.orgs.testing import make_enterprise, make_org
from yiti.talents.testing import make_talent

pytestmark = pytest.mark.django_db

LISTS = ["orgs:organisation_list", "talents:talent_list", "experts:expertrole_list", "needs:need_list",
         "results:result_list", "platforms:platform_list", "agreements:agreement_list"]


def rows_on_page(response) -> int:
    return len(response.context["table"].page.object_list)


# --- item 28: per_page ---------------------------------------------------------------------------

@pytest.mark.parametrize("url_name", LISTS)
@pytest.mark.parametrize("query", ["per_page=-1", "per_page=0", "per_page=1000000", "per_page=abc", "per_page=7",
                                   "per_page=25.0", "page=-3", "page=0", "page=abc", "page=99999",
                                   "per_page=-1&page=-1"])
def test_bad_page_parameters_fall_back_and_never_fail(admin_client, url_name, query):
    response = admin_client.get(reverse(url_name) + "?" + query)
    assert response.status_code == 200
    assert response.context["table"].paginator.per_page == 25
    assert response.context["per_page"] == 25


def test_only_the_offered_page_sizes_are_accepted(admin_client):
    for _ in range(30):
        make_need()
    url = reverse("needs:need_list")
    assert rows_on_page(admin_client.get(url + "?per_page=10")) == 10
    assert rows_on_page(admin_client.get(url + "?per_page=50")) == 30
    # django-tables2 must not read ?per_page= on its own behind the check
    assert rows_on_page(admin_client.get(url + "?per_page=1000000")) == 25
    assert rows_on_page(admin_client.get(url + "?per_page=29")) == 25


def test_page_size_choice_keeps_the_filter(admin_client):
    make_need(title="退火能耗需求")
    body = admin_client.get(reverse("needs:need_list") + "?q=退火&status=published&per_page=50").content.decode()
    form = re.search(r'<form method="get"[^>]*class="yiti-per-page.*?</form>', body, re.S).group(0)
    assert '<input type="hidden" name="q" value="退火">' in form
    assert '<input type="hidden" name="status" value="published">' in form
    assert 'name="per_page"' in form and '<option value="50" selected>50</option>' in form
    assert all(f'<option value="{n}"' in form for n in (10, 25, 50, 100))


# --- item 13: 操作 column and batch actions -------------------------------------------------------

def test_actions_column_offers_what_the_user_may_do_on_each_row(client):
    from django.contrib.contenttypes.models import ContentType

    from yiti.accounts.models import ObjectGrant
    from yiti.needs.models import Need
    from yiti.tests.world import build_world

    world = build_world()
    user = world.users["county_staff_a"]
    need_a, need_b = world.a.records["needs.need"], world.b.records["needs.need"]
    # a grant lets the county officer see one need of the other county, but not change it
    grant = ObjectGrant.objects.create(name="协查", content_type_id=ContentType.objects.get_for_model(Need).pk,
                                       actions="view", constraints={"pk__in": [need_b.pk]})
    grant.users.add(user)
    client.force_login(user)
    body = client.get(reverse("needs:need_list")).content.decode()
    assert "<th" in body and "操作" in body
    for action in ("edit", "delete"):
        assert reverse(f"needs:need_{action}", args=[need_a.pk]) in body
        assert reverse(f"needs:need_{action}", args=[need_b.pk]) not in body
    assert f'href="{need_b.get_absolute_url()}" class="yiti-op"' in body

    client.force_login(world.users["leader"])
    body = client.get(reverse("needs:need_list")).content.decode()
    assert need_a.get_absolute_url() in body
    assert reverse("needs:need_edit", args=[need_a.pk]) not in body and "批量删除" not in body


def test_row_permissions_cost_the_same_queries_for_1_and_13_rows(client):
    from yiti.tests.world import build_world

    world = build_world()
    client.force_login(world.users["county_staff_a"])
    url = reverse("needs:need_list")
    few = testing.count_queries(client, url)
    for _ in range(12):
        make_need(enterprise=world.a.enterprise)
    assert testing.count_queries(client, url) == few


def test_batch_export_goes_through_the_export_with_only_the_ticked_rows(admin_client):
    from auditlog.models import LogEntry

    chosen = make_need(title="甲需求")
    make_need(title="乙需求")
    chosen.phone = "13912345678"
    chosen.save()
    response = admin_client.post(reverse("needs:need_batch"), {"action": "export_csv", "pk": [chosen.pk]})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "甲需求" in text and "乙需求" not in text
    # the same rows, masking and all, as the list's own 导出 of that record
    listed = admin_client.get(reverse("needs:need_export") + "?q=甲需求&format=csv")
    assert text == b"".join(listed.streaming_content).decode("utf-8-sig")
    assert LogEntry.objects.filter(additional_data__export="csv", additional_data__rows=1).exists()


def test_batch_export_is_limited_to_the_users_scope(client):
    from yiti.tests.world import build_world

    world = build_world()
    client.force_login(world.users["county_staff_a"])
    pks = [world.a.records["needs.need"].pk, world.b.records["needs.need"].pk]
    response = client.post(reverse("needs:need_batch"), {"action": "export_csv", "pk": pks})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "甲县专属" in text and "乙县专属" not in text


def test_batch_delete_asks_first_and_refuses_referred_records(admin_client):
    from yiti.orgs.models import Organisation

    free, referred = make_org(name="闲置单位"), make_enterprise(name="有需求的企业")
    make_need(enterprise=referred)
    url = reverse("orgs:organisation_batch")
    page = admin_client.post(url, {"action": "delete", "pk": [free.pk, referred.pk], "next": "/orgs/?q=x"})
    body = page.content.decode()
    assert page.status_code == 200 and "闲置单位" in body and "有需求的企业" in body
    assert "1 企业需求" in body  # why the referred one stays
    assert Organisation.objects.filter(pk__in=[free.pk, referred.pk]).count() == 2  # nothing deleted yet
    assert f'name="pk" value="{free.pk}"' in body and f'name="pk" value="{referred.pk}"' not in body

    done = admin_client.post(url, {"action": "delete_confirmed", "pk": [free.pk, referred.pk], "next": "/orgs/?q=x"})
    assert done.status_code == 302 and done["Location"] == "/orgs/?q=x"
    assert not Organisation.objects.filter(pk=free.pk).exists()
    assert Organisation.objects.filter(pk=referred.pk).exists()
    messages = [str(m) for m in done.wsgi_request._messages]
    assert any("闲置单位" in m for m in messages) and any("有需求的企业" in m and "引用" in m for m in messages)


def test_batch_delete_is_scope_checked_per_record_and_refused_to_read_only_roles(client):
    from yiti.needs.models import Need
    from yiti.tests.world import build_world

    world = build_world()
    need_a, need_b = world.a.records["needs.need"], world.b.records["needs.need"]
    client.force_login(world.users["county_staff_a"])
    client.post(reverse("needs:need_batch"), {"action": "delete_confirmed", "pk": [need_a.pk, need_b.pk]})
    assert not Need.objects.filter(pk=need_a.pk).exists() and Need.objects.filter(pk=need_b.pk).exists()

    client.force_login(world.users["leader"])
    response = client.post(reverse("needs:need_batch"), {"action": "delete_confirmed", "pk": [need_b.pk]})
    assert response.status_code == 403 and Need.objects.filter(pk=need_b.pk).exists()


def test_batch_status_change_records_history_and_respects_scope(client):
    from yiti.tests.world import build_world

    world = build_world()
    need_a, need_b = world.a.records["needs.need"], world.b.records["needs.need"]
    client.force_login(world.users["county_staff_a"])
    response = client.post(reverse("needs:need_batch"),
                           {"action": "status", "status": "closed", "pk": [need_a.pk, need_b.pk]})
    assert response.status_code == 302
    need_a.refresh_from_db()
    need_b.refresh_from_db()
    assert need_a.status == "closed" and need_b.status == "published"
    history = client.get(need_a.get_absolute_url()).context["history"]
    assert "status" in history[0]["entry"].changes_dict
    # a value outside the choices changes nothing
    client.post(reverse("needs:need_batch"), {"action": "status", "status": "bogus", "pk": [need_a.pk]})
    need_a.refresh_from_db()
    assert need_a.status == "closed"


def test_agreements_offer_no_batch_status(admin_client):
    agreement = make_agreement()
    body = admin_client.get(reverse("agreements:agreement_list")).content.decode()
    assert 'value="status"' not in body and 'name="pk"' in body
    response = admin_client.post(reverse("agreements:agreement_batch"),
                                 {"action": "status", "status": "landed", "pk": [agreement.pk]})
    assert response.status_code == 400
    agreement.refresh_from_db()
    assert agreement.status != "landed"


def test_batch_without_ticked_rows_says_so_and_next_stays_on_the_list(admin_client):
    response = admin_client.post(reverse("needs:need_batch"), {"action": "export_csv", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("needs:need_list")
    assert any("勾选" in str(m) for m in response.wsgi_request._messages)


# --- item 14: the filter form -------------------------------------------------------------------

def test_filter_form_reads_all_not_dashes_or_unknown(admin_client):
    body = admin_client.get(reverse("orgs:organisation_list")).content.decode()
    assert "---------" not in body and "未知" not in body
    select = re.search(r'<select[^>]*name="is_leading".*?</select>', body, re.S).group(0)
    assert re.search(r'<option value=""[^>]*>全部</option>', select)
    assert re.search(r'<select[^>]*name="org_type"[^>]*>\s*<option value=""[^>]*>全部</option>', body, re.S)


def test_yes_no_filter_all_means_no_condition(admin_client):
    leading = make_enterprise(is_leading=True)
    plain = make_enterprise(is_leading=False)
    rows = admin_client.get(reverse("orgs:organisation_list") + "?is_leading=").context["table"].page.object_list
    assert {leading.pk, plain.pk} <= {r.record.pk for r in rows}
    rows = admin_client.get(reverse("orgs:organisation_list") + "?is_leading=true").context["table"].page.object_list
    assert {r.record.pk for r in rows} & {leading.pk, plain.pk} == {leading.pk}


def test_date_range_is_one_control_and_filter_form_collapses(admin_client):
    body = admin_client.get(reverse("needs:need_list")).content.decode()
    group = re.search(r'<div class="input-group yiti-date-range">(.*?)</div>', body, re.S).group(1)
    assert 'name="published_date_after"' in group and "—" in group and 'name="published_date_before"' in group
    assert 'class="yiti-more-toggle visually-hidden">' in body  # collapsed: no condition behind 展开 is set
    assert "展开" in body and "收起" in body
    opened = admin_client.get(reverse("needs:need_list") + "?deadline_after=2026-01-01").content.decode()
    assert 'class="yiti-more-toggle visually-hidden" checked>' in opened


# --- item 15: the region picker -----------------------------------------------------------------

def test_region_select_is_grouped_with_parents_for_the_cascade(admin_client):
    from yiti.core.models import Division

    body = admin_client.get(reverse("talents:talent_list")).content.decode()
    select = re.search(r'<select[^>]*name="division"[^>]*>.*?</select>', body, re.S).group(0)
    assert "yiti-cascade" in select and 'data-levels="省,市,县"' in select
    jinzhong, yuci = Division.objects.get(code="140700"), Division.objects.get(code="140702")
    # without JavaScript: counties grouped under their city, cities under their province
    assert f'<optgroup label="晋中市"><option value="{yuci.pk}" data-parent="{jinzhong.pk}">榆次区' in select
    assert re.search(r'<optgroup label="山西省">.*?晋中市', select)
    assert select.count("<option") == Division.objects.count() + 1


def test_choosing_a_province_finds_records_of_its_counties(admin_client):
    from yiti.core.models import Division

    yuci = make_talent(division=Division.objects.get(code="140702"))
    elsewhere = make_talent(division=Division.objects.get(code="110000"))
    shanxi = Division.objects.get(code="140000")
    rows = admin_client.get(reverse("talents:talent_list") + f"?division={shanxi.pk}").context["table"].page.object_list
    found = {r.record.pk for r in rows}
    assert yuci.pk in found and elsewhere.pk not in found


# --- item 12: short columns ---------------------------------------------------------------------

def test_short_columns_do_not_wrap(admin_client):
    make_need()
    table = admin_client.get(reverse("needs:need_list")).context["table"]
    for name in ("deadline", "status", "published_date", "need_type", "budget", "select", "actions"):
        assert "text-nowrap" in (table.columns[name].attrs["td"].get("class") or ""), name
    for name in ("title", "enterprise"):
        assert "text-nowrap" not in (table.columns[name].attrs["td"].get("class") or ""), name


# --- item 16: experts ---------------------------------------------------------------------------

def test_expert_list_and_detail_show_discipline_and_expertise(admin_client):
    talent = make_talent(discipline=testing.discipline("0802"), expertise="铸造工艺、热处理")
    role = make_expert_role(talent=talent)
    body = admin_client.get(reverse("experts:expertrole_list")).content.decode()
    assert str(testing.discipline("0802")) in body and "铸造工艺、热处理" in body
    detail = admin_client.get(role.get_absolute_url())
    labels = [label for label, _value in detail.context["fields"]]
    assert "学科" in labels and "专长关键词" in labels
    assert "铸造工艺、热处理" in detail.content.decode()


def test_filtering_keeps_the_chosen_page_size(admin_client):
    body = admin_client.get(reverse("needs:need_list") + "?per_page=50").content.decode()
    form = re.search(r'<form method="get"[^>]*class="yiti-filter".*?</form>', body, re.S).group(0)
    assert '<input type="hidden" name="per_page" value="50">' in form
    body = admin_client.get(reverse("needs:need_list")).content.decode()
    form = re.search(r'<form method="get"[^>]*class="yiti-filter".*?</form>', body, re.S).group(0)
    assert 'name="per_page"' not in form

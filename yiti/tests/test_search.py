import pytest
from django.urls import reverse

from yiti.core import search
from yiti.needs.models import Need
from yiti.needs.testing import make_need
from yiti.orgs.testing import make_enterprise, make_org
from yiti.talents.models import Talent
from yiti.talents.testing import make_talent


def test_tokens_split_chinese_into_characters_and_keep_latin_words():
    assert search.tokens("可锻铸铁HT250，ＡＢＣ 2026年") == ["可", "锻", "铸", "铁", "ht250", "abc", "2026", "年"]
    assert search.tokens("") == [] and search.tokens("——！") == []


def found(model, term, related=()):
    condition = search.keyword_q(model, term, related)
    return set(model.objects.filter(condition).values_list("pk", flat=True))


@pytest.mark.django_db
def test_chinese_substring_matches_only_adjacent_characters():
    # given
    a = make_need(title="可锻铸铁管件退火工艺")
    b = make_need(title="铸造车间的铁水包改造")
    # then "铸铁" is a run of a, not of b (whose 铸 and 铁 are apart)
    assert found(Need, "铸铁") == {a.pk}
    assert found(Need, "铸") == {a.pk, b.pk}
    assert found(Need, "退火工艺") == {a.pk}


@pytest.mark.django_db
def test_latin_words_match_by_prefix_case_insensitively():
    need = make_need(title="HT250灰铸铁 CAE仿真")
    assert found(Need, "cae") == {need.pk}
    assert found(Need, "ht2") == {need.pk}
    assert found(Need, "仿真cae") == set()


@pytest.mark.django_db
def test_index_follows_updates_and_deletes():
    need = make_need(title="冷链物流保鲜")
    need.title = "光伏组件清洗机器人"
    need.save()
    assert found(Need, "保鲜") == set() and found(Need, "清洗") == {need.pk}
    need.delete()
    assert found(Need, "清洗") == set()


@pytest.mark.django_db
def test_keyword_finds_records_through_a_related_name(admin_client):
    org = make_org(name="山西农业大学（检索测试）")
    talent = make_talent(name="赵一", organisation=org)
    other = make_talent(name="钱二")
    response = admin_client.get(reverse("talents:talent_list") + "?q=农业大学")
    rows = {t.pk for t in response.context["table"].page.object_list.data}
    assert talent.pk in rows and other.pk not in rows


@pytest.mark.django_db
def test_all_terms_must_match(admin_client):
    enterprise = make_enterprise(name="太谷精密铸造有限公司")
    both = make_need(enterprise=enterprise, title="铸件气孔缺陷控制")
    make_need(title="铸件尺寸检测")
    response = admin_client.get(reverse("needs:need_list") + "?q=太谷 气孔")
    assert [n.pk for n in response.context["table"].page.object_list.data] == [both.pk]


@pytest.mark.django_db
def test_bulk_inserted_records_are_searchable():
    # bulk_create skips save(): a bulk writer (the demo generator, imports) fills the search text first
    talents = [Talent(name="孙三", population="local", expertise="智能温控、余热回收")]
    search.fill(talents)
    Talent.objects.bulk_create(talents)
    assert len(found(Talent, "余热")) == 1


@pytest.mark.django_db
def test_deep_pages_equal_plain_offset_pages(monkeypatch):
    from yiti.core import paging

    for i in range(40):
        make_need(title=f"需求{i:02d}")
    qs = Need.objects.select_related("enterprise").order_by("-title")
    plain = [n.pk for n in list(qs)[30:37]]
    monkeypatch.setattr(paging, "DEEP_OFFSET", 10)
    deep = qs[30:37]
    assert isinstance(deep, list) and [n.pk for n in deep] == plain
    assert deep[0].enterprise.name  # related rows came with the page


@pytest.mark.django_db
def test_deep_pages_past_the_middle_are_read_from_the_other_end(monkeypatch):
    from yiti.core import paging

    for i in range(40):
        make_need(title=f"需求{i:02d}")
    qs = Need.objects.order_by("title")
    plain = [n.pk for n in list(qs)[33:40]]
    monkeypatch.setattr(paging, "DEEP_OFFSET", 10)
    assert [n.pk for n in qs[33:40]] == plain
    assert [n.pk for n in qs[36:45]] == [n.pk for n in list(qs)[36:45]]  # a last page cut short


@pytest.mark.django_db
def test_a_keyword_search_counts_up_to_a_cap(admin_client, monkeypatch):
    from yiti.core.paging import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "COUNT_CAP", 3)
    for i in range(5):
        make_need(title=f"退火工艺{i}")
    # with another condition (here a filter) the matches are counted through the table, up to the cap
    response = admin_client.get(reverse("needs:need_list") + "?q=退火&need_type=technology&per_page=10")
    assert response.context["table"].paginator.capped
    assert "超过 3 条" in response.content.decode() or "More than 3" in response.content.decode()
    plain = admin_client.get(reverse("needs:need_list") + "?per_page=10")
    assert plain.context["table"].paginator.count == 5  # without a keyword the count is exact


@pytest.mark.django_db
def test_a_keyword_alone_is_counted_exactly_from_the_index_past_the_cap(admin_client, monkeypatch):
    from django.db import connection

    from yiti.core.paging import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "COUNT_CAP", 3)
    firm = make_enterprise(name="退火设备有限公司")
    for i in range(4):
        make_need(title=f"退火工艺{i}")
    make_need(title="退火炉改造", enterprise=firm)  # matches by its own title and by its enterprise: counted once
    make_need(title="热处理", enterprise=firm)  # by its enterprise only
    make_need(title="无关需求")
    response = admin_client.get(reverse("needs:need_list") + "?q=退火&per_page=10")
    paginator = response.context["table"].paginator
    if connection.vendor == "sqlite":
        assert (paginator.count, paginator.capped) == (6, False)
        assert "6 条" in response.content.decode() or "6 records" in response.content.decode()
        assert len(response.context["table"].page.object_list) == 6
    else:  # PostgreSQL reads every match to count it: still capped
        assert paginator.capped


@pytest.mark.django_db
def test_expert_roles_are_found_by_their_talents_name_even_after_a_rename():
    from yiti.experts.models import ExpertRole
    from yiti.experts.testing import make_expert_role

    talent = make_talent(name="李建华", expertise="可锻铸铁")
    role = make_expert_role(talent=talent)
    assert found(ExpertRole, "李建华") == {role.pk} and found(ExpertRole, "铸铁") == {role.pk}
    talent.name = "李建国"
    talent.save()
    assert found(ExpertRole, "李建国") == {role.pk} and found(ExpertRole, "李建华") == set()

import pytest
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
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
    """The matches, found the three ways keyword_q has: from the full-text index, checked row by row against the
    index's matches (a list the scope or a filter narrowed), and from each row's own search text (a keyword that
    matches most of the table)."""
    by_index, by_list = (set(model.objects.filter(search.keyword_q(model, term, related, narrowed=narrowed))
                             .values_list("pk", flat=True)) for narrowed in (False, True))
    sql, params = search._row_check(model, search.tokens(term)[:search.MAX_TOKENS_PER_TERM], related)
    by_text = set(model.objects.filter(RawSQL(sql, params, output_field=BooleanField())).values_list("pk", flat=True))
    assert by_index == by_list == by_text, (term, by_index, by_list, by_text)
    return by_index


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
    assert found(Need, "ht250灰") == {need.pk} and found(Need, "t250") == set()  # a Latin word starts a token
    assert found(Need, "ht25灰") == set()  # … and, before more of the phrase, ends one


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
    assert found(Talent, "农业大学", ["organisation"]) == {talent.pk}


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


@pytest.mark.django_db
def test_a_first_page_read_by_walking_the_order_equals_the_plain_page(monkeypatch):
    import datetime

    from yiti.core import paging

    mine, other = make_enterprise(name="甲企业"), make_enterprise(name="乙企业")
    day = datetime.date(2026, 1, 1)
    for i in range(60):  # ties on the date: the id decides, as in the list's order; mine are the oldest 20
        make_need(enterprise=mine if i < 20 else other, title=f"检测需求{i:02d}",
                  published_date=day + datetime.timedelta(days=i // 4))
    monkeypatch.setattr(paging, "WALK_MIN_TABLE", 0)
    monkeypatch.setattr(paging, "WALK_MIN_STEP", 7)  # the first page's walk takes two batches
    walked = []
    real = paging.DeepPagingMixin._walk_order
    monkeypatch.setattr(paging.DeepPagingMixin, "_walk_order",
                        lambda self, start, stop: walked.append(r := real(self, start, stop)) or r)

    def page(qs, start, stop):
        qs = qs.order_by("-published_date", "-id").pages_by_id()
        qs._exact_count = qs.count()  # as the list's paginator leaves it
        return [n.pk for n in qs[start:stop]]

    monkeypatch.setattr(search, "SMALL_TABLE", 0)
    monkeypatch.setattr(search, "MOST", 0.0)  # 检测 "matches most": checked on each row's own text
    for qs in (Need.objects.filter(enterprise=mine), keyword_filter_of(Need.objects.filter(enterprise=mine), "检测")):
        plain = list(qs.order_by("-published_date", "-id").values_list("pk", flat=True))
        assert page(qs, 0, 7) == plain[0:7] and page(qs, 7, 14) == plain[7:14] and page(qs, 14, 25) == plain[14:25]
        # the pages were walked, not queried as usual (SQLite: PostgreSQL plans this itself, from its statistics)
        assert (walked[-1] is not None) == (connection.vendor == "sqlite")
    monkeypatch.setattr(search, "MOST", 2.0)  # a keyword checked against its list of matches: never walked (the
    listed = keyword_filter_of(Need.objects.filter(enterprise=mine), "检测")  # list would be built for each batch)
    assert page(listed, 0, 7) == plain[0:7] and walked[-1] is None
    by_title = Need.objects.filter(enterprise=mine).order_by("-title").pages_by_id()
    by_title._exact_count = by_title.count()
    assert [n.pk for n in by_title[0:7]] == list(by_title.values_list("pk", flat=True)[:7])
    assert walked[-1] is None  # ties in an order without the id as its last key: queried as usual
    monkeypatch.setattr(paging, "WALK_MIN_SHARE", 0.5)  # a third of the table: queried as usual
    assert page(Need.objects.filter(enterprise=mine), 0, 7) == plain[0:7] and walked[-1] is None


@pytest.mark.django_db
def test_a_keyword_matching_most_of_a_table_is_checked_on_each_rows_text():
    # 技术 in 1,188 of 1,500 needs, 锻铸 in 312: the first is checked on the rows the list reads (SQLite counts its
    # matches in the full-text index, PostgreSQL reads the planner's estimate from the vectors' statistics), the
    # second is looked up in the index; both find what the other plan finds.
    from yiti.needs.models import Need

    enterprise = make_enterprise(name="甲企业")
    needs = [Need(enterprise=enterprise, need_type="tech", title=f"{'技术改造' if i % 5 else '锻铸工艺'}{i}",
                  published_date="2026-01-01") for i in range(1500)]
    for i in range(0, 100, 7):
        needs[i].title = "锻铸件"
    search.fill(needs)
    Need.objects.bulk_create(needs)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE needs_need")  # the statistics autovacuum keeps on a real table
    most = {term: search._matches_most(Need, *search._match_sql(Need, search.tokens(term))) for term in ("技术", "锻铸")}
    assert most == {"技术": True, "锻铸": False}
    common = search.keyword_q(Need, "技术")
    assert "search_vector" not in str(Need.objects.filter(common).query) and "_fts" not in str(
        Need.objects.filter(common).query)  # no index: each row's own text
    assert Need.objects.filter(common).count() == sum("技术" in need.title for need in needs) == 1188
    assert found(Need, "技术") == set(Need.objects.filter(title__startswith="技术").values_list("pk", flat=True))
    assert len(found(Need, "锻铸")) == sum("锻铸" in need.title for need in needs) == 312


def keyword_filter_of(qs, term):
    return search.keyword_filter(qs, term, ["enterprise"])

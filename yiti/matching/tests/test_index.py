"""The matching index in the platform (issue 14 §5): documents from records, the build folder and its atomic
swap, edits applied without a rebuild, the first start, the command line and the status page."""

import json
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from yiti.accounts.models import Role, Scope
from yiti.accounts.testing import make_user
from yiti.core.testing import discipline, valid_id_number
from yiti.matching import documents, store
from yiti.matching.models import IndexChange, IndexJob
from yiti.needs.testing import make_need
from yiti.orgs.testing import make_org
from yiti.platforms.testing import make_platform
from yiti.results.models import Result
from yiti.results.testing import make_result
from yiti.talents.models import Talent
from yiti.talents.testing import make_talent

pytestmark = pytest.mark.django_db

PHONE, EMAIL = "13912345678", "wang.expert@example.com"


def people():
    """Three experts with results on distinct topics, one with personal data filled in."""
    uni = make_org(name="太原理工大学")
    wang = make_talent(name="王铸", organisation=uni, mobile=PHONE, email=EMAIL, id_number=valid_id_number("19790302"),
                       expertise="球墨铸铁；热处理", consent_to_recommend=True)
    li = make_talent(name="李农", organisation=uni, consent_to_recommend=True)
    zhao = make_talent(name="赵电", organisation=uni, consent_to_recommend=True)
    for title in ("球墨铸铁件的等温淬火热处理工艺", "铸铁件气孔缺陷的控制方法"):
        make_result(title=title, owner=uni, leader=wang, year=2021, discipline=discipline())
    for title in ("设施农业温室智能灌溉系统", "小麦节水灌溉技术集成示范"):
        make_result(title=title, owner=uni, leader=li, year=2022)
    for title in ("锂离子电池负极材料制备", "动力电池热管理系统设计"):
        make_result(title=title, owner=uni, leader=zhao, year=2023)
    return wang, li, zhao


# --- documents ----------------------------------------------------------------------------------------------


def test_documents_from_records_carry_text_and_facts_but_no_personal_data():
    wang, _, _ = people()
    need = make_need(title="铸件热处理变形控制", description="联系人电话 0354-1234567 见附件")
    make_platform(name="晋中铸造工程技术研究中心", host=wang.organisation)
    docs = {d.id: d for d in documents.all_documents()}
    assert f"need:{need.pk}" in docs and docs[f"need:{need.pk}"].type == "need"
    profile = docs[f"talent:{wang.pk}"]
    assert profile.owner == f"talent:{wang.pk}" and profile.keywords == ("球墨铸铁", "热处理")
    led = [d for d in docs.values() if d.type == "result" and d.owner == f"talent:{wang.pk}"]
    assert len(led) == 2 and all(documents.is_expert_document(d) for d in led)
    assert all(d.organisation == f"org:{wang.organisation_id}" for d in led)
    blob = json.dumps([d.to_json() for d in docs.values()], ensure_ascii=False)
    for secret in (PHONE, EMAIL, wang.id_number, "王铸"):
        assert secret not in blob
    # what a record's edit brings in: the same documents, one query per kind
    again = documents.documents_for([f"talent:{wang.pk}", led[0].id, "need:999999"])
    assert again == {f"talent:{wang.pk}": profile, led[0].id: led[0]}


def test_documents_read_only_the_columns_they_need_in_one_query_per_kind(django_assert_num_queries):
    wang, _, _ = people()
    need = make_need(title="铸件热处理变形控制", keywords="铸件，热处理")
    make_platform(name="晋中铸造工程技术研究中心", host=wang.organisation)
    # the blanks each column can hold: no discipline or industry (the enterprise's then), no leader, no
    # organisation or county, no year
    make_need(title="无学科需求", industry=None, discipline=None, keywords="")
    make_result(title="无负责人成果", leader=None, year=None, discipline=discipline(), keywords="a,b、c")
    make_talent(name="孙无单位", organisation=None, division=None, position="", expertise="")
    make_org(name="无区县单位", division=None, description="")
    kinds = list(documents.KINDS)
    full = {}  # the documents of whole records (every column loaded), one record at a time
    for kind in kinds:
        for record in documents.KINDS[kind]._default_manager.all():
            doc = documents.document(record)
            full[doc.id] = doc
    with django_assert_num_queries(len(kinds)):  # a deferred column read per record would add queries
        streamed = {d.id: d for d in documents.all_documents()}
    assert streamed == full and f"need:{need.pk}" in streamed


def test_a_talent_without_any_text_is_no_expert_document():
    bare = make_talent(name="钱空")
    assert not documents.is_expert_document(documents.document(bare))


# --- build, load, swap --------------------------------------------------------------------------------------


def test_a_build_writes_a_folder_and_the_pointer_and_answers_searches_and_experts():
    wang, li, zhao = people()
    idx = store.build(workers=1)
    base = store.root()
    assert (base / "current").is_symlink() and store._pointer(base) == idx.folder
    assert {p.name for p in idx.folder.iterdir()} >= {"search", "experts", "build.json"}
    assert idx.info["experts"] == 3 and idx.info["expert_documents"] == 7
    assert store.current() is idx
    hits = idx.search("铸铁热处理", types=["result"])
    assert hits and all(k.startswith("result:") for k, _ in hits)
    assert idx.experts("温室灌溉技术")[0][0] == f"talent:{li.pk}"
    assert idx.experts("电池负极材料")[0][0] == f"talent:{zhao.pk}"
    docs = idx.expert_documents("球墨铸铁热处理", f"talent:{wang.pk}")
    assert docs and all(idx.index.get(k).owner == f"talent:{wang.pk}" for k, _ in docs)
    assert "铸铁" in idx.explain("球墨铸铁热处理", docs[0][0]).summary


def test_a_reader_during_a_rebuild_sees_the_old_or_the_new_index_never_a_mix_and_stale_folders_go():
    people()
    first = store.build(workers=1)
    make_result(title="高炉煤气余热发电技术", owner=make_org(), year=2024)
    base = store.root()
    seen: list[tuple[str, int, int]] = []
    failures: list[str] = []
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            folder = store._pointer(base)
            if folder is None:
                failures.append("no pointer")
                continue
            try:
                loaded = store._load(folder)
            except (OSError, ValueError) as e:
                failures.append(repr(e))
                continue
            seen.append((folder.name, loaded.info["documents"], len(loaded.index)))
            time.sleep(0.01)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        second = store.build(workers=1)
        time.sleep(0.2)
    finally:
        stop.set()
        thread.join()
    assert not failures
    assert {name for name, _, _ in seen} <= {first.folder.name, second.folder.name}
    assert all(declared == held for _, declared, held in seen)  # the folder it named, whole
    assert second.documents == first.documents + 2  # the result and its new organisation
    assert (first.folder / "superseded").exists()
    # superseded folders stay while processes may still open them, then go; the current one stays
    assert store.remove_stale() == []
    assert store.remove_stale(now=time.time() + store.STALE_AFTER + 1) == [first.folder]
    assert not first.folder.exists() and second.folder.exists()
    # a process still holding the removed build keeps answering from its mapped files
    assert first.search("铸铁", types=["result"])


def test_a_process_loads_the_new_build_after_a_swap():
    people()
    old = store.build(workers=1)
    store.reset()
    assert store.current().folder == old.folder
    make_result(title="高炉煤气余热发电技术", owner=make_org(), year=2024)
    # another process builds: this one's copy is not touched, but it follows the pointer on its next check
    new_folder = store.root() / "builds" / "other"
    loaded = store.current()
    import shutil

    shutil.copytree(old.folder, new_folder)
    store.swap(new_folder)
    assert store.current() is not loaded and store.current().folder == new_folder.resolve()


def test_with_nothing_built_current_is_none_and_queues_one_build(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    assert store.current() is None
    assert store.current() is None
    job = IndexJob.objects.get()
    assert job.status == IndexJob.Status.BUILDING and job.user is None and job.task_id
    assert not store.status().built


def test_with_an_inline_worker_the_first_use_builds_the_index():
    people()
    idx = store.current()
    assert idx is not None and idx.info["experts"] == 3
    assert IndexJob.objects.get().status == IndexJob.Status.DONE


# --- edits without a rebuild --------------------------------------------------------------------------------


def test_added_updated_and_deleted_records_reach_search_and_experts_without_a_rebuild():
    wang, li, zhao = people()
    store.build(workers=1)
    sun = make_talent(name="孙新", organisation=wang.organisation, consent_to_recommend=True)
    added = make_result(title="煤矸石制备陶粒轻骨料", owner=wang.organisation, leader=sun, year=2024)
    idx = store.current()
    assert idx.search("煤矸石陶粒", types=["result"])[0][0] == f"result:{added.pk}"
    assert idx.experts("煤矸石陶粒轻骨料")[0][0] == f"talent:{sun.pk}"  # unknown to the finder, found all the same

    added.title = "秸秆生物炭土壤改良"
    added.save()
    idx = store.current()
    assert not idx.search("煤矸石陶粒", types=["result"])
    assert idx.search("秸秆生物炭", types=["result"])[0][0] == f"result:{added.pk}"
    assert idx.experts("秸秆生物炭土壤改良")[0][0] == f"talent:{sun.pk}"

    # a result moves to another leader: the old one no longer gets it, the new one does
    battery = Result.objects.filter(leader=zhao).first()
    battery.leader = li
    battery.save()
    idx = store.current()
    assert idx.expert_documents(battery.title, f"talent:{li.pk}")[0][0] == f"result:{battery.pk}"

    Result.objects.filter(leader=zhao).delete()
    Talent.objects.filter(pk=zhao.pk).delete()
    idx = store.current()
    assert f"talent:{zhao.pk}" not in {k for k, _ in idx.experts("锂离子电池负极材料 动力电池")}
    assert f"talent:{zhao.pk}" not in {k for k, _ in idx.search("锂离子电池")}
    assert store.status().pending >= 4


def test_records_written_without_signals_are_found_by_id():
    wang, _, _ = people()
    store.build(workers=1)
    bulk = Result.objects.bulk_create([Result(title="煤矸石制备陶粒轻骨料", result_type="patent",
                                              owner=wang.organisation, leader=wang)])
    assert not IndexChange.objects.filter(key=f"result:{bulk[0].pk}").exists()
    assert store.current().search("煤矸石陶粒", types=["result"])[0][0] == f"result:{bulk[0].pk}"


def test_too_many_waiting_changes_queue_a_rebuild_instead(settings, monkeypatch):
    people()
    store.build(workers=1)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    monkeypatch.setattr(store, "MAX_INCREMENTAL", 2)
    uni = make_org()
    for n in range(3):
        make_result(title=f"煤矸石制备陶粒轻骨料{n}", owner=uni)
    idx = store.current()
    assert idx.backlog and not idx.search("煤矸石陶粒")
    assert IndexJob.objects.filter(status=IndexJob.Status.BUILDING).count() == 1


def test_a_rebuild_folds_in_the_changes_and_drops_those_no_process_needs():
    people()
    store.build(workers=1)
    make_result(title="煤矸石制备陶粒轻骨料", owner=make_org())
    second = store.build(workers=1)
    assert store.status().pending == 0
    assert second.search("煤矸石陶粒")
    store.build(workers=1)
    assert not IndexChange.objects.filter(id__lte=second.info["last_change"]).exists()


# --- command line -------------------------------------------------------------------------------------------


def test_recommend_experts_writes_one_line_per_query_with_resolved_experts(tmp_path, capsys):
    wang, li, _ = people()
    Talent.objects.filter(pk=li.pk).update(consent_to_recommend=False)
    store.build(workers=1)
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"qid": "a", "text": "球墨铸铁热处理"}\n\n{"qid": 7, "text": "温室智能灌溉"}\n'
                       '{"qid": "empty", "text": ""}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    call_command("recommend", "experts", "--queries", str(queries), "--top", "2", "--out", str(out))
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["qid"] for line in lines] == ["a", 7, "empty"]
    best = lines[0]["ranking"][0]
    assert best == {"talent_id": wang.pk, "name": "王铸", "organisation": "太原理工大学", "score": best["score"]}
    assert len(lines[0]["ranking"]) <= 2 and lines[2]["ranking"] == []
    assert li.pk not in {hit["talent_id"] for line in lines for hit in line["ranking"]}  # no consent
    call_command("recommend", "experts", "--queries", str(queries), "--top", "2", "--out", str(out), "--all-talents")
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines[1]["ranking"][0]["talent_id"] == li.pk


def test_recommend_experts_refuses_a_bad_line_in_chinese_with_its_number_and_writes_nothing(tmp_path):
    people()
    store.build(workers=1)
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"qid": "a", "text": "铸铁"}\n{"qid": "b", "text": \n["x"]\n{"text": "无编号"}\n',
                       encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with translation.override("zh-hans"), pytest.raises(CommandError) as refused:
        call_command("recommend", "experts", "--queries", str(queries), "--out", str(out))
    message = str(refused.value)
    assert "第 2 行" in message and "第 3 行" in message and "第 4 行" in message and "第 1 行" not in message
    assert "JSON" in message and "qid" in message
    assert not out.exists()
    with translation.override("zh-hans"), pytest.raises(CommandError, match="无法读取"):
        call_command("recommend", "experts", "--queries", str(tmp_path / "absent.jsonl"), "--out", str(out))


def test_recommend_experts_without_an_index_says_to_build_it(tmp_path, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"qid": "a", "text": "铸铁"}\n', encoding="utf-8")
    with translation.override("zh-hans"), pytest.raises(CommandError, match="matching-index --rebuild"):
        call_command("recommend", "experts", "--queries", str(queries), "--out", str(tmp_path / "o.jsonl"))


def test_matching_index_command_reports_the_state_and_rebuilds(capsys, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with translation.override("zh-hans"):
        call_command("matching-index")
        assert "--rebuild" in capsys.readouterr().out
        people()
        call_command("matching-index", "--rebuild", "--workers", "1")
        out = capsys.readouterr().out
    assert store.status().built
    assert "文档" in out and str(store.status().info["documents"]) in out and "待处理" in out


# --- status page --------------------------------------------------------------------------------------------


def test_the_status_page_is_for_the_city_office_and_administrators(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    page = reverse("matching:index_status")
    county = make_user("county", Role.STAFF, scope=Scope.COUNTY)
    client.force_login(county)
    assert client.get(page).status_code == 403
    assert client.post(reverse("matching:index_rebuild")).status_code == 403
    assert page not in {item["url"] for group in client.get(reverse("home")).context["menu"] for item in group["items"]}
    assert not IndexJob.objects.exists()
    for user in (make_user("city", Role.STAFF, scope=Scope.CITY), make_user("root", Role.SYSADMIN, is_superuser=True)):
        client.force_login(user)
        menu = {item["url"] for group in client.get(reverse("home")).context["menu"] for item in group["items"]}
        assert page in menu
        response = client.get(page)
        assert response.status_code == 200 and "尚未建立" in response.content.decode()
    response = client.post(reverse("matching:index_rebuild"), follow=True)
    assert "正在后台建立" in response.content.decode()
    assert IndexJob.objects.get().user.username == "root"


def test_the_status_page_shows_documents_age_and_pending_changes(client):
    wang, _, _ = people()
    store.build(workers=1)
    make_result(title="煤矸石制备陶粒轻骨料", owner=wang.organisation)
    client.force_login(make_user("city", Role.STAFF, scope=Scope.CITY))
    html = client.get(reverse("matching:index_status")).content.decode()
    assert 'data-index="pending">1<' in html and str(store.status().info["documents"]) in html

"""The leak test: every URL the platform serves, as users of one county and one organisation,
aimed at the records of the other. Patterns are enumerated from the URL resolver, so a view
added later is covered without editing this file — or this test fails and says what to add."""

import io
import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from yiti.core.masking import mask
from yiti.core.registry import registries_by_model
from yiti.dashboard import snapshots
from yiti.matching.coverage_testing import coverage_leak_targets
from yiti.matching.testing import leak_targets
from yiti.policies.testing import leak_targets as policies_leak_targets  # issue 16 (r16/policies)
from yiti.supervision.testing import leak_targets as supervision_leak_targets
from yiti.tests.world import MARKER_B, PUBLIC_B, build_world

# Patterns that serve no registry data, with the reason.
NOT_DATA = {
    "login", "logout", "set_language",  # authentication and the language switch
}
# Sample values for string parameters of data views: {parameter name: [values]}; every declared registry
# for the generic views over any registry (/reveal/<model_label>/…).
STRING_SAMPLES = {
    "model_label": list(registries_by_model()),
    "field": ["mobile", "id_number", "phone"],
    # the indicator ledger (/dashboard/ledger/<code>/…): a count, an evidence-dated sum, a stock, a ratio
    "code": ["agreements_signed", "funds_arrived", "needs_matched", "talents_introduced", "enterprises_total",
             "commissioner_coverage"],
    "name": ["university", "industry"],
    "chart": ["county", "trend", "agreements", "matching"],  # the dashboards' charts (yiti/dashboard/charts.py)
    "kind": ["word", "pdf"],  # /reports/<pk>/<kind>/: a work report's downloads
}
WRITE_STATUS = {302, 403, 404, 405}
# County B's world records in the city-wide pool (docs/access.md): every county reads their public fields (which
# carry PUBLIC_B), never their personal data or the rest (which carry MARKER_B); the university too.
POOLED = {"talents.talent", "experts.expertrole", "results.result", "platforms.platform",
          "policies.policy"}  # issue 16 (r16/policies): policies are public, the whole city reads them


def all_patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("admin/"):
                continue  # Django's admin: superusers and the administrator roles only, tested separately
            ns = entry.namespace or namespace
            yield from all_patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield prefix + str(entry.pattern), name


def model_of(name: str):
    """The registry model a namespaced URL name works on: needs:need_detail → needs.Need."""
    if ":" not in name:
        return None
    app, view = name.split(":", 1)
    if app == "api":  # api:needs_need_detail
        if view.count("_") < 2:
            return None
        app, view = view.split("_", 1)
    model_name = view.split("_", 1)[0]
    try:
        return apps.get_model(app, model_name)
    except LookupError:
        return None


def fill(route: str, model, record_b, world) -> list[str]:
    """Concrete paths for `route`, with every id pointing at a record of county B (its world record and, for a
    registry with a city-wide pool, its records that stay in the scope: a talent who is no expert, a 不公开
    result …)."""
    params = re.findall(r"<(?:(\w+):)?(\w+)>", route)
    if "model_label" in {p for _c, p in params} and model is None:
        # A generic view over any registry (/reveal/<model_label>/<pk>/…): one path per registry.
        paths = []
        for label in STRING_SAMPLES["model_label"]:
            partial = route.replace("<str:model_label>", label)
            paths += fill(partial, None, world.b.records[label], world)
        return paths
    paths = [route]
    for converter, param in params:
        token = f"<{converter}:{param}>" if converter else f"<{param}>"
        if converter == "int" or (param == "pk" and not converter):  # the API validates its ids itself
            values = [str(record_b.pk)] if record_b is not None else []
            if record_b is not None and values:
                values += [str(r.pk) for r in world.b.hidden.get(type(record_b)._meta.label_lower, [])]
        else:
            values = STRING_SAMPLES.get(param, [])
        if not values:
            raise AssertionError(f"the leak test has no sample for <{param}> in {route}: add one to STRING_SAMPLES")
        paths = [p.replace(token, v) for p in paths for v in values]
    return ["/" + p.lstrip("^").rstrip("$") for p in paths]


def _personal_data_of_b(world) -> set[str]:
    """Personal data on county B's pooled records (its expert, its university) and its need, whole and masked:
    none of it may reach a user of county A, in any form. Values county A's own records show masked are left
    out of the masked set (they would be A's, not B's)."""
    b = world.b
    expert = b.records["talents.talent"]
    expert.mobile, expert.email = "13822223333", "expert.b@example.com"
    expert.save()
    b.university.phone, b.university.contact_name = "03543339999", f"{MARKER_B}王老师"
    b.university.save()
    need = b.records["needs.need"]
    need.phone = "13655557777"
    need.save()
    whole = {expert.mobile, expert.id_number, expert.email, b.university.phone, need.phone}
    masked = {mask("mobile", expert.mobile), mask("id_number", expert.id_number), mask("email", expert.email),
              mask("phone", b.university.phone), mask("phone", need.phone)}
    own = {mask("mobile", t.mobile) for t in [world.a.records["talents.talent"], *world.a.hidden["talents.talent"]]}
    own |= {mask("id_number", t.id_number) for t in [world.a.records["talents.talent"]]}
    return whole | (masked - own)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["county_staff_a", "revealing_staff_a", "enterprise_contact_a",
                                 "university_contact_a"])
def test_no_endpoint_shows_or_changes_the_other_countys_records(client, who):
    world = build_world()
    if who == "revealing_staff_a":  # a county officer who may reveal personal data: never across the scope
        from yiti.accounts.models import Role, Scope
        from yiti.accounts.testing import make_user

        world.users[who] = make_user("reveal_a", Role.STAFF, scope=Scope.COUNTY, department=world.a.department,
                                     may_reveal_personal_data=True)
    client.force_login(world.users[who])
    checked = 0
    personal_b = _personal_data_of_b(world)
    pooled = [world.b.records[label] for label in POOLED] + [world.b.university]
    # Names a user of county A may never see; those of the pooled records they may, on their own pages only.
    names_b = [str(r) for r in world.b.records.values() if r not in pooled]
    names_b += [str(r) for hidden in world.b.hidden.values() for r in hidden]
    names_pooled = [str(r) for r in pooled]
    assert all(PUBLIC_B in n and MARKER_B not in n for n in names_pooled)
    job_b = _import_job_of_b(world)
    suggestions_b = _suggestion_job_of_b(world, job_b.user)
    _duplicates_of_b(world)  # so that 疑似重复 (…/duplicates/) has county B's pairs to leak
    matching_b = leak_targets(world)  # county B's matching run, list and published item
    coverage_b = coverage_leak_targets(world)  # county B's coverage run and one of its lines
    ledger_snapshot = snapshots.take("2026-01")  # the indicator ledger's snapshot of every county
    supervise_b = supervision_leak_targets(world)  # county B's task and a notification of its staff
    reports_b = _work_report_of_b(world, job_b.user)  # county B's work report; the city's report template
    policies_b = policies_leak_targets(world)  # county B's screening and benefit ledger line (issue 16)
    for route, name in all_patterns():
        if name in NOT_DATA:
            continue
        model = model_of(name)
        record_b = world.b.records.get(model._meta.label_lower) if model is not None else None
        if name.startswith("imports:"):  # an import or a code review is its starter's: one of county B's
            record_b = suggestions_b if name.startswith("imports:suggestions") else job_b
        if name.startswith("matching:"):  # /matching/lists/<pk>/, /matching/items/<pk>/, /matching/lists/runs/<pk>/
            view = name.split(":", 1)[1]
            record_b = matching_b["run" if view == "run" else "item" if view.startswith("item") else "list"]
        if name.startswith("matching:coverage"):  # /matching/coverage/<pk>/…, /matching/coverage/line/<pk>/…
            record_b = coverage_b["line" if name.startswith("matching:coverage_line") else "run"]
        if name.startswith("dashboard:snapshot"):  # a snapshot is the whole city's: each user sees their columns
            record_b = ledger_snapshot
        if name.startswith("supervise:"):  # /supervision/remind/<pk>/, /supervision/notifications/<pk>/read/
            record_b = supervise_b["notification" if name.startswith("supervise:read") else "task"]
        if name.startswith("reports:"):  # /reports/<pk>/…, /reports/templates/<pk>/…
            record_b = reports_b["template" if name.startswith("reports:template") else "report"]
        if name.startswith(("policies:screening", "policies:benefit")):  # issue 16 (r16/policies)
            record_b = policies_b["screening" if name.startswith("policies:screening") else "benefit"]
        if model is not None and record_b is None:
            record_b = _any_record_of_b(world, model)
        before = _snapshot(world)
        for path in fill(route, model, record_b, world):
            response = client.get(path)
            text = response_text(response)
            assert MARKER_B not in text, f"{who} GET {path} ({name}) shows county B's records"
            shown = [v for v in personal_b if v in text]
            assert not shown, f"{who} GET {path} ({name}) shows county B's personal data {shown}"
            # searching for the other county (the form echoes the term, so look for the records themselves); the
            # pooled records hold the term only in fields that are not public, so no search finds them by it
            response = client.get(f"{path}?q={MARKER_B}&format=csv")
            text = response_text(response)
            # 全库检索 ranks by words, and 乙县 of the term is in the pooled records' public names: finding them
            # there is what the pool is for; every other list finds them only by the term's hidden fields.
            pooled_found = "<" not in route and name != "matching:search"
            leaked = [n for n in names_b + (names_pooled if pooled_found else []) if n in text]
            assert not leaked, f"{who} searching {path} ({name}) finds {leaked}"
            assert not [v for v in personal_b if v in text], f"{who} searching {path} ({name}) shows personal data"
            response = client.post(path, {"title": "改", "name": "改", "summary": "改", "note": "改",
                                          "date": "2026-01-01", "step": "terminated", "channel": "phone"})
            body = response.content.decode(errors="replace")
            assert MARKER_B not in body, f"{who} POST {path} ({name}) shows a record of county B"
            assert not [v for v in personal_b if v in body], f"{who} POST {path} ({name}) shows personal data"
            if "<int:" in route or "<pk>" in route:
                assert response.status_code in WRITE_STATUS, (who, path, response.status_code)
            checked += 1
        assert _snapshot(world) == before, f"{who} changed county B's records through {route} ({name})"
    assert checked > 30


def response_text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode(errors="replace")


def uncovered(records: dict) -> list[str]:
    """Declared registries of which the leak test's world has no record (so nothing of theirs is aimed at)."""
    return [label for label in registries_by_model() if label not in records]


@pytest.mark.django_db
def test_the_world_has_a_record_of_every_registry():
    world = build_world()
    assert uncovered(world.a.records) == [] and uncovered(world.b.records) == []
    partial = dict(world.b.records)
    del partial["platforms.platform"]
    assert uncovered(partial) == ["platforms.platform"]


def _any_record_of_b(world, model):
    raise AssertionError(f"the leak test builds no record of {model._meta.label} for county B: add one to "
                         f"yiti.tests.world.build_county")


def _snapshot(world) -> dict:
    snap = {}
    for label, record in world.b.records.items():
        for n, one in enumerate([record, *world.b.hidden.get(label, [])]):
            snap[f"{label}:{n}"] = type(one)._default_manager.filter(pk=one.pk).values().first()
    snap["university"] = type(world.b.university)._default_manager.filter(pk=world.b.university.pk).values().first()
    snap["counts"] = tuple(type(r)._default_manager.count() for r in world.b.records.values())
    return snap


@pytest.mark.django_db
def test_home_counts_only_own_records(client):
    world = build_world()
    client.force_login(world.users["enterprise_contact_a"])
    cards = {str(c["label"]): c["count"] for c in client.get("/").context["cards"]}
    assert cards["企业需求"] == 1


def _work_report_of_b(world, user_b) -> dict:
    """County B's work report, whose files name county B, and a report template (the city office's: every
    reader may download it, and it names no county)."""
    from django.core.files.base import ContentFile

    from yiti.dashboard.models import ReportTemplate, WorkReport

    report = WorkReport(registry="dashboard", user=user_b, period_kind="month", period="2026-11",
                        division=world.b.division, status=WorkReport.Status.DONE)
    report.docx.save("b.docx", ContentFile(f"{MARKER_B}工作报告".encode()), save=False)
    report.pdf.save("b.pdf", ContentFile(f"{MARKER_B}工作报告".encode()), save=False)
    report.save()
    template = ReportTemplate(name="市级报告模板")
    template.file.save("template.docx", ContentFile(b"PK"), save=False)
    template.save()
    return {"report": report, "template": template}


def _import_job_of_b(world):
    from django.core.files.base import ContentFile

    from yiti.accounts.models import Role, Scope
    from yiti.accounts.testing import make_user
    from yiti.imports.models import ImportJob

    staff_b = make_user("staff_b", Role.STAFF, scope=Scope.COUNTY, department=world.b.department)
    job = ImportJob(registry="talents", user=staff_b, original_name=f"{MARKER_B}.csv", rows=1,
                    status=ImportJob.Status.READY, counts={"rows": 1, "created": 1},
                    report={"creates": [{"row": 2, "label": f"{MARKER_B}李四"}]})
    job.file.save("b.csv", ContentFile(f"姓名,人才类型\n{MARKER_B}李四,本土优秀人才\n".encode()), save=False)
    job.save()
    return job


def _suggestion_job_of_b(world, staff_b):
    from yiti.imports.models import SuggestionJob

    need = world.b.records["needs.need"]
    return SuggestionJob.objects.create(
        registry="needs", field="discipline", user=staff_b, status=SuggestionJob.Status.READY,
        suggestions=[{"pk": need.pk, "record": str(need), "code": "0802", "name": "机械工程", "probability": 0.9,
                      "alternatives": [], "applied": False}])


def _duplicates_of_b(world) -> None:
    """A second, nearly identical record of every registry in county B: a candidate pair for 疑似重复."""
    from yiti.agreements.testing import make_agreement
    from yiti.experts.testing import make_expert_role
    from yiti.needs.testing import make_need
    from yiti.orgs.testing import make_enterprise
    from yiti.platforms.testing import make_platform
    from yiti.results.testing import make_result
    from yiti.supervision.testing import make_task
    from yiti.talents.testing import make_talent

    b = world.b
    enterprise = b.records["orgs.organisation"]
    make_enterprise(name=enterprise.name.replace("有限公司", "有限责任公司"), division=b.division)
    talent = b.records["talents.talent"]
    twin = make_talent(name=talent.name, division=b.division, organisation=talent.organisation)
    role = b.records["experts.expertrole"]
    make_expert_role(talent=twin, role=role.role)
    need = b.records["needs.need"]
    make_need(enterprise=enterprise, title=need.title + "（补充）")
    result = b.records["results.result"]
    make_result(owner=result.owner, title=result.title)
    platform = b.records["platforms.platform"]
    make_platform(host=platform.host, division=b.division, name=platform.name + "（筹）")
    agreement = b.records["agreements.agreement"]
    make_agreement(parties=[b.university, enterprise], division=b.division, title=agreement.title,
                           signed_date=agreement.signed_date.replace(year=2024))
    task = b.records["supervision.task"]
    make_task(title=task.title + "（重复）", division=b.division, lead_department=task.lead_department,
              assigning_department=task.assigning_department)
    from yiti.activities.fairs.testing import make_position
    from yiti.activities.testing import make_event
    from yiti.pairing.testing import make_pairing
    from yiti.policies.testing import make_policy

    pair = b.records["pairing.pairing"]
    make_pairing(community=pair.community, partner=pair.partner, division=b.division,
                 term_start=pair.term_start.replace(year=pair.term_start.year - 3))
    policy = b.records["policies.policy"]
    make_policy(title=policy.title, division=b.division, granting_department=policy.granting_department)
    event = b.records["activities.event"]
    make_event(title=event.title + "（重复）", division=b.division, start_date=event.start_date,
               end_date=event.end_date, event_type=event.event_type, status=event.status)
    position = b.records["fairs.position"]
    make_position(fair=position.fair, enterprise=position.enterprise, title=position.title + "（重复）")


@pytest.mark.django_db
def test_duplicates_pages_would_show_county_bs_pairs_to_county_b(client):
    """The control for the leak test's 疑似重复 pages: county B's own officer does see its pairs there."""
    from yiti.accounts.models import Role, Scope
    from yiti.accounts.testing import make_user
    from yiti.core.registry import registries
    from yiti.imports.duplicates import has_rule

    world = build_world()
    _duplicates_of_b(world)
    client.force_login(make_user("staff_b", Role.STAFF, scope=Scope.COUNTY, department=world.b.department))
    for registry in registries().values():
        if not has_rule(registry):
            continue  # no 疑似重复 page
        response = client.get(reverse(registry.url_name("duplicates")))
        assert response.context["total"] >= 1, registry.app_label
        body = response.content.decode()
        assert MARKER_B in body or PUBLIC_B in body, registry.app_label  # a pooled record's name carries PUBLIC_B


def _give_personal_data(world) -> set[str]:
    """Phones for both counties' enterprises and needs, an e-mail for their talents; every whole value."""
    whole = set()
    for n, county in enumerate((world.a, world.b)):
        county.enterprise.phone = f"0354301234{n}"
        county.enterprise.save()
        need = county.records["needs.need"]
        need.phone = f"1370000111{n}"
        need.save()
        talent = county.records["talents.talent"]
        talent.email = f"zhanggong{n}@example.com"
        talent.save()
        whole |= {county.enterprise.phone, need.phone, talent.mobile, talent.id_number, talent.email}
    return whole


def _export_text(response) -> str:
    if response.get("Content-Type", "").startswith("text/csv"):
        return response_text(response)
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    return "\n".join(",".join("" if c is None else str(c) for c in row) for row in sheet.iter_rows(values_only=True))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["county_staff_a", "city_office", "superuser"])
def test_no_edit_form_or_default_export_shows_a_whole_id_number_or_phone(client, who):
    """Masked for every role, the city office that may reveal and the superuser too: only the logged
    reveal (and 明文导出, with a reason) shows a whole value."""
    from yiti.accounts.models import Role, Scope, User
    from yiti.accounts.testing import make_user
    from yiti.core.registry import registries

    world = build_world()
    whole = _give_personal_data(world)
    user = {
        "county_staff_a": lambda: world.users["county_staff_a"],
        "city_office": lambda: make_user("city_office", Role.STAFF, scope=Scope.CITY, may_reveal_personal_data=True),
        "superuser": lambda: User.objects.create_superuser("root", password="Zs-2026-root!"),
    }[who]()
    client.force_login(user)
    forms = exports = 0
    for registry in registries().values():
        for county in (world.a, world.b):
            record = county.records[registry.model._meta.label_lower]
            response = client.get(reverse(registry.url_name("edit"), args=[record.pk]))
            if response.status_code == 404 and county is world.b and who == "county_staff_a":
                continue  # outside the county: the scope test covers it
            assert response.status_code == 200, (who, registry.model_name, response.status_code)
            shown = [v for v in whole if v in response.content.decode()]
            assert not shown, f"{who}: the {registry.model_name} edit form shows {shown}"
            forms += 1
        for fmt in ("csv", "xlsx"):
            text = _export_text(client.get(reverse(registry.url_name("export")) + f"?format={fmt}"))
            shown = [v for v in whole if v in text]
            assert not shown, f"{who}: the default {fmt} export of {registry.model_name} shows {shown}"
            assert text.count("\n") >= 1  # a header and at least one record
            exports += 1
    count = len(registries_by_model())
    assert forms == (count if who == "county_staff_a" else 2 * count) and exports == 2 * count

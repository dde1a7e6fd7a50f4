"""The city-wide pool (issue 14 §1, docs/access.md): experts, research results, platforms and universities/institutes
are readable across the city, with their public fields only; editing, the reveal of personal data and the plain
export stay within the scope; 不公开 keeps a result or an expert in the scope; a need is readable beyond it only
when its enterprise marks it 公开征集 (the matching app adds: once a published item is addressed to you)."""

import datetime

import pytest
from django.urls import reverse

from yiti.accounts.models import Role, Scope
from yiti.accounts.testing import make_user
from yiti.experts.models import ExpertRole
from yiti.needs.models import Need
from yiti.orgs.models import Organisation
from yiti.platforms.models import Platform
from yiti.results.models import Result
from yiti.talents.models import Talent
from yiti.tests.world import MARKER_B, PUBLIC_B, build_world

# Every role that reads registry records, against county B's records.
READERS = ["county_staff_a", "department_staff_a", "enterprise_contact_a", "university_contact_a"]


@pytest.fixture
def world(db):
    return build_world()


def visible(model, user) -> set[int]:
    return set(model.objects.restrict(user, "view").values_list("pk", flat=True))


@pytest.mark.parametrize("who", READERS)
def test_every_reader_sees_the_other_countys_pool_and_nothing_else(world, who):
    user = world.users[who]
    b = world.b
    assert b.records["talents.talent"].pk in visible(Talent, user)  # an expert
    assert b.records["experts.expertrole"].pk in visible(ExpertRole, user)
    assert b.records["results.result"].pk in visible(Result, user)
    assert b.records["platforms.platform"].pk in visible(Platform, user)
    assert b.university.pk in visible(Organisation, user)
    # a talent who is no expert, an expert whose profile is 不公开 (and their role), a 不公开 result
    assert not {t.pk for t in b.hidden["talents.talent"]} & visible(Talent, user)
    assert not {r.pk for r in b.hidden["experts.expertrole"]} & visible(ExpertRole, user)
    assert not {r.pk for r in b.hidden["results.result"]} & visible(Result, user)
    # an enterprise, its need, an agreement
    assert b.enterprise.pk not in visible(Organisation, user)
    assert b.records["needs.need"].pk not in visible(Need, user)


def test_the_pool_is_for_viewing_only(world):
    user = world.users["county_staff_a"]
    for label in ("talents.talent", "experts.expertrole", "results.result", "platforms.platform"):
        record = world.b.records[label]
        for action in ("change", "delete"):
            assert not type(record).objects.restrict(user, action).filter(pk=record.pk).exists(), (label, action)
    assert not Organisation.objects.restrict(user, "change").filter(pk=world.b.university.pk).exists()


def test_administrator_roles_get_no_pool(world):
    for who in ("sysadmin", "secadmin", "auditor"):
        assert not visible(Platform, world.users[who]) and not visible(Result, world.users[who]), who


def test_an_ended_role_leaves_the_pool(world):
    user = world.users["county_staff_a"]
    role = world.b.records["experts.expertrole"]
    role.status = "ended"
    role.save()
    assert world.b.records["talents.talent"].pk not in visible(Talent, user)
    assert role.pk not in visible(ExpertRole, user)


def test_marking_a_result_or_a_profile_not_public_takes_it_out_of_the_pool(world):
    user = world.users["county_staff_a"]
    result, talent = world.b.records["results.result"], world.b.records["talents.talent"]
    result.is_public = False
    result.save()
    talent.profile_public = False
    talent.save()
    assert result.pk not in visible(Result, user)
    assert talent.pk not in visible(Talent, user)
    assert world.b.records["experts.expertrole"].pk not in visible(ExpertRole, user)
    # their own county still sees them
    staff_b = make_user("staff_b", Role.STAFF, scope=Scope.COUNTY, department=world.b.department)
    assert result.pk in visible(Result, staff_b) and talent.pk in visible(Talent, staff_b)


def test_an_open_call_need_is_readable_by_everyone(world):
    need = world.b.records["needs.need"]
    assert not any(need.pk in visible(Need, world.users[who]) for who in READERS)
    need.open_call = True
    need.save()
    assert all(need.pk in visible(Need, world.users[who]) for who in READERS)
    assert not Need.objects.restrict(world.users["county_staff_a"], "change").filter(pk=need.pk).exists()


def test_the_flags_are_on_the_forms(world, client):
    staff_b = make_user("staff_b", Role.STAFF, scope=Scope.COUNTY, department=world.b.department)
    client.force_login(staff_b)
    assert "is_public" in client.get(reverse("results:result_add")).context["form"].fields
    assert "profile_public" in client.get(reverse("talents:talent_add")).context["form"].fields
    # the enterprise's contact marks its need 公开征集
    contact_b = make_user("ent_b", Role.ORG_CONTACT, organisation=world.b.enterprise)
    client.force_login(contact_b)
    need = world.b.records["needs.need"]
    form = client.get(reverse("needs:need_edit", args=[need.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "phone"}
    data.update(enterprise=world.b.enterprise.name, open_call="on", industry=need.industry_id)
    response = client.post(reverse("needs:need_edit", args=[need.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    need.refresh_from_db()
    assert need.open_call


def test_the_import_templates_have_the_flags(world):
    from yiti.core.registry import registries
    from yiti.imports.columns import columns_for

    staff = world.users["city_staff"]
    assert "profile_public" in {c.name for c in columns_for(registries()["talents"], staff)}
    assert "is_public" in {c.name for c in columns_for(registries()["results"], staff)}
    assert "open_call" in {c.name for c in columns_for(registries()["needs"], staff)}


def test_another_countys_expert_page_shows_the_public_profile_only(world, client):
    client.force_login(world.users["county_staff_a"])
    talent = world.b.records["talents.talent"]
    talent.email = "expert.b@example.com"
    talent.notes = f"{MARKER_B}备注"
    talent.save()
    response = client.get(reverse("talents:talent_detail", args=[talent.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    labels = [str(label) for label, _value in response.context["fields"]]
    assert labels[:3] == ["姓名", "职称级别", "单位"] and "专家角色（剩余容量）" in labels
    assert "剩余" in html and PUBLIC_B in html
    for hidden in ("手机", "身份证号", "电子邮箱", "备注", "籍贯", "联络记录", "变更记录", "139****5678",
                   "expert.b", MARKER_B):
        assert hidden not in html, hidden
    assert not response.context["may_change"] and not response.context["may_reveal"]
    assert reverse("talents:talent_edit", args=[talent.pk]) not in html
    # their own county sees the whole page
    client.force_login(make_user("staff_b", Role.STAFF, scope=Scope.COUNTY, department=world.b.department))
    html = client.get(reverse("talents:talent_detail", args=[talent.pk])).content.decode()
    assert "139****5678" in html and "联络记录" in html and MARKER_B in html


def test_another_countys_expert_role_page_shows_capacity_left_and_no_notes(world, client):
    client.force_login(world.users["county_staff_a"])
    role = world.b.records["experts.expertrole"]
    response = client.get(reverse("experts:expertrole_detail", args=[role.pk]))
    assert response.status_code == 200
    rows = {str(label): str(value) for label, value in response.context["fields"]}
    assert rows["剩余容量"] == str(role.capacity)
    html = response.content.decode()
    assert MARKER_B not in html and "服务对象" not in html  # notes, assignments


def test_the_pool_cannot_be_edited_through_the_pages(world, client):
    client.force_login(world.users["county_staff_a"])
    result = world.b.records["results.result"]
    assert client.get(reverse("results:result_edit", args=[result.pk])).status_code == 404
    response = client.post(reverse("results:result_edit", args=[result.pk]), {"title": "改"})
    assert response.status_code == 404
    assert client.post(reverse("results:result_delete", args=[result.pk])).status_code == 404
    result.refresh_from_db()
    assert result.title.startswith(PUBLIC_B)


def test_no_reveal_or_plain_export_across_the_scope(world, client):
    revealer = make_user("reveal_a", Role.STAFF, scope=Scope.COUNTY, department=world.a.department,
                         may_reveal_personal_data=True)
    client.force_login(revealer)
    expert_b, talent_a = world.b.records["talents.talent"], world.a.records["talents.talent"]
    expert_b.mobile = "13822223333"
    expert_b.save()
    assert client.post(f"/reveal/talents.talent/{expert_b.pk}/mobile/").status_code == 404
    assert client.post(f"/reveal/talents.talent/{talent_a.pk}/mobile/").status_code == 200  # the control
    response = client.post(reverse("talents:talent_export_plain"), {"reason": "核对联系方式", "format": "csv"})
    text = b"".join(response.streaming_content).decode()
    assert talent_a.name in text and "13912345678" in text  # own county: plain
    assert expert_b.name not in text and "13822223333" not in text  # the pool: never


def test_the_masked_export_of_the_pool_has_public_columns_only(world, client):
    client.force_login(world.users["county_staff_a"])
    expert_b = world.b.records["talents.talent"]
    response = client.get(reverse("talents:talent_export") + "?format=csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    row_b = next(line for line in lines if expert_b.name in line)
    row_a = next(line for line in lines if world.a.records["talents.talent"].name in line)
    assert "****" in row_a and "****" not in row_b


def test_the_list_hides_the_pools_masked_phone(world, client):
    client.force_login(world.users["county_staff_a"])
    response = client.get(reverse("talents:talent_list"))
    table = response.context["table"]
    assert world.b.records["talents.talent"].pk not in table.in_scope
    assert world.a.records["talents.talent"].pk in table.in_scope
    assert response.content.decode().count("139****5678") == 1  # county A's talent, not county B's expert


def test_no_pool_declares_personal_data_or_notes_public():
    from yiti.core.masking import SENSITIVE_FIELDS
    from yiti.core.registry import registries

    pools = {app: r for app, r in registries().items() if r.pool is not None}
    # a policy is public by nature (its guide, office and hotline are what the public reads)
    assert set(pools) == {"orgs", "talents", "experts", "needs", "results", "platforms", "policies"}
    for app, registry in pools.items():
        assert registry.pool is not None
        names = {f.name for f in registry.model._meta.get_fields()}
        fields = set(registry.pool.fields)
        assert fields <= names and fields <= set(registry.detail_fields), app
        private = set(SENSITIVE_FIELDS) | {"notes", "contact_name", "hometown", "gender", "birth_year", "liaison",
                                           "address" if app != "orgs" else ""}
        assert not fields & private, (app, fields & private)


def test_no_contact_or_assignment_is_recorded_on_a_pooled_record(world, client):
    from yiti.experts.models import Assignment
    from yiti.talents.models import ContactLog

    client.force_login(world.users["county_staff_a"])
    talent, role = world.b.records["talents.talent"], world.b.records["experts.expertrole"]
    response = client.post(reverse("talents:talent_add_contact", args=[talent.pk]),
                           {"date": "2026-01-05", "channel": "phone", "summary": "电话联系"})
    assert response.status_code == 404 and not ContactLog.objects.filter(talent=talent).exists()
    response = client.post(reverse("experts:expertrole_add_assignment", args=[role.pk]),
                           {"organisation": world.a.enterprise.name, "start_date": "2026-01-05"})
    assert response.status_code == 404 and not Assignment.objects.filter(role=role).exists()


def test_a_pooled_university_is_not_assignable(world):
    from django.core.exceptions import ValidationError

    from yiti.experts import services

    role = world.a.records["experts.expertrole"]
    with pytest.raises(ValidationError) as refused:
        services.assign(role, world.b.university, datetime.date(2026, 1, 5), user=world.users["county_staff_a"])
    assert "organisation_scope" in str(refused.value.error_dict["organisation"][0].code)


@pytest.mark.parametrize("list_url, label", [("results:result_list", "results.result"),
                                             ("talents:talent_list", "talents.talent")])
def test_the_list_offers_no_edit_or_delete_on_the_pool(world, client, list_url, label):
    client.force_login(world.users["county_staff_a"])
    page = client.get(reverse(list_url)).content.decode()
    pooled, own = world.b.records[label], world.a.records[label]
    app, model = label.split(".")
    assert reverse(f"{app}:{model}_edit", args=[own.pk]) in page
    assert reverse(f"{app}:{model}_edit", args=[pooled.pk]) not in page
    assert reverse(f"{app}:{model}_delete", args=[pooled.pk]) not in page


@pytest.mark.parametrize("who", [*READERS, "city_staff"])
def test_records_among_a_list_of_ids_are_the_restricted_ones(world, who):
    # restricted_among (a page's rows, 全库检索's hits) is restrict() itself, written for the planner.
    from yiti.core.access import restricted_among
    from yiti.core.registry import registries

    user = world.users[who]
    for registry in registries().values():
        model = registry.model
        pks = list(model.objects.values_list("pk", flat=True))
        for action, pooled in (("view", True), ("view", False), ("change", True)):
            expected = model.objects.restrict(user, action, pooled=pooled).filter(pk__in=pks)
            found = restricted_among(model, user, action, pks, pooled=pooled)
            assert set(found.values_list("pk", flat=True)) == set(expected.values_list("pk", flat=True)), \
                (registry.label, action, pooled)

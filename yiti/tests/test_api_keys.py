"""API keys for other systems (issue 16 §4): issued by the security administrator and shown once, held to their
registries, actions, term and rate, every call in the trail; writes through the registries' forms with the forms'
messages and an Idempotency-Key that makes a retry safe."""

import json
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from yiti.accounts.models import Role, Scope
from yiti.accounts.testing import make_user
from yiti.core.models import IdempotentCall
from yiti.needs.models import Need
from yiti.needs.testing import make_need
from yiti.security.api_keys import issue, revoke
from yiti.security.models import ApiCall, ApiKey, ApiKeyGrant, AuthEvent
from yiti.tests.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_windows():
    cache.clear()


@pytest.fixture
def world():
    return build_world()


def make_key(account, grants=(("needs", "need", ("view", "add", "change")),), **kw):
    key = ApiKey(name=kw.pop("name", "省人才服务平台"), account=account,
                 expires_at=kw.pop("expires_at", timezone.now() + timedelta(days=30)), **kw)
    token = issue(key)
    key.save()
    for app, model, actions in grants:
        ApiKeyGrant.objects.create(key=key, content_type=ContentType.objects.get(app_label=app, model=model),
                                   may_view="view" in actions, may_add="add" in actions, may_change="change" in actions)
    return key, token


def call(method, url, token=None, body=None, **headers):
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    client = Client()
    if body is None:
        return getattr(client, method)(url, **headers)
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", **headers)


def test_the_security_administrator_issues_a_key_shown_once_and_stored_hashed(world):
    service = make_user("prov_platform", Role.STAFF, scope=Scope.CITY)
    client = Client()
    client.force_login(world.users["secadmin"])
    session = client.session
    session["otp_device_id"] = None
    session.save()
    from django.test import override_settings

    with override_settings(YITI_REQUIRE_SECOND_FACTOR=False):
        response = client.post("/admin/security/apikey/add/", {
            "name": "省人才服务平台", "account": service.pk, "expires_at_0": "2099-01-01", "expires_at_1": "00:00:00",
            "rate_limit": 60, "note": "",
            "grants-TOTAL_FORMS": 1, "grants-INITIAL_FORMS": 0, "grants-MIN_NUM_FORMS": 0, "grants-MAX_NUM_FORMS": 1000,
            "grants-0-content_type": ContentType.objects.get(app_label="needs", model="need").pk,
            "grants-0-may_view": "on",
        }, follow=True)
    assert response.status_code == 200
    key = ApiKey.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    token = next(word for m in shown for word in m.split() if word.startswith("yiti_"))
    assert key.prefix in token and token not in key.key_hash and len(key.key_hash) == 64
    assert key.created_by == world.users["secadmin"]
    assert call("get", "/api/needs/", token).status_code == 200


def test_a_key_reads_as_its_account_within_its_scope_and_masked(world):
    make_need(enterprise=world.b.enterprise, title="乙县需求", phone="13912345678")
    mine = make_need(enterprise=world.a.enterprise, title="甲县需求", phone="13912345678")
    key, token = make_key(world.users["county_staff_a"])
    response = call("get", "/api/needs/", token)
    assert response.status_code == 200
    shown = {row["id"] for row in response.json()["results"]}
    assert mine.pk in shown and shown == set(Need.objects.filter(enterprise__division=world.a.division)
                                             .values_list("pk", flat=True))
    assert "13912345678" not in response.content.decode()
    key.refresh_from_db()
    assert key.last_used_at is not None


@pytest.mark.parametrize("how", ["unknown", "expired", "revoked", "inactive"])
def test_an_unknown_expired_revoked_or_orphaned_key_is_refused_with_401_and_logged(world, how):
    account = make_user("prov", Role.STAFF, scope=Scope.CITY)
    key, token = make_key(account)
    if how == "unknown":
        token = token[:-4] + "abcd"
    elif how == "expired":
        ApiKey.objects.filter(pk=key.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif how == "revoked":
        revoke(key, world.users["secadmin"])
    else:
        account.is_active = False
        account.save()
    response = call("get", "/api/needs/", token)
    assert response.status_code == 401
    assert "API" in response.json()["detail"] or "密钥" in response.json()["detail"]
    event = AuthEvent.objects.get(event=AuthEvent.Kind.API_KEY_REFUSED)
    assert key.prefix in event.detail
    trail = ApiCall.objects.get()
    assert (trail.status, trail.key_prefix, trail.method) == (401, key.prefix, "GET")


def test_a_key_is_held_to_its_registries_and_actions(world):
    make_need(enterprise=world.a.enterprise)
    key, token = make_key(world.users["city_staff"], grants=(("needs", "need", ("view",)),))
    assert call("get", "/api/talents/", token).status_code == 403
    refused = call("post", "/api/needs/", token, {"enterprise": world.a.enterprise.name, "need_type": "technology",
                                                 "title": "不应写入"})
    assert refused.status_code == 403 and "API" in refused.json()["detail"]
    assert not Need.objects.filter(title="不应写入").exists()
    assert sorted(ApiCall.objects.values_list("status", flat=True)) == [403, 403]


def test_a_key_past_its_calls_per_minute_gets_429(world):
    _key, token = make_key(world.users["city_staff"], rate_limit=2)
    assert [call("get", "/api/needs/", token).status_code for _ in range(3)] == [200, 200, 429]
    refused = call("get", "/api/needs/", token)
    assert refused.status_code == 429 and "2" in refused.json()["detail"]


def test_a_need_created_through_the_api_goes_through_the_form_and_is_logged_as_the_keys_account(world):
    account = world.users["county_staff_a"]
    _key, token = make_key(account)
    response = call("post", "/api/needs/", token, {
        "enterprise": world.a.enterprise.name, "need_type": "technology", "title": "数控机床精度检测",
        "phone": "13912345678", "published_date": "2026-01-05", "budget": "12.5"})
    assert response.status_code == 201, response.content
    need = Need.objects.get(title="数控机床精度检测")
    assert need.created_by == account and need.phone == "13912345678" and need.enterprise == world.a.enterprise
    assert response.json()["id"] == need.pk and "13912345678" not in response.content.decode()
    assert LogEntry.objects.get_for_object(need).get().actor == account


def test_invalid_writes_name_the_field_and_the_reason_in_chinese_and_write_nothing(world):
    _key, token = make_key(world.users["county_staff_a"])
    before = Need.objects.count()
    missing = call("post", "/api/needs/", token, {"enterprise": world.a.enterprise.name, "need_type": "technology"})
    assert missing.status_code == 400
    assert any(e["param"] == "title" and "名称" in e["message"] and "必须填写" in e["message"] for e in missing.json()["errors"])
    future = call("post", "/api/needs/", token, {"enterprise": world.a.enterprise.name, "need_type": "technology",
                                                "title": "未来的需求", "published_date": "2999-01-01"})
    assert future.status_code == 400 and "发布" in future.json()["detail"]
    unknown = call("post", "/api/needs/", token, {"enterprise": "不存在的企业", "need_type": "technology",
                                                 "title": "x"})
    assert unknown.status_code == 400 and "不存在的企业" in unknown.json()["detail"]
    wrong_type = call("post", "/api/needs/", token, {"enterprise": world.a.enterprise.name, "need_type": "nonsense",
                                                    "title": "x"})
    assert wrong_type.status_code == 400 and wrong_type.json()["errors"][0]["param"] == "need_type"
    extra = call("post", "/api/needs/", token, {"enterprise": world.a.enterprise.name, "need_type": "technology",
                                               "title": "x", "created_by": 1})
    assert extra.status_code == 400 and extra.json()["errors"][0]["param"] == "created_by"
    assert Need.objects.count() == before


def test_a_write_outside_the_keys_scope_is_refused_and_rolled_back(world):
    _key, token = make_key(world.users["county_staff_a"])
    response = call("post", "/api/needs/", token, {"enterprise": f"#{world.b.enterprise.pk}",
                                                  "need_type": "technology", "title": "别县的需求"})
    assert response.status_code in (400, 403)
    assert not Need.objects.filter(title="别县的需求").exists()


def test_a_patch_changes_the_fields_sent_and_keeps_the_others_personal_data_included(world):
    need = make_need(enterprise=world.a.enterprise, title="旧标题", phone="13912345678", contact_name="李工")
    _key, token = make_key(world.users["county_staff_a"])
    response = call("patch", f"/api/needs/{need.pk}", token, {"title": "新标题"})
    assert response.status_code == 200, response.content
    need.refresh_from_db()
    assert (need.title, need.phone, need.contact_name, need.enterprise) == ("新标题", "13912345678", "李工",
                                                                            world.a.enterprise)
    other = make_need(enterprise=world.b.enterprise)
    assert call("patch", f"/api/needs/{other.pk}", token, {"title": "改别县的"}).status_code == 404


def test_a_retried_write_with_the_same_idempotency_key_creates_one_record(world):
    _key, token = make_key(world.users["county_staff_a"])
    body = {"enterprise": world.a.enterprise.name, "need_type": "technology", "title": "重试的需求"}
    first = call("post", "/api/needs/", token, body, HTTP_IDEMPOTENCY_KEY="k-1")
    again = call("post", "/api/needs/", token, body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert Need.objects.filter(title="重试的需求").count() == 1
    other = call("post", "/api/needs/", token, {**body, "title": "另一个"}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 409 and "Idempotency-Key" in other.json()["detail"]
    assert not Need.objects.filter(title="另一个").exists()
    assert IdempotentCall.objects.count() == 1


def test_a_session_write_still_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["county_staff_a"])
    response = client.post("/api/needs/", data=json.dumps({"enterprise": world.a.enterprise.name,
                                                           "need_type": "technology", "title": "跨站"}),
                           content_type="application/json")
    assert response.status_code == 403
    assert not Need.objects.filter(title="跨站").exists()


def test_the_openapi_document_describes_the_writes_and_both_authentications():
    from yiti.core.api import api

    schema = api.get_openapi_schema(path_prefix="/api/")
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} >= {"http", "apiKey"}
    create = schema["paths"]["/api/needs/"]["post"]
    assert {"201", "400", "401", "403", "409", "429"} <= {str(code) for code in create["responses"]}
    assert any(p["name"] == "Idempotency-Key" for p in create["parameters"])
    assert "patch" in schema["paths"]["/api/needs/{pk}"]
    assert "post" not in schema["paths"]["/api/orgs/"]


def test_purge_jobs_drops_idempotency_keys_past_the_retention(world):
    from io import StringIO

    from django.core.management import call_command

    account = world.users["city_staff"]
    old = IdempotentCall.objects.create(user=account, key="old", request_digest="0" * 64, status=201, response={})
    IdempotentCall.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    IdempotentCall.objects.create(user=account, key="new", request_digest="0" * 64, status=201, response={})
    out = StringIO()
    call_command("purge-jobs", "--days", "30", stdout=out)
    assert list(IdempotentCall.objects.values_list("key", flat=True)) == ["new"]
    assert "removed 1 API idempotency keys" in out.getvalue()

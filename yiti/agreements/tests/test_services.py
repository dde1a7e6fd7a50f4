"""The agreement services on plain values: the rules (by code), creation, edits and their audit trail."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from yiti.agreements import services
from yiti.agreements.models import Agreement, Evidence
from yiti.agreements.testing import make_agreement
from yiti.core.testing import county
from yiti.orgs.testing import make_enterprise, make_org

D = datetime.date


def codes(exc: ValidationError) -> dict[str, list[str]]:
    return {key: [e.code for e in errors] for key, errors in exc.error_dict.items()}


def values(**changes):
    return {"title": "液压件校企合作协议", "kind": "enterprise", "division": county(), "signed_date": D(2025, 9, 1),
            "item_count": 2, "committed_funds": Decimal("150"), "description": "", **changes}


@pytest.mark.django_db
@pytest.mark.parametrize(("given", "expected"), [
    ({"parties": ["one"]}, {"parties": ["parties"]}),
    ({"parties": []}, {"parties": ["parties"]}),
    ({"signed_date": "tomorrow"}, {"signed_date": ["future_signing"]}),
    ({"parties": [], "signed_date": "tomorrow"}, {"parties": ["parties"], "signed_date": ["future_signing"]}),
])
def test_an_agreements_own_rules_refuse_with_codes(given, expected):
    if given.get("signed_date") == "tomorrow":
        given["signed_date"] = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services.check_agreement(given)
    assert codes(caught.value) == expected


@pytest.mark.django_db
def test_two_parties_and_a_date_up_to_today_pass():
    services.check_agreement({"parties": ["a", "b"], "signed_date": timezone.localdate()})


@pytest.mark.django_db
def test_the_signing_date_cannot_move_after_a_later_rung():
    agreement = make_agreement(signed_date=D(2025, 1, 10))
    services.record_step(agreement, "started", D(2025, 2, 1), "启动会")
    with pytest.raises(ValidationError) as caught:
        services.check_agreement({"signed_date": D(2025, 3, 1)}, agreement)
    assert codes(caught.value) == {"signed_date": ["after_evidence"]}
    services.check_agreement({"signed_date": D(2025, 2, 1)}, agreement)  # the same day is allowed


@pytest.mark.django_db
def test_create_agreement_takes_plain_values_and_starts_signed(django_user_model):
    user = django_user_model.objects.create_superuser("clerk", password="Pw-123456x")
    parties = [make_org(), make_enterprise()]
    agreement = services.create_agreement(user=user, parties=parties, **values())
    assert agreement.status == "signed" and agreement.created_by == user
    assert set(agreement.parties.all()) == set(parties)
    assert list(agreement.evidence.values_list("step", "date", "recorded_by")) == [("signed", D(2025, 9, 1), user.pk)]


@pytest.mark.django_db
def test_create_agreement_refuses_one_party_and_writes_nothing():
    with pytest.raises(ValidationError) as caught:
        services.create_agreement(user=None, parties=[make_org()], **values())
    assert codes(caught.value) == {"parties": ["parties"]}
    assert not Agreement.objects.exists() and not Evidence.objects.exists()


@pytest.mark.django_db
def test_create_agreement_applies_the_models_field_rules():
    with pytest.raises(ValidationError) as caught:
        services.create_agreement(user=None, parties=[make_org(), make_enterprise()],
                                  **values(committed_funds=Decimal("-1")))
    assert "committed_funds" in caught.value.error_dict
    assert not Agreement.objects.exists()


def evidence_date_changes(evidence: Evidence) -> list:
    entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Evidence),
                                      object_pk=str(evidence.pk), action=LogEntry.Action.UPDATE)
    return [entry.changes_dict.get("date") for entry in entries]


@pytest.mark.django_db
def test_update_agreement_moves_the_signing_evidence_in_the_audit_trail():
    agreement = services.create_agreement(user=None, parties=[make_org(), make_enterprise()], **values())
    signing = agreement.evidence.get()
    services.update_agreement(agreement, **values(signed_date=D(2025, 8, 20)))
    signing.refresh_from_db()
    assert signing.date == D(2025, 8, 20)
    assert evidence_date_changes(signing) == [["2025-09-01", "2025-08-20"]]
    assert agreement.parties.count() == 2  # links not given are left as they are


@pytest.mark.django_db
def test_editing_the_signing_date_in_the_form_is_in_the_evidences_history(admin_client):
    admin_client.post(reverse("agreements:agreement_add"), {
        "title": "液压件校企合作协议", "kind": "enterprise", "parties": f"{make_org().name}\n{make_enterprise().name}",
        "signed_date": "2025-09-01", "item_count": 1})
    agreement = Agreement.objects.get()
    signing = agreement.evidence.get()
    names = "\n".join(agreement.parties.values_list("name", flat=True))
    response = admin_client.post(reverse("agreements:agreement_edit", args=[agreement.pk]), {
        "title": agreement.title, "kind": "enterprise", "parties": names, "signed_date": "2025-08-15",
        "item_count": 1})
    assert response.status_code == 302
    signing.refresh_from_db()
    assert signing.date == D(2025, 8, 15)
    assert evidence_date_changes(signing) == [["2025-09-01", "2025-08-15"]]
    entry = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(Evidence), object_pk=str(signing.pk),
                                 action=LogEntry.Action.UPDATE)
    assert entry.actor.username == "admin"


@pytest.mark.django_db
def test_the_edit_form_shows_the_services_refusal_beside_the_field(admin_client):
    agreement = make_agreement(signed_date=D(2025, 1, 10))
    services.record_step(agreement, "started", D(2025, 2, 1), "启动会")
    names = "\n".join(agreement.parties.values_list("name", flat=True))
    response = admin_client.post(reverse("agreements:agreement_edit", args=[agreement.pk]), {
        "title": agreement.title, "kind": agreement.kind, "parties": names, "signed_date": "2025-03-01",
        "item_count": 1})
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["signed_date"]] == ["after_evidence"]
    agreement.refresh_from_db()
    assert agreement.signed_date == D(2025, 1, 10)


@pytest.mark.django_db
def test_the_import_check_is_the_services_rule():
    assert services.import_check({"parties": [1, 2], "signed_date": D(2025, 1, 1)}) == {}
    refused = services.import_check({"parties": [1], "signed_date": D(2025, 1, 1)})
    assert list(refused) == ["parties"] and refused["parties"]

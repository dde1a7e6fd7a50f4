"""Edit forms show personal data masked: untouched it is kept, typed over it is replaced, and the plain
stored value never reaches the page — not even when the form is shown again with an error."""

import pytest
from django.urls import reverse

from yiti.accounts.testing import make_user
from yiti.core.registry import registries
from yiti.core.testing import form_values, valid_id_number
from yiti.talents.testing import make_talent
from yiti.tests.world import build_world

MOBILE, ID_NUMBER, EMAIL = "13912345678", valid_id_number("19790302", 456), "zhangsan@example.com"


@pytest.fixture
def talent(db):
    return make_talent(name="张三", birth_year=1979, mobile=MOBILE, id_number=ID_NUMBER, email=EMAIL)


def edit(client, obj):
    return client.get(reverse("talents:talent_edit", args=[obj.pk])).content.decode()


def post_back(client, obj, **changes):
    url = reverse("talents:talent_edit", args=[obj.pk])
    data = form_values(client.get(url).content.decode())
    data.update({k: [v] for k, v in changes.items()})
    return client.post(url, data)


@pytest.mark.parametrize("revealer", [False, True])
def test_edit_form_shows_personal_data_masked(talent, client, revealer):
    # given a user who may not reveal, and one who may (the form is masked for both)
    client.force_login(make_user("u", "staff", scope="city", may_reveal_personal_data=revealer))
    # when
    html = edit(client, talent)
    # then
    values = form_values(html)
    assert values["mobile"] == ["139****5678"] and values["id_number"] == ["1407**********" + ID_NUMBER[-4:]]
    assert values["email"] == ["z***@example.com"]
    assert MOBILE not in html and ID_NUMBER not in html and EMAIL not in html


def test_untouched_masked_values_keep_the_stored_ones(talent, admin_client):
    response = post_back(admin_client, talent, name="张三丰")
    assert response.status_code == 302
    talent.refresh_from_db()
    assert (talent.name, talent.mobile, talent.id_number, talent.email) == ("张三丰", MOBILE, ID_NUMBER, EMAIL)


def test_a_typed_value_replaces_and_an_emptied_one_clears(talent, admin_client):
    response = post_back(admin_client, talent, mobile="13800138000", email="")
    assert response.status_code == 302
    talent.refresh_from_db()
    assert (talent.mobile, talent.email, talent.id_number) == ("13800138000", "", ID_NUMBER)


def test_a_form_shown_again_with_an_error_stays_masked_and_keeps_the_value(talent, admin_client):
    # when another field is refused, the form comes back
    response = post_back(admin_client, talent, birth_year="1800")
    html = response.content.decode()
    assert response.status_code == 200 and "1800" in html
    # then the personal data is still masked, never plain, and never the masked text as a value
    assert MOBILE not in html and ID_NUMBER not in html and EMAIL not in html
    values = form_values(html)
    assert values["mobile"] == ["139****5678"]
    # and sending that page back corrected keeps the stored values
    url = reverse("talents:talent_edit", args=[talent.pk])
    values["birth_year"] = ["1979"]
    assert admin_client.post(url, values).status_code == 302
    talent.refresh_from_db()
    assert (talent.mobile, talent.id_number, talent.email) == (MOBILE, ID_NUMBER, EMAIL)


def test_a_new_value_typed_into_a_refused_form_is_shown_as_typed(talent, admin_client):
    response = post_back(admin_client, talent, mobile="13800138000", birth_year="1800")
    assert form_values(response.content.decode())["mobile"] == ["13800138000"]
    talent.refresh_from_db()
    assert talent.mobile == MOBILE  # nothing saved


def test_an_untouched_edit_writes_no_change_of_personal_data_to_the_history(talent, admin_client):
    from auditlog.models import LogEntry

    post_back(admin_client, talent, name="张三丰")
    entry = LogEntry.objects.get_for_object(talent).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert set(entry.changes_dict) == {"name"}


@pytest.mark.django_db
def test_every_registry_edit_form_masks_its_personal_data(client):
    """Generic: every sensitive field of every registry's edit form, as a county officer."""
    world = build_world()
    enterprise, need = world.a.enterprise, world.a.records["needs.need"]
    enterprise.phone = "03543012345"
    enterprise.save()
    need.phone = "13700001111"
    need.save()
    client.force_login(world.users["county_staff_a"])
    plain = {"03543012345", "13700001111", "13912345678", world.a.records["talents.talent"].id_number}
    checked = 0
    for registry in registries().values():
        obj = world.a.records[registry.model._meta.label_lower]
        html = client.get(reverse(registry.url_name("edit"), args=[obj.pk])).content.decode()
        assert not [p for p in plain if p in html], registry.model_name
        checked += "data-masked" in html
    assert checked == 3  # organisations, talents, needs


def test_a_new_record_form_has_plain_inputs_and_imports_read_the_same_columns(db, admin_user):
    from yiti.imports.columns import columns_for

    registry = registries()["talents"]
    form = registry.form(user=admin_user)
    assert "data-masked" not in str(form["mobile"])
    kinds = {c.name: c.kind for c in columns_for(registry, admin_user)}
    assert kinds["mobile"] == kinds["id_number"] == kinds["email"] == "text"


def test_the_admin_change_page_of_a_talent_is_masked_too(talent, admin_client):
    url = reverse("admin:talents_talent_change", args=[talent.pk])
    html = admin_client.get(url).content.decode()
    assert "139****5678" in html and MOBILE not in html and ID_NUMBER not in html and EMAIL not in html
    data = form_values(html)
    data["name"] = ["张三丰"]
    data.pop("_addanother", None), data.pop("_continue", None)
    assert admin_client.post(url, data).status_code == 302
    talent.refresh_from_db()
    assert (talent.name, talent.mobile, talent.id_number, talent.email) == ("张三丰", MOBILE, ID_NUMBER, EMAIL)

"""Personal data at rest: the cipher, the keyed hash, the key, the model fields, and the database itself."""

import base64
import io
import os
import shutil
import stat
import subprocess

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from yiti.core import crypto, testing
from yiti.core.fields import blind_index_for
from yiti.core.lookups import LookupField
from yiti.needs.testing import make_need
from yiti.orgs.testing import make_enterprise
from yiti.talents.models import Talent
from yiti.talents.testing import make_talent

ID_NUMBER = testing.valid_id_number("19800101", 321)
MOBILE = "13912345678"
LANDLINE = "0354-7654321"


def _key(byte: int) -> str:
    return base64.b64encode(bytes([byte]) * 32).decode()


@pytest.fixture(autouse=True)
def _fixed_key(monkeypatch):
    """Every test here runs with a known key and leaves the key cache clean for the rest of the suite."""
    monkeypatch.setenv(crypto.KEY_ENV, _key(7))
    monkeypatch.delenv(crypto.REQUIRE_ENV, raising=False)
    crypto.reset()
    yield
    crypto.reset()


# --- the cipher ------------------------------------------------------------------------------------

def test_round_trip_and_format():
    for text in (ID_NUMBER, MOBILE, "0354-1234567#12", "张三 ｆｕｌｌ", ""):
        token = crypto.encrypt(text)
        assert token.startswith("v1:") and crypto.is_ciphertext(token)
        assert crypto.decrypt(token) == text
        if text:
            assert text not in token
    nonce_ct_tag = base64.b64decode(crypto.encrypt(ID_NUMBER)[3:])
    assert len(nonce_ct_tag) == 12 + len(ID_NUMBER) + 16


def test_equal_plaintexts_get_different_ciphertexts():
    tokens = {crypto.encrypt(ID_NUMBER) for _ in range(20)}
    assert len(tokens) == 20
    assert {crypto.decrypt(t) for t in tokens} == {ID_NUMBER}


def test_tampered_ciphertext_is_refused():
    blob = bytearray(base64.b64decode(crypto.encrypt(ID_NUMBER)[3:]))
    for position in (0, 12, len(blob) // 2, len(blob) - 1):  # nonce, ciphertext, tag
        changed = bytearray(blob)
        changed[position] ^= 0x01
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt("v1:" + base64.b64encode(bytes(changed)).decode())
    for bad in ("v1:" + base64.b64encode(bytes(blob[:-1])).decode(),  # truncated
                "v1:" + base64.b64encode(bytes(blob[:20])).decode(),
                "v1:not base64!", "v9:" + base64.b64encode(bytes(blob)).decode(), ID_NUMBER, ""):
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(bad)


def test_another_key_cannot_decrypt(monkeypatch):
    token = crypto.encrypt(ID_NUMBER)
    monkeypatch.setenv(crypto.KEY_ENV, _key(8))
    crypto.reset()
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


# --- the keyed hash --------------------------------------------------------------------------------

def test_blind_index_is_equal_for_equal_normalised_values():
    full_width = ID_NUMBER.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"})
    spaced = f" {ID_NUMBER[:6]} {ID_NUMBER[6:14]}-{ID_NUMBER[14:].lower()} "
    digest = crypto.blind_index(ID_NUMBER)
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert crypto.blind_index(full_width) == crypto.blind_index(spaced) == digest
    assert crypto.blind_index(testing.valid_id_number("19800101", 322)) != digest
    assert blind_index_for("") is None and blind_index_for(None) is None and blind_index_for(" - ") is None


def test_blind_index_depends_on_the_key_and_differs_from_the_encryption_key(monkeypatch):
    digest = crypto.blind_index(MOBILE)
    assert crypto.keys().index[:16] != crypto.keys().encryption
    monkeypatch.setenv(crypto.KEY_ENV, _key(8))
    crypto.reset()
    assert crypto.blind_index(MOBILE) != digest


# --- the key ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["not base64 at all!", base64.b64encode(b"short").decode()])
def test_a_malformed_key_is_a_clear_error(monkeypatch, value):
    monkeypatch.setenv(crypto.KEY_ENV, value)
    crypto.reset()
    with pytest.raises(ImproperlyConfigured, match=crypto.KEY_ENV):
        crypto.encrypt("x")


def test_without_a_key_a_development_key_is_generated_once(monkeypatch, settings, tmp_path):
    monkeypatch.delenv(crypto.KEY_ENV)
    settings.VAR_DIR = tmp_path
    crypto.reset()
    token = crypto.encrypt(MOBILE)
    key_file = tmp_path / crypto.KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(base64.b64decode(key_file.read_text())) == 32
    crypto.reset()
    assert crypto.decrypt(token) == MOBILE  # the same key the next time


def test_production_refuses_to_run_without_a_key(monkeypatch, settings, tmp_path):
    monkeypatch.delenv(crypto.KEY_ENV)
    monkeypatch.setenv(crypto.REQUIRE_ENV, "1")
    settings.VAR_DIR = tmp_path
    crypto.reset()
    with pytest.raises(ImproperlyConfigured, match=crypto.KEY_ENV):
        crypto.encrypt(MOBILE)
    assert not (tmp_path / crypto.KEY_FILE).exists()


# --- the model fields ------------------------------------------------------------------------------

def _raw(table: str, pk: int, *columns: str) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()


@pytest.mark.django_db
def test_talent_saved_through_the_orm_is_encrypted_and_reads_back():
    talent = make_talent(id_number=ID_NUMBER, mobile=MOBILE, birth_year=1980)
    id_number, mobile, id_hash, mobile_hash = _raw("talents_talent", talent.pk, "id_number", "mobile",
                                                   "id_number_hash", "mobile_hash")
    assert id_number.startswith("v1:") and ID_NUMBER not in id_number
    assert mobile.startswith("v1:") and MOBILE not in mobile
    assert id_hash == crypto.blind_index(ID_NUMBER) and mobile_hash == crypto.blind_index(MOBILE)
    again = Talent.objects.get(pk=talent.pk)
    assert (again.id_number, again.mobile) == (ID_NUMBER, MOBILE)
    assert Talent.objects.values_list("id_number", "mobile").get(pk=talent.pk) == (ID_NUMBER, MOBILE)
    assert Talent.objects.get(id_number_hash=blind_index_for(ID_NUMBER.lower())) == talent
    # empty values stay empty (and unhashed)
    empty = make_talent()
    assert _raw("talents_talent", empty.pk, "id_number", "mobile", "id_number_hash", "mobile_hash") == (
        None, "", None, None)


@pytest.mark.django_db
def test_talent_written_with_bulk_create_is_encrypted_and_hashed():
    talents = Talent.objects.bulk_create([
        Talent(name="甲", population="local", id_number=ID_NUMBER, mobile=MOBILE),
        Talent(name="乙", population="local", id_number=None, mobile=""),
    ])
    first, second = talents
    id_number, mobile, id_hash = _raw("talents_talent", first.pk, "id_number", "mobile", "id_number_hash")
    assert id_number.startswith("v1:") and mobile.startswith("v1:") and id_hash == crypto.blind_index(ID_NUMBER)
    assert _raw("talents_talent", second.pk, "id_number_hash", "mobile_hash") == (None, None)
    assert Talent.objects.get(pk=first.pk).id_number == ID_NUMBER


@pytest.mark.django_db
def test_update_fields_also_writes_the_hash():
    talent = make_talent(mobile=MOBILE)
    talent.mobile = "13700000000"
    talent.save(update_fields=["mobile"])
    assert _raw("talents_talent", talent.pk, "mobile_hash")[0] == crypto.blind_index("13700000000")


@pytest.mark.django_db
def test_filtering_on_ciphertext_is_refused_but_isnull_works():
    talent = make_talent(id_number=ID_NUMBER, birth_year=1980)
    for lookup in ({"id_number": ID_NUMBER}, {"mobile__startswith": "139"}, {"id_number__in": [ID_NUMBER]},
                   {"mobile__lower": "x"}, {"mobile__gt": ""}):
        with pytest.raises(FieldError, match="encrypted"):
            list(Talent.objects.filter(**lookup))
    assert list(Talent.objects.filter(id_number__isnull=False)) == [talent]
    # "has no value" needs no decryption: the empty value is stored as such
    assert list(Talent.objects.filter(mobile="")) == [talent]
    assert list(Talent.objects.filter(id_number=None)) == []


@pytest.mark.django_db
def test_the_id_number_stays_unique_through_its_hash():
    make_talent(id_number=ID_NUMBER, birth_year=1980)
    duplicate = Talent(name="李四", population="local", id_number=f" {ID_NUMBER.lower()} ")
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    assert "id_number" in exc.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Talent.objects.create(name="王五", population="local", id_number=ID_NUMBER)


@pytest.mark.django_db
def test_a_duplicate_id_number_is_a_chinese_form_error(admin_client):
    existing = make_talent(id_number=ID_NUMBER, birth_year=1980)
    data = {"name": "李明", "population": "local", "division": testing.county().pk, "birth_year": 1980,
            "id_number": ID_NUMBER.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})}
    before = Talent.objects.count()
    response = admin_client.post(reverse("talents:talent_add"), data)
    assert response.status_code == 200
    assert "已存在" in " ".join(response.context["form"].errors["id_number"])
    assert Talent.objects.count() == before
    # editing the record itself keeps its own number
    edit = {**data, "name": "原记录"}
    response = admin_client.post(reverse("talents:talent_edit", args=[existing.pk]), edit)
    assert response.status_code == 302, response.context["form"].errors


@pytest.mark.django_db
def test_lookup_finds_a_talent_by_id_number_through_the_hash():
    talent = make_talent(name="赵六", id_number=ID_NUMBER, birth_year=1980)
    make_talent(name="无证号")
    field = LookupField(Talent.objects.all(), natural_keys=("name", "id_number"))
    assert field.clean(f"{ID_NUMBER[:6]} {ID_NUMBER[6:].lower()}") == talent
    assert field.clean("赵六") == talent
    for text in ("-", "110101190001010000"):
        with pytest.raises(ValidationError):
            field.clean(text)


@pytest.mark.django_db
def test_pages_show_masked_plaintext_never_ciphertext(admin_client):
    talent = make_talent(mobile="13800138000", id_number=ID_NUMBER, birth_year=1980)
    org = make_enterprise(phone=LANDLINE)
    need = make_need(enterprise=org, phone="13800138000")
    for url in (talent.get_absolute_url(), reverse("talents:talent_list"), org.get_absolute_url(),
                need.get_absolute_url()):
        html = admin_client.get(url).content.decode()
        assert "v1:" not in html, url
    assert "138****8000" in admin_client.get(reverse("talents:talent_list")).content.decode()
    assert "138****8000" in admin_client.get(talent.get_absolute_url()).content.decode()
    assert "v1:" not in admin_client.get(reverse("talents:talent_edit", args=[talent.pk])).content.decode()


# --- no plaintext anywhere in the database -----------------------------------------------------------

def _database_dump() -> str:
    if connection.vendor == "sqlite":
        # The whole database as SQL text, read through the test's own connection (the test database is
        # usually in memory, so there is no file to read).
        connection.ensure_connection()
        return "\n".join(connection.connection.iterdump())
    if connection.vendor != "postgresql":
        pytest.skip(f"no dump for {connection.vendor}")
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed: cannot check the PostgreSQL database for plaintext")
    db = connection.settings_dict
    cmd = ["pg_dump", "--data-only", "-h", db["HOST"] or "localhost", "-U", db["USER"] or "postgres", db["NAME"]]
    if db["PORT"]:
        cmd[1:1] = ["-p", str(db["PORT"])]
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    if done.returncode and "version mismatch" in done.stderr:
        pytest.skip(f"pg_dump cannot read this server: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.django_db(transaction=True)  # pg_dump sees only committed rows
def test_no_plaintext_id_or_phone_number_in_the_database(admin_client):
    talent_mobile, need_phone = "13698765432", "13587654321"
    data = {"name": "孙七", "population": "local", "division": testing.county().pk, "birth_year": 1980,
            "id_number": ID_NUMBER, "mobile": talent_mobile}
    response = admin_client.post(reverse("talents:talent_add"), data)  # the audit log records it too
    assert response.status_code == 302, response.context["form"].errors
    talent = Talent.objects.get(name="孙七")
    org = make_enterprise(phone=LANDLINE)
    need = make_need(enterprise=org, phone=need_phone)

    dump = _database_dump()
    assert talent.name in dump and "v1:" in dump  # the dump did read the rows
    for secret in (ID_NUMBER, talent_mobile, LANDLINE, need_phone):
        assert secret not in dump, f"{secret} is stored in plaintext"
    talent.refresh_from_db()
    org.refresh_from_db()
    need.refresh_from_db()
    assert (talent.id_number, talent.mobile, org.phone, need.phone) == (ID_NUMBER, talent_mobile, LANDLINE,
                                                                       need_phone)


# --- key rotation ----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_rotate_data_key_rewrites_values_and_hashes(monkeypatch):
    from django.core.management import call_command

    talent = make_talent(id_number=ID_NUMBER, mobile=MOBILE, birth_year=1980)
    need = make_need(phone=LANDLINE)
    before = _raw("talents_talent", talent.pk, "id_number", "id_number_hash")
    monkeypatch.setenv("YITI_NEW_DATA_KEY", _key(9))
    call_command("rotate-data-key", stdout=io.StringIO())
    after = _raw("talents_talent", talent.pk, "id_number", "id_number_hash")
    assert after[0] != before[0] and after[1] != before[1]
    with pytest.raises(crypto.DecryptionError):  # the old key no longer opens the data
        Talent.objects.get(pk=talent.pk)
    monkeypatch.setenv(crypto.KEY_ENV, _key(9))
    crypto.reset()
    again = Talent.objects.get(pk=talent.pk)
    assert (again.id_number, again.mobile) == (ID_NUMBER, MOBILE)
    assert after[1] == crypto.blind_index(ID_NUMBER)
    assert type(need).objects.get(pk=need.pk).phone == LANDLINE
    field = LookupField(Talent.objects.all(), natural_keys=("name", "id_number"))
    assert field.clean(ID_NUMBER) == talent


@pytest.mark.django_db
def test_rotate_data_key_needs_a_new_key_when_the_key_comes_from_the_environment():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="YITI_NEW_DATA_KEY"):
        call_command("rotate-data-key")


@pytest.mark.django_db
def test_rotate_data_key_replaces_the_development_key_file(monkeypatch, settings, tmp_path):
    from django.core.management import call_command

    monkeypatch.delenv(crypto.KEY_ENV)
    settings.VAR_DIR = tmp_path
    crypto.reset()
    talent = make_talent(mobile=MOBILE)
    old_key = (tmp_path / crypto.KEY_FILE).read_text()
    call_command("rotate-data-key", stdout=io.StringIO())
    assert (tmp_path / crypto.KEY_FILE).read_text() != old_key
    assert not (tmp_path / (crypto.KEY_FILE + ".new")).exists()
    assert Talent.objects.get(pk=talent.pk).mobile == MOBILE  # the command forgot the old key

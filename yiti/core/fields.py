"""Model fields for personal data at rest: an encrypted text column and the keyed hash that finds it.

    id_number = EncryptedCharField(_("resident ID number"), max_length=18, null=True, blank=True)
    id_number_hash = BlindIndexField(source="id_number", unique=True)

In Python the encrypted field holds plaintext (forms, validation, display, masking work unchanged);
in the database it holds "v1:..." ciphertext (yiti.core.crypto). The database cannot compare
ciphertexts, so every lookup raises except `isnull` and "is empty" (`field=""`): filter on the blind
index instead, e.g. `Talent.objects.filter(id_number_hash=blind_index_for(number))`.

The blind index is computed in `pre_save`, which `save()` and `bulk_create()` both call.
`QuerySet.update()` and `bulk_update()` do not: recompute it there (`blind_index_for`).
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact

from yiti.core import crypto


class EncryptedCharField(models.CharField):
    """A short text (ID number, phone) stored encrypted. `max_length` limits the plaintext."""

    allowed_lookups = frozenset({"isnull", "exact"})  # exact: only "is empty" (EmptyOnlyExact)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        for option in ("unique", "db_index", "primary_key"):
            if kwargs.get(option):
                raise TypeError(f"EncryptedCharField cannot be {option}: the ciphertext differs every time; "
                                "put the constraint on a BlindIndexField")
        super().__init__(*args, **kwargs)

    def get_internal_type(self) -> str:
        return "TextField"  # the ciphertext is longer than max_length

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value  # "no value" stays visible as such: it tells nothing about a person
        return crypto.encrypt(value)

    def _refuse(self, name: str) -> FieldError:
        where = f"{self.model.__name__}.{self.name}" if hasattr(self, "model") else self.name
        return FieldError(f"{where} is encrypted, so the database cannot compare it ('{name}' lookup). "
                          "Filter on its BlindIndexField (exact match) instead.")

    def get_lookup(self, lookup_name: str):
        if lookup_name == "exact":
            return EmptyOnlyExact
        if lookup_name in self.allowed_lookups:
            return super().get_lookup(lookup_name)
        raise self._refuse(lookup_name)

    def get_transform(self, lookup_name: str):
        raise self._refuse(lookup_name)


class EmptyOnlyExact(Exact):
    """`field=""` (no value) and `field=None` work on an encrypted field; any other value is refused."""

    def get_prep_lookup(self):
        if self.rhs is None or self.rhs == "":
            return self.rhs
        raise self.lhs.output_field._refuse("exact")


class BlindIndexField(models.CharField):
    """HMAC (hex) of another field's normalised value, set on every save; None when that value is empty."""

    def __init__(self, *args: Any, source: str, **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor == "postgresql":
            # Fixed-width hex. Not varchar, so PostgreSQL adds no LIKE index that no query would use; spelt
            # bpchar, not char: bulk_create casts to the type name without its length, and char[] is char(1)[].
            return f"bpchar({self.max_length})"
        return super().db_type(connection)

    def pre_save(self, model_instance: models.Model, add: bool) -> str | None:
        digest = blind_index_for(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, digest)
        return digest


def blind_index_for(value: str | None, key: crypto.Keys | None = None) -> str | None:
    """The blind index stored for `value` (None for an empty value)."""
    if value is None or not crypto.normalise(str(value)):
        return None
    return crypto.blind_index(str(value), key)


def blind_index_field(model: type[models.Model], name: str) -> str | None:
    """The name of the BlindIndexField that indexes field `name` of `model`, if there is one."""
    for field in model._meta.concrete_fields:
        if isinstance(field, BlindIndexField) and field.source == name:
            return field.name
    return None


def with_blind_indexes(model: type[models.Model], update_fields: Iterable[str] | None) -> set[str] | None:
    """`save(update_fields=...)` that names an indexed field must also write its index."""
    if update_fields is None:
        return None
    names = set(update_fields)
    for field in model._meta.concrete_fields:
        if isinstance(field, BlindIndexField) and field.source in names:
            names.add(field.name)
    return names

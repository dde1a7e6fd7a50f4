"""Re-encrypt all personal data and recompute its keyed hashes under a new data key.

    YITI_NEW_DATA_KEY=<base64 of 32 bytes> yiti rotate-data-key

The current key (YITI_DATA_KEY, or the development key file) reads; the new key writes. Run it with the
application stopped, then set YITI_DATA_KEY to the new key and start again. Without YITI_DATA_KEY (the
development key file) a new key is generated when none is given and the file is replaced: the new key
is written next to it first, so a crash never leaves data that no key file opens.
"""

import os

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from yiti.core import crypto
from yiti.core.fields import BlindIndexField, EncryptedCharField, blind_index_for

NEW_KEY_ENV = "YITI_NEW_DATA_KEY"
BATCH = 2000


def protected_models():
    """(model, encrypted fields, blind-index fields) of every model that holds encrypted data."""
    for model in apps.get_models():
        fields = model._meta.concrete_fields
        encrypted = [f for f in fields if isinstance(f, EncryptedCharField)]
        if encrypted:
            yield model, encrypted, [f for f in fields if isinstance(f, BlindIndexField)]


def rotate(new: crypto.Keys) -> dict[str, int]:
    """Rewrite every encrypted value and blind index with `new`; returns rows rewritten per model."""
    counts = {}
    qn = connection.ops.quote_name
    for model, encrypted, indexes in protected_models():
        columns = [f.column for f in encrypted] + [f.column for f in indexes]
        sql = (f"UPDATE {qn(model._meta.db_table)} SET {', '.join(f'{qn(c)} = %s' for c in columns)} "
               f"WHERE {qn(model._meta.pk.column)} = %s")
        names = [f.attname for f in encrypted]
        sources = [model._meta.get_field(f.source).attname for f in indexes]
        fetched = list(dict.fromkeys([*names, *sources]))
        last, done = None, 0
        while True:
            rows = model._base_manager.order_by("pk")
            if last is not None:
                rows = rows.filter(pk__gt=last)
            batch = list(rows.values_list("pk", *fetched)[:BATCH])  # decrypted with the current key
            if not batch:
                break
            params = []
            for pk, *values in batch:
                plain = dict(zip(fetched, values, strict=True))
                params.append([
                    *[crypto.encrypt(plain[n], new) if plain[n] else plain[n] for n in names],
                    *[blind_index_for(plain[s], new) for s in sources],
                    pk,
                ])
            with connection.cursor() as cursor:
                cursor.executemany(sql, params)
            done += len(batch)
            last = batch[-1][0]
        counts[model._meta.label] = done
    return counts


class Command(BaseCommand):
    help = ("Re-encrypt ID and phone numbers and recompute their hashes under the key in YITI_NEW_DATA_KEY "
            "(docs/personal-data.md). Stop the application first.")

    def handle(self, **options):
        from_file = not crypto.key_from_environment()
        new_key = os.environ.get(NEW_KEY_ENV, "").strip()
        if not new_key:
            if not from_file:
                raise CommandError(f"Set {NEW_KEY_ENV} to the new key (base64 of 32 bytes).")
            new_key = crypto.new_master_key()
        try:
            crypto.keys()  # the current key must load before anything is written
            new = crypto.keys_from(new_key)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        pending = crypto.key_file().with_name(crypto.KEY_FILE + ".new")
        if from_file:
            crypto.write_key_file(pending, new_key, replace=True)
        with transaction.atomic():
            counts = rotate(new)
        for label, n in counts.items():
            self.stdout.write(f"{label}: {n} rows re-encrypted")
        if from_file:
            crypto.write_key_file(crypto.key_file(), new_key, replace=True)
            pending.unlink(missing_ok=True)
            self.stdout.write(f"The new key is in {crypto.key_file()}.")
        else:
            self.stdout.write(f"Done. Now set YITI_DATA_KEY to the value of {NEW_KEY_ENV} and restart.")
        crypto.reset()

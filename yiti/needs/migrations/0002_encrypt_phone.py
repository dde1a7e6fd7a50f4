"""Encrypt the contact phone at rest: a plain text column, every existing value encrypted, then the
encrypted field. Reversible: going back decrypts the values."""

from django.db import migrations, models

import yiti.core.fields

BATCH = 2000


def _rows(Model):
    last = 0
    while True:
        rows = list(Model.objects.filter(pk__gt=last).order_by("pk").only("pk", "phone")[:BATCH])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def encrypt_rows(apps, schema_editor):
    from yiti.core import crypto

    Model = apps.get_model("needs", "Need")
    for rows in _rows(Model):
        changed = [row for row in rows if row.phone and not crypto.is_ciphertext(row.phone)]
        for row in changed:
            row.phone = crypto.encrypt(row.phone)
        Model.objects.bulk_update(changed, ["phone"])


def decrypt_rows(apps, schema_editor):
    from yiti.core import crypto

    Model = apps.get_model("needs", "Need")
    for rows in _rows(Model):
        changed = [row for row in rows if row.phone and crypto.is_ciphertext(row.phone)]
        for row in changed:
            row.phone = crypto.decrypt(row.phone)
        Model.objects.bulk_update(changed, ["phone"])


class Migration(migrations.Migration):

    dependencies = [
        ("needs", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="need",
            name="phone",
            field=models.TextField(blank=True, verbose_name="contact phone"),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows, elidable=False),
        migrations.AlterField(
            model_name="need",
            name="phone",
            field=yiti.core.fields.EncryptedCharField(blank=True, max_length=20, verbose_name="contact phone"),
        ),
    ]

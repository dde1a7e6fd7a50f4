"""Encrypt ID and mobile numbers at rest; the unique constraint moves to the ID number's keyed hash.

Steps: add the hash columns, turn the plaintext columns into plain text columns, encrypt every
existing value and fill its hash (RunPython, in batches), then declare the encrypted fields and the
unique hash. Reversible: going back decrypts the values into the old columns.
"""

from django.db import migrations, models

import yiti.core.fields
from yiti.core.migration_ops import batches


def encrypt_rows(apps, schema_editor):
    from yiti.core import crypto
    from yiti.core.fields import blind_index_for

    Talent = apps.get_model("talents", "Talent")
    for rows in batches(Talent, ["id_number", "mobile"]):
        for row in rows:
            for name in ("id_number", "mobile"):
                value = getattr(row, name)
                if value and crypto.is_ciphertext(value):  # already done by an interrupted earlier run
                    value = crypto.decrypt(value)
                setattr(row, f"{name}_hash", blind_index_for(value))
                setattr(row, name, crypto.encrypt(value) if value else value)
        Talent.objects.bulk_update(rows, ["id_number", "mobile", "id_number_hash", "mobile_hash"])


def decrypt_rows(apps, schema_editor):
    from yiti.core import crypto

    Talent = apps.get_model("talents", "Talent")
    for rows in batches(Talent, ["id_number", "mobile"]):
        for row in rows:
            for name in ("id_number", "mobile"):
                value = getattr(row, name)
                if value and crypto.is_ciphertext(value):
                    setattr(row, name, crypto.decrypt(value))
        Talent.objects.bulk_update(rows, ["id_number", "mobile"])


class Migration(migrations.Migration):

    dependencies = [
        ("talents", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="talent",
            name="id_number_hash",
            field=yiti.core.fields.BlindIndexField(blank=True, editable=False, max_length=64, null=True,
                                                   source="id_number"),
        ),
        migrations.AddField(
            model_name="talent",
            name="mobile_hash",
            field=yiti.core.fields.BlindIndexField(blank=True, db_index=True, editable=False, max_length=64,
                                                   null=True, source="mobile"),
        ),
        migrations.AlterField(
            model_name="talent",
            name="id_number",
            field=models.TextField(blank=True, null=True, verbose_name="resident ID number"),
        ),
        migrations.AlterField(
            model_name="talent",
            name="mobile",
            field=models.TextField(blank=True, verbose_name="mobile number"),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows, elidable=False),
        migrations.AlterField(
            model_name="talent",
            name="id_number",
            field=yiti.core.fields.EncryptedCharField(blank=True, max_length=18, null=True,
                                                      verbose_name="resident ID number"),
        ),
        migrations.AlterField(
            model_name="talent",
            name="mobile",
            field=yiti.core.fields.EncryptedCharField(blank=True, max_length=11, verbose_name="mobile number"),
        ),
        migrations.AlterField(
            model_name="talent",
            name="id_number_hash",
            field=yiti.core.fields.BlindIndexField(blank=True, editable=False, max_length=64, null=True,
                                                   source="id_number", unique=True),
        ),
    ]

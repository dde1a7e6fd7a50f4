"""Encrypt the contact phone at rest: a plain text column, every existing value encrypted, then the
encrypted field. Reversible: going back decrypts the values."""

from django.db import migrations, models

import yiti.core.fields
from yiti.core.migration_ops import encrypt_columns

encrypt_rows, decrypt_rows = encrypt_columns("needs", "Need", ["phone"])


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

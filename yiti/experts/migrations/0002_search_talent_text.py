"""Expert roles' search text now holds their talent's name, expertise and position: fill it for existing rows."""

from django.db import migrations

from yiti.core.migration_ops import batches


def fill(apps, schema_editor):
    from yiti.core.search import tokens

    ExpertRole = apps.get_model("experts", "ExpertRole")
    for rows in batches(ExpertRole, ["notes", "talent_id"]):
        talents = {
            t.pk: t for t in apps.get_model("talents", "Talent").objects.filter(pk__in=[r.talent_id for r in rows])
        }
        for row in rows:
            talent = talents.get(row.talent_id)
            parts = [row.notes or ""] + ([talent.name, talent.expertise, talent.position] if talent else [])
            row.search_text = " ".join(tokens(" ".join(parts)))
        ExpertRole.objects.bulk_update(rows, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("experts", "0001_initial"), ("talents", "0002_encrypt_personal_data")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=False)]

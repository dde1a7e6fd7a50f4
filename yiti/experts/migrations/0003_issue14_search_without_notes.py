"""Expert roles' search text no longer holds their notes (issue 14: experts are in the city-wide pool, and the
notes are not part of the public profile): rebuild it for existing rows from the talent's name, expertise and
position."""

from django.db import migrations

from yiti.core.migration_ops import batches


def rebuild(apps, schema_editor):
    from yiti.core.search import tokens

    ExpertRole = apps.get_model("experts", "ExpertRole")
    for rows in batches(ExpertRole, ["talent_id"]):
        talents = {
            t.pk: t for t in apps.get_model("talents", "Talent").objects.filter(pk__in=[r.talent_id for r in rows])
        }
        for row in rows:
            talent = talents.get(row.talent_id)
            parts = [talent.name, talent.expertise, talent.position] if talent else []
            row.search_text = " ".join(tokens(" ".join(parts)))
        ExpertRole.objects.bulk_update(rows, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("experts", "0002_search_talent_text"), ("talents", "0004_issue14_pool_flags")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=False)]

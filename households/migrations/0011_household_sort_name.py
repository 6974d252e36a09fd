"""The household list's sort key (issue 20): names without accents or case, so that "Élodie" sorts
with the E's under the database's byte collation, and an index (sort_name, id) for keyset pages.

The key is filled in batches of primary keys before the index is built (building it once over the
filled column is faster than maintaining it row by row): about a minute per million households."""

from django.db import migrations, models

BATCH = 5000


def fill_sort_names(apps, schema_editor):
    # The rule of Household.refresh_search_text as it stood when the column was added.
    from zel.lib.text import normalize

    Household = apps.get_model("households", "Household")
    last = 0
    while True:
        rows = list(Household.objects.filter(pk__gt=last).order_by("pk")
                    .only("pk", "last_name", "first_name")[:BATCH])
        if not rows:
            return
        for row in rows:
            row.sort_name = f"{normalize(row.last_name)} {normalize(row.first_name)}"[:161]
        Household.objects.bulk_update(rows, ["sort_name"], batch_size=1000)
        last = rows[-1].pk


class Migration(migrations.Migration):

    dependencies = [
        ('households', '0010_birth_date_label'),
    ]

    operations = [
        migrations.AddField(
            model_name='household',
            name='sort_name',
            field=models.CharField(default='', editable=False, max_length=161),
        ),
        migrations.RunPython(fill_sort_names, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name='household',
            index=models.Index(fields=['sort_name', 'id'], name='household_sort_name'),
        ),
    ]

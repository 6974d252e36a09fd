"""Name search at scale: a trigram GIN index on the normalised search column (PostgreSQL only).

`search_households` filters with `search_text LIKE '%word%'` on a column already lower-cased and
stripped of accents in Python (zel.lib.text.normalize), so neither `unaccent` nor a functional index
is needed: a plain `gin_trgm_ops` index serves LIKE '%…%' directly. SQLite (development) has no
such index and the migration does nothing there.
"""

from django.db import migrations

INDEX = "households_household_search_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON households_household USING gin (search_text gin_trgm_ops)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [("households", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]

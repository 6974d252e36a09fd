"""A worker's assigned households in household order: every caseload (dashboard, lists, panels) is
`household_id IN (SELECT household_id … WHERE user_id = …)`, which PostgreSQL answers by a merge on
household_id. The table Django creates for the many-to-many field has an index on each column
alone, so that merge read every assignment and dropped the other workers' ones (53 000 rows for one
count at 10⁶). A (user_id, household_id) index reads only this worker's, already in order."""

from django.db import migrations

TABLE = "households_household_assigned_workers"
INDEX = "household_assignment_by_worker"


class Migration(migrations.Migration):
    dependencies = [("households", "0011_household_sort_name")]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {TABLE} (user_id, household_id)",
                          f"DROP INDEX IF EXISTS {INDEX}"),
    ]

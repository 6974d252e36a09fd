from django.db import migrations

from accounts.reference import ensure_reference_data


def create(apps, schema_editor):
    ensure_reference_data(apps.get_model("accounts", "Role"), apps.get_model("accounts", "Territory"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

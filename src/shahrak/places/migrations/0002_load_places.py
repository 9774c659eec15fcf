from django.db import migrations

from shahrak.places.registry import load_places


def forwards(apps, schema_editor):
    load_places(apps.get_model("places", "Province"), apps.get_model("places", "County"))


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

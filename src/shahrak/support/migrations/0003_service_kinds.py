"""The first kinds of service units are given (the administrators extend the list)."""

from django.db import migrations

from shahrak.support.choices import FIRST_SERVICE_KINDS as KINDS


def add(apps, schema_editor):
    ServiceKind = apps.get_model("support", "ServiceKind")
    for position, (code, name, clinic) in enumerate(KINDS, start=1):
        ServiceKind.objects.get_or_create(
            code=code, defaults={"name": name, "mobile_clinic": clinic, "position": position * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("support", "0002_exhibitions_services")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]

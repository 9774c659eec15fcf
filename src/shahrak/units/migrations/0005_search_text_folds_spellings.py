from django.db import migrations

from shahrak.core.text import search_key


def refold(apps, schema_editor):
    """Search keys now fold آ into ا, ئ into ی, ۀ into ه and drop ء: rebuild the stored ones
    (a key of a key is the key of the text it was made from)."""
    model = apps.get_model("units", "Unit")
    changed = []
    for record in model.objects.only("pk", "search_text").iterator(chunk_size=2000):
        key = search_key(record.search_text)
        if key != record.search_text:
            record.search_text = key
            changed.append(record)
    model.objects.bulk_update(changed, ["search_text"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("units", "0004_idle_reasons_for_revival")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]

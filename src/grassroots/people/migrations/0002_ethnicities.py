from django.db import migrations

from grassroots.people.data.ethnicities import ETHNICITIES


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    Ethnicity = apps.get_model("people", "Ethnicity")
    Ethnicity.objects.bulk_create([Ethnicity(code=code, name=name) for code, name in ETHNICITIES])


def unload(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("people", "Ethnicity").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]

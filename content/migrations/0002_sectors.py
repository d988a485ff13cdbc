from django.db import migrations


def load_sectors(apps, schema_editor):
    Sector = apps.get_model("content", "Sector")
    Sector.objects.update_or_create(slug="almen-praksis", defaults={"name": "Almen praksis"})
    Sector.objects.update_or_create(slug="sygehus", defaults={"name": "Sygehus"})


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial")]

    operations = [migrations.RunPython(load_sectors, migrations.RunPython.noop)]

from django.db import migrations


def load_specialties(apps, schema_editor):
    from portal.accounts.specialties import SPECIALTIES

    Specialty = apps.get_model("accounts", "Specialty")
    for slug, name, group, focused_stay in SPECIALTIES:
        Specialty.objects.update_or_create(
            slug=slug, defaults={"name": name, "group": group, "focused_stay": focused_stay}
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(load_specialties, migrations.RunPython.noop)]

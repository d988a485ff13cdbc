"""The site's moderation workflow and its step named in Danish.

Wagtail names them "Moderators approval" in its own migration; the name is data, not a
translatable string, and reads in the editor's button ("Send til …") and e-mails. Only the
untouched default name is changed: a name an administrator chose stays.
"""

from django.db import migrations

OLD = "Moderators approval"
NEW = "Godkendelse hos en anden redaktør"


def rename(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=OLD).update(name=NEW)
    apps.get_model("wagtailcore", "Task").objects.filter(name=OLD).update(name=NEW)


def rename_back(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=NEW).update(name=OLD)
    apps.get_model("wagtailcore", "Task").objects.filter(name=NEW).update(name=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0005_information_page"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]

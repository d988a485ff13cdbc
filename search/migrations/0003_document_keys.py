"""One row per document instead of one per page: FAQ items are documents of their own.

The primary key changes from the page to a row id (the FTS5 rowid on SQLite),
with a unique ``key`` and the page as a plain foreign key; the facet values
get a narrow table of their own for counting. The index holds
derived data only, so the table is recreated rather than converted: run
``manage.py search_reindex --database-only`` after migrating an existing site.
"""

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

fulltext = importlib.import_module("search.migrations.0002_fulltext")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_fulltext"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(fulltext.drop, fulltext.create),
        migrations.DeleteModel(name="SearchDocument"),
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("key", models.CharField(max_length=200, unique=True)),
                (
                    "page",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.WAGTAIL_PAGE_MODEL,
                    ),
                ),
                ("page_type", models.CharField(db_index=True, max_length=40, verbose_name="type")),
                ("title", models.CharField(max_length=255, verbose_name="title")),
                ("url", models.CharField(max_length=500, verbose_name="URL")),
                ("summary", models.TextField(blank=True, verbose_name="summary")),
                ("body", models.TextField(blank=True, verbose_name="body")),
                ("body_general_practice", models.TextField(blank=True, verbose_name="general practice")),
                ("body_hospital", models.TextField(blank=True, verbose_name="hospital")),
                ("sector_slugs", models.CharField(blank=True, max_length=500)),
                ("specialty_slugs", models.CharField(blank=True, max_length=2000)),
                ("topic_slugs", models.CharField(blank=True, max_length=2000)),
                ("last_published_at", models.DateTimeField(blank=True, null=True)),
                ("next_review", models.DateField(blank=True, null=True)),
            ],
            options={
                "verbose_name": "search document",
                "verbose_name_plural": "search documents",
            },
        ),
        migrations.CreateModel(
            name="SearchDocumentFacets",
            fields=[
                (
                    "document",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="search.searchdocument",
                    ),
                ),
                ("facets", models.CharField(max_length=4600)),
            ],
            options={
                "verbose_name": "search document facets",
                "verbose_name_plural": "search document facets",
            },
        ),
        migrations.RunPython(fulltext.create, fulltext.drop),
    ]

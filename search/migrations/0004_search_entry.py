"""The narrow search entry: on PostgreSQL the vectors move beside the facets.

A search on PostgreSQL read every match's wide document row (bodies and all,
130 MB at 50,000 documents) to rank it; now it reads ``search_searchentry``
only: ``search_vector`` (all text, GIN) finds the matches through its index,
and ``rank_vector`` (title, topics and summary: weights A-C of the same vector,
GIN) ranks the few that mention the words there. Existing rows are carried
over, so search keeps working; ``search_reindex`` then rebuilds the vectors with
the Python analysis the queries use (README).
"""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE search_searchentry ADD COLUMN IF NOT EXISTS search_vector tsvector,"
            " ADD COLUMN IF NOT EXISTS rank_vector tsvector"
        )
        # When a row outgrows PostgreSQL's 2 kB TOAST threshold (long documents), the full
        # vector is the one to leave it, uncompressed; ranking reads only the rank vector
        # and counting only the facets, which stay in the row.
        cursor.execute("ALTER TABLE search_searchentry ALTER COLUMN search_vector SET STORAGE EXTERNAL")
        cursor.execute("ALTER TABLE search_searchentry ALTER COLUMN rank_vector SET STORAGE MAIN")
        cursor.execute("ALTER TABLE search_searchentry ALTER COLUMN facets SET STORAGE MAIN")
        cursor.execute(
            "UPDATE search_searchentry e SET search_vector = d.search_vector,"
            " rank_vector = ts_filter(d.search_vector, '{a,b,c}')"
            " FROM search_searchdocument d WHERE d.id = e.document_id"
        )
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS search_searchentry_vector ON search_searchentry USING gin (search_vector)"
        )
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS search_searchentry_rank ON search_searchentry USING gin (rank_vector)"
        )
        cursor.execute("DROP INDEX IF EXISTS search_searchdocument_vector")
        cursor.execute("ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("ALTER TABLE search_searchdocument ADD COLUMN IF NOT EXISTS search_vector tsvector")
        cursor.execute(
            "UPDATE search_searchdocument d SET search_vector = e.search_vector"
            " FROM search_searchentry e WHERE d.id = e.document_id"
        )
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS search_searchdocument_vector"
            " ON search_searchdocument USING gin (search_vector)"
        )
        cursor.execute("ALTER TABLE search_searchentry DROP COLUMN IF EXISTS search_vector")
        cursor.execute("ALTER TABLE search_searchentry DROP COLUMN IF EXISTS rank_vector")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_document_keys")]

    operations = [
        migrations.RenameModel(old_name="SearchDocumentFacets", new_name="SearchEntry"),
        migrations.AlterModelOptions(
            name="searchentry",
            options={"verbose_name": "search entry", "verbose_name_plural": "search entries"},
        ),
        migrations.RunPython(forward, backward),
    ]

"""The full-text half of the database index, which the ORM cannot declare.

SQLite: an FTS5 table of Python-stemmed text (``unicode61`` with
``remove_diacritics 0``, so that æ, ø and å stay letters of their own).
PostgreSQL: a weighted ``tsvector`` column with a GIN index, and pg_trgm for
typo suggestions when the extension can be created (it is "trusted" from
PostgreSQL 13, so a database owner may); without it suggestions use Python.
"""

from django.db import migrations

FTS_COLUMNS = "title, topics, summary, body"


def create(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5({FTS_COLUMNS}, "
                "tokenize = 'unicode61 remove_diacritics 0', prefix = '3')"
            )
        elif connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE search_searchdocument ADD COLUMN IF NOT EXISTS search_vector tsvector")
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS search_searchdocument_vector "
                "ON search_searchdocument USING gin (search_vector)"
            )
            cursor.execute("SAVEPOINT search_trgm")
            try:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                cursor.execute(
                    "CREATE INDEX IF NOT EXISTS search_indexedword_trgm "
                    "ON search_indexedword USING gin (word gin_trgm_ops)"
                )
                cursor.execute("RELEASE SAVEPOINT search_trgm")
            except Exception:  # noqa: BLE001 - no pg_trgm: suggestions fall back to Python
                cursor.execute("ROLLBACK TO SAVEPOINT search_trgm")


def drop(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TABLE IF EXISTS search_fts")
        elif connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS search_indexedword_trgm")
            cursor.execute("ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]

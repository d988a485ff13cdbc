"""On PostgreSQL, refuse UPDATE and DELETE of access log rows in the database itself.

The ORM already refuses (see portal.audit.models); this also stops raw SQL and
any other client. A DELETE is let through only in a transaction that has run
``SELECT set_config('samspil.audit_purge', 'on', true)``, which only
``manage.py purge_access_log`` does; UPDATE is never let through. SQLite has
no such guard: it is for development only.
"""

from django.db import migrations

# One statement per execute(), with params=None, so that the driver neither
# refuses several commands at once nor reads the "%" of RAISE as a placeholder.
CREATE = [
    """
CREATE OR REPLACE FUNCTION audit_accesslogentry_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('samspil.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_accesslogentry is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$
""",
    """
CREATE TRIGGER audit_accesslogentry_append_only
    BEFORE UPDATE OR DELETE ON audit_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION audit_accesslogentry_append_only()
""",
]

DROP = [
    "DROP TRIGGER IF EXISTS audit_accesslogentry_append_only ON audit_accesslogentry",
    "DROP FUNCTION IF EXISTS audit_accesslogentry_append_only()",
]


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger, elidable=False)]

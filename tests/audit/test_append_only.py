"""The access log is append-only: through the ORM everywhere, and in PostgreSQL itself."""

import datetime
import io
import os

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from portal.audit.models import AccessLogEntry, AccessLogIsAppendOnly

from .factories import AccessLogEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        reason = (
            "the database-level guard is a PostgreSQL trigger; set DATABASE_URL=postgres://... to run this"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must run on PostgreSQL: {reason}")
        pytest.skip(reason)


def raw(*statements: str, params=()):
    """Run raw SQL in a savepoint, so that a refused statement leaves the test's transaction usable."""
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, params)


def test_an_entry_cannot_be_changed_or_deleted_through_the_orm():
    entry = AccessLogEntryFactory()
    entry.purpose = "Noget andet"
    with pytest.raises(AccessLogIsAppendOnly):
        entry.save()
    with pytest.raises(AccessLogIsAppendOnly):
        entry.save(update_fields=["purpose"])
    with pytest.raises(AccessLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AccessLogIsAppendOnly):
        AccessLogEntry.objects.filter(pk=entry.pk).update(purpose="Noget andet")
    with pytest.raises(AccessLogIsAppendOnly):
        AccessLogEntry.objects.all().delete()
    # bulk_update runs in an atomic block without a savepoint: give it one here.
    with pytest.raises(AccessLogIsAppendOnly), transaction.atomic():
        AccessLogEntry.objects.bulk_update([entry], ["purpose"])
    assert AccessLogEntry.objects.get().purpose == "Behandling"


def test_an_explicit_primary_key_cannot_overwrite_an_entry():
    entry = AccessLogEntryFactory()
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry(
            pk=entry.pk, actor_name="X", patient_index=entry.patient_index, action="view", purpose="X"
        ).save()
    assert AccessLogEntry.objects.get().actor_name == "System"


def test_newest_first():
    old = AccessLogEntryFactory(at=timezone.now() - datetime.timedelta(days=1))
    new = AccessLogEntryFactory()
    assert list(AccessLogEntry.objects.all()) == [new, old]


def test_raw_sql_update_and_delete_fail_on_postgresql(postgresql):
    entry = AccessLogEntryFactory()
    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE audit_accesslogentry SET purpose = 'Noget andet' WHERE id = %s", params=[entry.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM audit_accesslogentry WHERE id = %s", params=[entry.pk])
    # The purge flag opens DELETE only, never UPDATE.
    with pytest.raises(DatabaseError, match="append-only"):
        raw(
            "SELECT set_config('samspil.audit_purge', 'on', true)",
            "UPDATE audit_accesslogentry SET purpose = 'Noget andet'",
        )
    assert AccessLogEntry.objects.get().purpose == "Behandling"


def test_the_purge_flag_opens_delete_on_postgresql(postgresql):
    AccessLogEntryFactory()
    raw("SELECT set_config('samspil.audit_purge', 'on', true)", "DELETE FROM audit_accesslogentry")
    assert AccessLogEntry.objects.count() == 0


def make_old_and_new(retention_days: int):
    now = timezone.now()
    old = [AccessLogEntryFactory(at=now - datetime.timedelta(days=retention_days + 1 + n)) for n in range(3)]
    new = [
        AccessLogEntryFactory(at=now - datetime.timedelta(days=retention_days - 1)),
        AccessLogEntryFactory(),
    ]
    return old, new


def test_purge_deletes_only_entries_older_than_the_retention(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    _old, new = make_old_and_new(30)

    out = io.StringIO()
    call_command("purge_access_log", "--dry-run", stdout=out)
    assert "3" in out.getvalue()
    assert AccessLogEntry.objects.count() == 5

    out = io.StringIO()
    call_command("purge_access_log", stdout=out)
    assert "Slettede 3" in out.getvalue()
    assert set(AccessLogEntry.objects.all()) == set(new)


def test_the_retention_defaults_to_five_years():
    from django.conf import settings

    assert settings.AUDIT_RETENTION_DAYS == 5 * 365


def test_purge_works_under_the_postgresql_trigger_and_closes_the_door_behind_it(postgresql, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    make_old_and_new(30)
    call_command("purge_access_log", stdout=io.StringIO())
    assert AccessLogEntry.objects.count() == 2
    # The flag was transaction-local and switched off again: deleting is refused once more.
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM audit_accesslogentry")
    assert AccessLogEntry.objects.count() == 2

"""The calendar links of bookings and drop-in hours moved into accounts.CalendarFeedToken: the
migration carries every existing secret over unchanged (subscribed calendars keep working),
each under its own feed, and back again when reversed."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("accounts", "0003_user_informational_emails"),
    ("bookings", "0001_initial"),
    ("conferences", "0004_conference_requester_idx"),
]
AFTER = [
    ("accounts", "0004_calendar_feed_token"),
    ("bookings", "0003_delete_calendartoken"),
    ("conferences", "0005_delete_calendarfeedtoken"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _migrate_to_latest():
    """Every app forward again: going back to BEFORE also unapplied the migrations that depend
    on those (other apps' too), which AFTER alone would leave out for the tests that follow."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


# Serialized rollback, as every transactional test here: a bare flush re-creates the content
# types under new ids and breaks the next test that restores the migrated data.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_tokens_are_carried_over_and_back():
    try:
        old_apps = _migrate(BEFORE)
        user_model = old_apps.get_model("accounts", "User")
        anna = user_model.objects.create(email="anna@example.dk")
        bo = user_model.objects.create(email="bo@example.dk")
        old_apps.get_model("bookings", "CalendarToken").objects.create(user=anna, token="booking-secret")
        old_apps.get_model("conferences", "CalendarFeedToken").objects.create(
            user=anna, token="drop-in-secret"
        )
        old_apps.get_model("conferences", "CalendarFeedToken").objects.create(user=bo, token="bo-secret")
        new_apps = _migrate(AFTER)
        moved = set(
            new_apps.get_model("accounts", "CalendarFeedToken").objects.values_list(
                "user_id", "feed", "token"
            )
        )
        assert moved == {
            (anna.pk, "bookings", "booking-secret"),
            (anna.pk, "drop_in", "drop-in-secret"),
            (bo.pk, "drop_in", "bo-secret"),
        }
        back_apps = _migrate(BEFORE)
        assert set(
            back_apps.get_model("conferences", "CalendarFeedToken").objects.values_list("token", flat=True)
        ) == {
            "drop-in-secret",
            "bo-secret",
        }
        assert list(
            back_apps.get_model("bookings", "CalendarToken").objects.values_list("token", flat=True)
        ) == ["booking-secret"]
    finally:
        _migrate_to_latest()

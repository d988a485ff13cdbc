"""Administrators configure reply deadlines and the responsible person in the Wagtail admin."""

from datetime import UTC, datetime

import pytest

from portal.correspondence.models import InboxSettings, SpecialtyDeadline
from tests.accounts.factories import UserFactory
from tests.accounts.login import verified_login
from tests.correspondence.factories import open_thread, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    verified_login(client, UserFactory(is_superuser=True, is_staff=True))
    return client


TUESDAY = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/snippets/correspondence/inboxsettings/",
        "/admin/snippets/correspondence/inboxsettings/add/",
        "/admin/snippets/correspondence/specialtydeadline/",
        "/admin/snippets/correspondence/specialtydeadline/add/",
    ],
)
def test_the_settings_pages_render(admin_client, url):
    assert admin_client.get(url).status_code == 200


def test_a_deadline_set_in_the_admin_governs_new_threads(admin_client):
    w = world()
    response = admin_client.post(
        "/admin/snippets/correspondence/inboxsettings/add/",
        {
            "organisation": w.department.pk,
            "responsible": w.specialist.pk,
            "reply_working_days": "1",
            "shared_with_members": "on",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert InboxSettings.objects.get(organisation=w.department).responsible == w.specialist
    thread = open_thread(w, now=TUESDAY)
    assert thread.due_at == datetime(2026, 11, 25, 9, 15, tzinfo=UTC)


def test_a_deadline_outside_one_to_thirty_working_days_is_refused(admin_client):
    w = world()
    response = admin_client.post(
        "/admin/snippets/correspondence/specialtydeadline/add/",
        {"specialty": w.department.specialty_id, "reply_working_days": "0"},
    )
    assert response.status_code == 200  # the form again, with the error
    assert not SpecialtyDeadline.objects.exists()


def test_threads_are_not_in_the_admin(admin_client):
    assert admin_client.get("/admin/snippets/correspondence/thread/").status_code == 404

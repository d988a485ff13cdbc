"""Nobody is left untold of a new thread: a department without a responsible person falls back to
its secretaries or clinicians, and the administrators hear that it names no recipient."""

import logging

import pytest
from django.core import mail

from portal.accounts.models import Membership
from portal.accounts.roles import Role
from portal.correspondence.models import InboxSettings
from portal.outbox.models import OutboxEmail
from tests.accounts.factories import UserFactory
from tests.accounts.login import verified_login
from tests.correspondence.factories import member, open_thread, world

pytestmark = pytest.mark.django_db

ADMIN_SUBJECT = "En afdeling i Samspil har ingen modtager af korrespondance"


@pytest.fixture
def w():
    return world()


def _told(captured) -> list[list[str]]:
    return sorted(m.to for m in mail.outbox if m.subject != ADMIN_SUBJECT)


def test_a_new_thread_to_a_department_without_a_responsible_person_reaches_its_secretaries(
    w, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        open_thread(w)
    assert _told(mail.outbox) == [[w.secretary.email]]


def test_without_secretaries_the_departments_clinicians_are_told(w, django_capture_on_commit_callbacks):
    Membership.objects.filter(user=w.secretary).delete()
    colleague = member(w.department, Role.HOSPITAL_SPECIALIST)
    with django_capture_on_commit_callbacks(execute=True):
        open_thread(w)
    assert _told(mail.outbox) == sorted([[w.specialist.email], [colleague.email]])


def test_the_administrators_are_warned_once_a_day_per_department(
    w, django_capture_on_commit_callbacks, caplog
):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    UserFactory(is_superuser=True, is_active=False)  # gone: not told
    with caplog.at_level(logging.WARNING, logger="portal.correspondence.notifications"):
        with django_capture_on_commit_callbacks(execute=True):
            open_thread(w)
            open_thread(w, subject="Et spørgsmål mere samme dag")
    warnings = [m for m in mail.outbox if m.subject == ADMIN_SUBJECT]
    assert [m.to for m in warnings] == [[superuser.email]]
    assert w.department.name in warnings[0].body
    assert "/admin/correspondence_no_recipient/" in warnings[0].body
    assert any("no responsible person" in record.getMessage() for record in caplog.records)
    # Names the department, never the thread or the patient.
    assert "Spørgsmål" not in warnings[0].body


def test_a_department_with_a_responsible_person_warns_nobody(w, django_capture_on_commit_callbacks, caplog):
    UserFactory(is_superuser=True, is_staff=True)
    responsible = member(w.department, Role.HOSPITAL_SPECIALIST)
    InboxSettings.objects.create(organisation=w.department, responsible=responsible)
    with caplog.at_level(logging.WARNING, logger="portal.correspondence.notifications"):
        with django_capture_on_commit_callbacks(execute=True):
            open_thread(w)
    assert [m.to for m in mail.outbox] == [[responsible.email]]
    assert not OutboxEmail.objects.filter(subject=ADMIN_SUBJECT).exists()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_the_admin_lists_the_departments_without_a_recipient(w, client):
    InboxSettings.objects.create(
        organisation=w.other_department, responsible=member(w.other_department, Role.HOSPITAL_SPECIALIST)
    )
    verified_login(client, UserFactory(is_superuser=True, is_staff=True))
    response = client.get("/admin/correspondence_no_recipient/")
    assert response.status_code == 200
    rows = [row for row in response.content.decode().split('class="samspil-no-recipient"')[1:]]
    assert len(rows) == 1 and w.department.name in rows[0]


def test_the_list_of_departments_without_a_recipient_is_for_administrators_only(w, client):
    verified_login(client, w.secretary)
    assert client.get("/admin/correspondence_no_recipient/").status_code in (302, 403)

"""Asking for an e-mail: one transaction with the caller's data, one row per key, no CPR numbers."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from portal.accounts.models import User
from portal.outbox.models import OutboxEmail
from portal.outbox.services import outbox_email_enqueue
from tests.accounts.factories import UserFactory

LINK = "Der er et nyt svar til dig i Samspil: https://samspil.test/korrespondance/7/"


class Boom(Exception):
    pass


def enqueue(key="correspondence.message:7:to:1", **overrides):
    arguments = {"key": key, "to": ["laege@samspil.test"], "subject": "Nyt svar i Samspil", "body": LINK}
    return outbox_email_enqueue(**(arguments | overrides))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_email_commits_with_the_callers_data_and_is_sent_after_the_commit():
    with transaction.atomic():
        user = UserFactory()
        email = enqueue(key=f"welcome:{user.pk}", to=[user.email])
        assert mail.outbox == []  # nothing leaves before the commit

    assert User.objects.filter(pk=user.pk).exists()
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT
    assert [m.to for m in mail.outbox] == [[user.email]]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rollback_leaves_neither_the_data_nor_the_email_and_sends_nothing():
    with pytest.raises(Boom), transaction.atomic():
        user = UserFactory()
        enqueue(key=f"welcome:{user.pk}", to=[user.email])
        raise Boom

    assert not User.objects.exists()
    assert not OutboxEmail.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_nothing_is_stored():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        enqueue()
    assert not OutboxEmail.objects.exists()


def test_the_same_key_twice_stores_one_row_and_sends_one_email(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue()
        second = enqueue(subject="Noget andet")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        third = enqueue()  # a retried request, after the first was sent

    assert first.pk == second.pk == third.pk
    assert OutboxEmail.objects.count() == 1
    assert callbacks == []
    assert [m.subject for m in mail.outbox] == ["Nyt svar i Samspil"]


@pytest.mark.parametrize(
    "field, text",
    [
        ("body", "Patient 070761-1006 har fået svar."),
        ("body", "Patient 0707611006 har fået svar."),
        ("body", "Patient 070761 1006 har fået svar."),
        ("subject", "Svar vedr. 070761-1006"),
        ("html_body", "<p>CPR:0707611006</p>"),
        ("body", "Uden modulus 11: 010190-1234"),  # issued since 2007, still a CPR number
        ("body", "Link https://samspil.test/x/3f1c2d4e-5b6a-4c7d-8e9f-a07076110/ 0707611006"),
    ],
)
def test_a_cpr_number_is_refused(db, field, text):
    with pytest.raises(ValueError, match="CPR"):
        enqueue(**{field: text})
    assert not OutboxEmail.objects.exists()


@pytest.mark.parametrize(
    "text",
    [
        "Ring på 12345678.",
        "Sag 1234567890",  # month 34: not a date
        "Ordre 32019012345",  # eleven digits
        "Svar senest 25-11-2026",
        # A link's public id whose last group holds a valid CPR-shaped run (0707611006).
        "https://samspil.test/korrespondance/3f1c2d4e-5b6a-4c7d-8e9f-a0707611006b/",
        "https://samspil.test/konferencer/3f1c2d4e-5b6a-4c7d-8e9f-0707611006ab/",
    ],
)
def test_numbers_that_are_not_cpr_numbers_pass(db, django_capture_on_commit_callbacks, text):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(body=f"{LINK}\n{text}")
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "overrides, error",
    [
        ({"to": []}, ValueError),
        ({"to": "laege@samspil.test"}, TypeError),
        ({"to": ["ikke en adresse"]}, ValidationError),
        ({"subject": "Nyt svar\nBcc: alle@samspil.test"}, ValueError),
        ({"key": ""}, ValidationError),
    ],
)
def test_what_could_never_be_sent_is_refused_at_once(db, overrides, error):
    with pytest.raises(error):
        enqueue(**overrides)
    assert not OutboxEmail.objects.exists()

"""A week before a focused stay starts, the trainee and the supervising GP are reminded, once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from portal.stays.models import Assignment
from portal.stays.notifications import week_before_reminders_send

from .factories import need, offer, published, world

pytestmark = pytest.mark.django_db


def _reminders():
    return [m for m in mail.outbox if m.subject == "Dit fokuserede ophold begynder om en uge"]


def test_the_trainee_and_the_supervisor_are_reminded_once_a_week_before(django_capture_on_commit_callbacks):
    w = world()
    stay = published(w, need(w), offer(w))
    mail.outbox.clear()
    too_early = stay.starts_on - timedelta(days=8)
    with django_capture_on_commit_callbacks(execute=True):
        assert week_before_reminders_send(today=too_early) == 0
    week_before = stay.starts_on - timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        week_before_reminders_send(today=week_before)
        week_before_reminders_send(today=week_before + timedelta(days=1))  # the job runs again
    sent = _reminders()
    assert sorted(m.to[0] for m in sent) == sorted([w.trainee.email, w.gp.email])
    body = sent[0].body
    assert "afventer stadig en bekræftelse" in body  # published, not yet confirmed by both
    assert f"/fokuserede-ophold/ophold/{stay.public_id}/" in body
    assert w.trainee.get_full_name() not in body  # a link and the dates, no more


def test_a_declined_stay_is_not_reminded(django_capture_on_commit_callbacks):
    w = world()
    stay = published(w, need(w), offer(w))
    Assignment.objects.filter(pk=stay.pk).update(state=Assignment.State.DECLINED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert week_before_reminders_send(today=stay.starts_on - timedelta(days=3)) == 0
    assert _reminders() == []


def test_the_command_takes_a_date_and_refuses_a_wrong_one(capsys):
    from django.core.management.base import CommandError

    call_command("stays_remind", today="2026-12-01")
    assert "Påmindelser om fokuserede ophold" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("stays_remind", today="i morgen")

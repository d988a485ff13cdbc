"""Reminders for what waits too long for an acknowledgement (referrals_remind): a handover of
treatment responsibility the receiving side has not acknowledged, and a result notice the
practice has not followed up. Once per reminder period, to the right people, in Danish, with a
link and no CPR number, diagnosis, clinical text or result."""

from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from portal.outbox.models import OutboxEmail
from portal.referrals import diagnostics_services, services
from portal.referrals.models import InvestigationOrder, ResponsibilityHandover

from .diagnostics_factories import diagnostics_world, order, with_result
from .factories import CPR, refer, world

pytestmark = pytest.mark.django_db

# Monday 23 November 2026, 10:00 in Copenhagen: an ordinary working week follows.
MONDAY = timezone.make_aware(datetime(2026, 11, 23, 10, 0))
SECRETS = (CPR, CPR[:6], "0707", "KOL", "J44", "åndenød", "Paroksystisk", "Palpitationer", "Holter")


def _reminders() -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(subject__startswith="Påmindelse").order_by("pk"))


def _proposed_on_monday(w):
    referral = refer(w)
    services.handover_propose(referral=referral, actor=w.gp, to_organisation=w.department)
    ResponsibilityHandover.objects.filter(referral=referral).update(proposed_at=MONDAY)
    return referral


def _result_on_monday(d):
    o = with_result(d, order(d))
    InvestigationOrder.objects.filter(pk=o.pk).update(result_at=MONDAY)
    return o


def test_an_unacknowledged_handover_is_reminded_once_per_working_day_to_the_receiving_side():
    w = world()
    referral = _proposed_on_monday(w)

    assert services.handover_reminders_send(now=MONDAY + timedelta(hours=6)) == 0
    assert services.handover_reminders_send(now=MONDAY + timedelta(days=1)) == 1
    assert services.handover_reminders_send(now=MONDAY + timedelta(days=1, hours=1)) == 0  # same day

    [email] = _reminders()
    # The department has no named responsible person: its secretaries, not the proposing GP.
    assert email.to == [w.secretary.email]
    assert email.subject == "Påmindelse: behandlingsansvar venter på jeres kvittering"
    assert email.body.startswith(f"{w.practice} har foreslået at overdrage behandlingsansvaret")
    assert f"{settings.SITE_URL}/henvisninger/{referral.public_id}/" in email.body
    for secret in SECRETS:
        assert secret not in email.body and secret not in email.subject

    # The next working day, if still unacknowledged: one more.
    assert services.handover_reminders_send(now=MONDAY + timedelta(days=2)) == 1
    assert len(_reminders()) == 2


def test_no_handover_reminder_after_the_acknowledgement_or_the_withdrawal():
    w = world()
    acknowledged = _proposed_on_monday(w)
    services.handover_acknowledge(referral=acknowledged, actor=w.specialist)
    withdrawn = _proposed_on_monday(w)
    ResponsibilityHandover.objects.filter(referral=withdrawn).update(withdrawn_at=MONDAY + timedelta(hours=1))

    assert services.handover_reminders_send(now=MONDAY + timedelta(days=3)) == 0
    assert _reminders() == []


def test_a_reminder_is_not_repeated_when_the_job_runs_twice_or_after_a_gap():
    w = world()
    _proposed_on_monday(w)
    services.handover_reminders_send(now=MONDAY + timedelta(days=1))
    # Stopped for days, then run twice: one reminder for the current round, not one per day missed.
    assert services.handover_reminders_send(now=MONDAY + timedelta(days=4)) == 1
    assert services.handover_reminders_send(now=MONDAY + timedelta(days=4)) == 0
    assert len(_reminders()) == 2


def test_an_unacknowledged_result_notice_is_reminded_to_the_ordering_gp_and_the_practice():
    d = diagnostics_world()
    o = _result_on_monday(d)

    # Overdue after two working days (Wednesday), not before.
    assert diagnostics_services.result_reminders_send(now=MONDAY + timedelta(days=1)) == 0
    assert diagnostics_services.result_reminders_send(now=MONDAY + timedelta(days=2)) == 1
    assert diagnostics_services.result_reminders_send(now=MONDAY + timedelta(days=2, hours=3)) == 0

    emails = _reminders()
    # The ordering GP, and the practice's secretary in case the GP is away; not the colleague,
    # not the department.
    assert sorted(e.to[0] for e in emails) == sorted([d.w.gp.email, d.w.practice_secretary.email])
    for email in emails:
        assert email.subject == "Påmindelse: en svarbesked venter på opfølgning"
        assert email.body.startswith("Hjertesygdomme")
        assert f"{settings.SITE_URL}/henvisninger/undersoegelser/{o.public_id}/" in email.body
        for secret in SECRETS:
            assert secret not in email.body and secret not in email.subject

    # Two working days later (Friday), still not followed up: once more to each.
    assert diagnostics_services.result_reminders_send(now=MONDAY + timedelta(days=4)) == 1
    assert len(_reminders()) == 4


def test_no_result_reminder_once_a_gp_has_acknowledged():
    d = diagnostics_world()
    o = _result_on_monday(d)
    diagnostics_services.investigation_result_acknowledge(order=o, actor=d.w.gp_colleague)

    assert diagnostics_services.result_reminders_send(now=MONDAY + timedelta(days=10)) == 0
    assert _reminders() == []


def test_the_command_sends_both_kinds_and_refuses_a_time_without_a_zone():
    d = diagnostics_world()
    _result_on_monday(d)
    _proposed_on_monday(d.w)

    call_command("referrals_remind", "--now", (MONDAY + timedelta(days=2)).isoformat())
    call_command("referrals_remind", "--now", (MONDAY + timedelta(days=2, minutes=5)).isoformat())

    assert len(_reminders()) == 3  # the department's secretary; the GP and the practice's secretary
    with pytest.raises(CommandError):
        call_command("referrals_remind", "--now", "2026-11-25T10:00")

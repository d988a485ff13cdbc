"""Referral services: refer, decide with no dead end, veto, responsibility, overdue notices."""

from datetime import timedelta

import pytest
from django.core import mail  # noqa: F401 - outbox rows are what we check
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.audit.models import AccessLogEntry
from portal.outbox.models import OutboxEmail
from portal.referrals import services
from portal.referrals.models import (
    Referral,
    ReferralEvent,
    ResponsibilityHandover,
    ResponsibilityPeriod,
)

from .factories import CPR, dialogue_with_gp_answer, later, refer, world

pytestmark = pytest.mark.django_db


def _reroute(w, referral, **fields):
    defaults = {
        "referral": referral,
        "actor": w.specialist,
        "to_department": w.other_department,
        "reason_code": "wrong-specialty",
        "reason": "Hjertesvigt mere sandsynligt end KOL.",
        "alternative": "Ekkokardiografi i Hjertesygdomme inden for 14 dage.",
    }
    return services.referral_reroute(**(defaults | fields))


def test_a_referral_starts_received_with_the_practice_holding_the_responsibility():
    w = world()
    referral = refer(w)
    assert referral.state == Referral.State.RECEIVED
    assert referral.responsible_organisation == w.practice
    assert (
        ResponsibilityPeriod.objects.get(referral=referral, ended_at__isnull=True).organisation == w.practice
    )
    assert referral.decision_due_at > referral.created_at
    assert [e.kind for e in referral.events.all()] == ["referred"]
    assert (
        AccessLogEntry.objects.filter(
            object_type="referrals.referral", object_id=str(referral.pk), action="create"
        ).count()
        == 1
    )
    assert referral.clinical_text.endswith("Dosis <i.v.> 5 mg.")  # as written


def test_by_package_goes_to_the_clinic_with_the_ticked_checklist():
    w = world()
    referral = refer(
        w, basis=Referral.Basis.PACKAGE, symptom_package=w.package, checklist_ticked=["Spirometri", "EKG"]
    )
    assert referral.destination == w.clinic
    assert referral.destination_kind == Referral.DestinationKind.SUBACUTE_CLINIC
    assert referral.checklist_ticked == ["Spirometri", "EKG"]
    with pytest.raises(ValidationError):
        refer(w, basis=Referral.Basis.PACKAGE, symptom_package=w.package, checklist_ticked=["Opfundet"])


def test_only_a_gp_of_the_practice_refers_from_it():
    w = world()
    with pytest.raises(PermissionDenied):
        refer(w, author=w.other_gp)
    with pytest.raises(PermissionDenied):
        refer(w, author=w.practice_secretary)


def test_accept_needs_a_time_to_come_and_a_window_that_ends_after_it_starts():
    w = world()
    referral = refer(w)
    with pytest.raises(ValidationError):
        services.referral_accept(referral=referral, actor=w.specialist, appointment_start=later(-2))
    with pytest.raises(ValidationError):
        services.referral_accept(
            referral=referral, actor=w.specialist, appointment_start=later(5), appointment_end=later(4)
        )
    accepted = services.referral_accept(
        referral=referral, actor=w.specialist, appointment_start=later(24), appointment_end=later(26)
    )
    assert accepted.state == Referral.State.ACCEPTED and accepted.decided_at is not None
    with pytest.raises(ValidationError):
        services.referral_accept(referral=referral, actor=w.specialist, appointment_start=later(30))


def test_only_the_destinations_clinicians_decide():
    w = world()
    referral = refer(w)
    for outsider in (w.other_specialist, w.gp, w.secretary):
        with pytest.raises(PermissionDenied):
            services.referral_accept(referral=referral, actor=outsider, appointment_start=later(24))


def test_reroute_moves_the_referral_and_tells_the_gp_with_the_reason():
    w = world()
    referral = _reroute(w, refer(w))
    assert referral.destination == w.other_department
    assert referral.state == Referral.State.REROUTED
    event = referral.events.get(kind="rerouted")
    assert (event.organisation, event.to_organisation, event.reason_code) == (
        w.department,
        w.other_department,
        "wrong-specialty",
    )
    assert event.alternative.startswith("Ekkokardiografi")
    to_gp = OutboxEmail.objects.filter(to=[w.gp.email], subject__icontains="omvisiteret")
    assert to_gp.count() == 1
    body = to_gp.get().body
    assert "Hjertesvigt" not in body and "KOL" not in body and CPR not in body
    # The old department no longer decides; the new one does.
    with pytest.raises(PermissionDenied):
        services.referral_accept(referral=referral, actor=w.specialist, appointment_start=later(24))
    services.referral_accept(referral=referral, actor=w.other_specialist, appointment_start=later(24))


def test_return_is_refused_without_a_dialogue_and_without_the_gps_answer():
    w = world()
    referral = refer(w)
    with pytest.raises(ValidationError):
        services.referral_return(
            referral=referral,
            actor=w.specialist,
            reason_code="wrong-level",
            reason="Kan ses i almen praksis.",
        )
    referral = services.referral_dialogue_request(
        referral=referral, actor=w.specialist, message="Kan vi tale om det?"
    )
    assert referral.state == Referral.State.DIALOGUE
    assert referral.awaiting_organisation == w.practice
    with pytest.raises(ValidationError):
        services.referral_return(
            referral=referral, actor=w.specialist, reason_code="wrong-level", reason="Ingen svar."
        )
    assert Referral.objects.get(pk=referral.pk).state == Referral.State.DIALOGUE


def test_return_after_a_dialogue_in_which_the_gp_wrote():
    w = world()
    referral = dialogue_with_gp_answer(w, refer(w))
    returned = services.referral_return(
        referral=referral,
        actor=w.specialist,
        reason_code="wrong-level",
        reason="Aftalt i dialogen.",
        advice="Ny spirometri om 3 mdr.",
    )
    assert returned.state == Referral.State.RETURNED
    assert returned.events.filter(kind="returned").count() == 1


def test_the_dialogue_thread_is_opened_through_correspondence_with_the_patient():
    w = world()
    referral = services.referral_dialogue_request(
        referral=refer(w), actor=w.specialist, message="Spørgsmål om EKG"
    )
    thread = referral.dialogue_thread
    assert thread.sender_organisation == w.department and thread.recipient_organisation == w.practice
    assert thread.patient_id == referral.patient_id and thread.category == "regarding-referral"
    again = services.referral_dialogue_request(
        referral=referral, actor=w.specialist, message="Og en opfølgning"
    )
    assert again.dialogue_thread_id == thread.pk
    assert thread.messages.count() == 2


def test_after_a_veto_the_receiving_side_can_neither_reroute_nor_return():
    w = world()
    referral = dialogue_with_gp_answer(w, refer(w))
    vetoed = services.referral_veto(referral=referral, actor=w.gp, reason="Svært dyspnøisk, SAT 86 %.")
    assert vetoed.state == Referral.State.VETO and vetoed.vetoed_at
    with pytest.raises(ValidationError):
        _reroute(w, vetoed)
    with pytest.raises(ValidationError):
        services.referral_return(referral=vetoed, actor=w.specialist, reason_code="other", reason="Nej")
    with pytest.raises(ValidationError):
        services.referral_veto(referral=vetoed, actor=w.gp, reason="Igen")
    # Audited: an event with who and why, and the access log with the veto's purpose.
    event = vetoed.events.get(kind="veto")
    assert (event.actor, event.text) == (w.gp, "Svært dyspnøisk, SAT 86 %.")
    assert (
        AccessLogEntry.objects.filter(
            object_type="referrals.referral", object_id=str(referral.pk), purpose=services.PURPOSE_VETO
        ).count()
        == 1
    )
    # What happened next: the acute reception accepts with a time.
    services.referral_accept(referral=vetoed, actor=w.specialist, appointment_start=later(1))


def test_only_a_gp_of_the_practice_presses_the_veto():
    w = world()
    referral = refer(w)
    for outsider in (w.other_gp, w.specialist, w.practice_secretary):
        with pytest.raises(PermissionDenied):
            services.referral_veto(referral=referral, actor=outsider, reason="x")
    with pytest.raises(ValidationError):
        services.referral_veto(referral=referral, actor=w.gp, reason="  ")
    with pytest.raises(ValidationError):
        services.referral_veto(referral=referral, actor=w.gp, reason="x" * 301)


def test_a_handover_is_proposed_then_acknowledged_and_the_holder_keeps_it_until_then():
    w = world()
    referral = refer(w)
    services.handover_propose(referral=referral, actor=w.gp, to_organisation=w.department)
    referral.refresh_from_db()
    assert referral.responsible_organisation == w.practice
    with pytest.raises(PermissionDenied):
        services.handover_acknowledge(referral=referral, actor=w.other_specialist)
    services.handover_acknowledge(referral=referral, actor=w.specialist)
    referral.refresh_from_db()
    assert referral.responsible_organisation == w.department
    periods = list(referral.responsibility_periods.order_by("started_at", "pk"))
    assert [p.organisation for p in periods] == [w.practice, w.department]
    assert periods[0].ended_at is not None and periods[1].ended_at is None
    with pytest.raises(ValidationError):
        services.handover_acknowledge(referral=referral, actor=w.specialist)


def test_a_reroute_by_the_holder_proposes_the_handover_and_keeps_it_until_acknowledged():
    w = world()
    referral = refer(w)
    services.handover_propose(referral=referral, actor=w.gp, to_organisation=w.department)
    services.handover_acknowledge(referral=referral, actor=w.specialist)
    referral = _reroute(w, referral)
    assert referral.responsible_organisation == w.department  # still, until acknowledged
    assert w.specialist.has_perm("referrals.view_referral", referral)  # so it still sees it
    handover = ResponsibilityHandover.objects.get(referral=referral, acknowledged_at__isnull=True)
    assert handover.to_organisation == w.other_department
    services.handover_acknowledge(referral=referral, actor=w.other_specialist)
    referral.refresh_from_db()
    assert referral.responsible_organisation == w.other_department
    assert not w.specialist.has_perm("referrals.view_referral", referral)


def test_the_database_refuses_no_holder_and_two_holders():
    w = world()
    referral = refer(w)
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(responsible_organisation=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        ResponsibilityPeriod.objects.create(
            referral=referral, organisation=w.department, started_at=timezone.now()
        )
    services.handover_propose(referral=referral, actor=w.gp, to_organisation=w.department)
    with pytest.raises(IntegrityError), transaction.atomic():
        ResponsibilityHandover.objects.create(
            referral=referral, from_organisation=w.practice, to_organisation=w.department, proposed_by=w.gp
        )


def test_the_database_refuses_an_accept_without_a_time_and_a_veto_without_its_time():
    w = world()
    referral = refer(w)
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(state="accepted")
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(state="veto")


def test_overdue_decisions_go_to_the_departments_responsible_person_once():
    from portal.correspondence.models import InboxSettings

    w = world()
    InboxSettings.objects.create(organisation=w.department, responsible=w.secretary)
    referral = refer(w)
    assert services.overdue_referrals_notify(now=referral.decision_due_at - timedelta(minutes=1)) == 0
    after = referral.decision_due_at + timedelta(minutes=1)
    assert services.overdue_referrals_notify(now=after) == 1
    assert services.overdue_referrals_notify(now=after + timedelta(hours=1)) == 0
    email = OutboxEmail.objects.get(to=[w.secretary.email], subject__icontains="overskredet")
    assert "KOL" not in email.body and "åndenød" not in email.body and CPR not in email.body
    assert referral.events.filter(kind=ReferralEvent.Kind.OVERDUE).count() == 1


def test_without_a_named_person_the_secretaries_are_told_and_the_command_runs():
    w = world()
    referral = refer(w)
    moment = (referral.decision_due_at + timedelta(minutes=5)).isoformat()
    call_command("referrals_overdue", "--now", moment)
    assert OutboxEmail.objects.filter(to=[w.secretary.email], subject__icontains="overskredet").exists()


def test_reading_logs_an_access_and_outsiders_are_refused():
    w = world()
    referral = refer(w)
    before = AccessLogEntry.objects.filter(action="view").count()
    services.referral_read(referral=referral, user=w.specialist)
    assert AccessLogEntry.objects.filter(action="view").count() == before + 1
    with pytest.raises(PermissionDenied):
        services.referral_read(referral=referral, user=w.other_gp)

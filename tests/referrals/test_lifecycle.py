"""A referral's life as a Hypothesis state machine.

Hypothesis drives the services in random orders (accept, re-route, dialogue, the GP's
answer, pre-visitation, return, veto, handovers proposed and acknowledged, by the right and
the wrong people) and after every step:

- no referral ends returned to the GP unless the GP wrote in the linked dialogue, and none is
  ever "rejected" (there is no such state);
- after a veto, re-route and return are refused;
- exactly one organisation holds the treatment responsibility: the referral's holder is the
  one current ``ResponsibilityPeriod``, and at most one handover is open;
- a refused action changes nothing.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from portal.correspondence import services as correspondence
from portal.referrals import services
from portal.referrals.models import Referral, ResponsibilityHandover, ResponsibilityPeriod

from .factories import refer, world

pytestmark = pytest.mark.django_db

MACHINE_SETTINGS = settings(
    max_examples=15,
    stateful_step_count=10,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


class ReferralLife(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.w = world()
        self.referral = refer(self.w)
        self.gp_answered = False

    def teardown(self):
        transaction.savepoint_rollback(self.savepoint)

    def fresh(self) -> Referral:
        return Referral.objects.select_related("destination", "practice").get(pk=self.referral.pk)

    def deciders(self):
        return {self.w.department.pk: self.w.specialist, self.w.other_department.pk: self.w.other_specialist}

    def decider(self, right: bool):
        r = self.fresh()
        own = self.deciders()[r.destination_id]
        return own if right else self.w.other_gp

    def attempt(self, action) -> bool:
        before = self.snapshot()
        try:
            with transaction.atomic():
                action()
        except (ValidationError, PermissionDenied):
            assert self.snapshot() == before, "a refused action changed something"
            return False
        return True

    def snapshot(self):
        r = self.fresh()
        return (
            r.state,
            r.destination_id,
            r.responsible_organisation_id,
            r.vetoed_at,
            r.events.count(),
            r.handovers.count(),
        )

    @rule(right=st.booleans(), hours=st.integers(min_value=-5, max_value=48))
    def accept(self, right, hours):
        self.attempt(
            lambda: services.referral_accept(
                referral=self.referral,
                actor=self.decider(right),
                appointment_start=timezone.now() + timedelta(hours=hours),
            )
        )

    @rule(right=st.booleans())
    def reroute(self, right):
        r = self.fresh()
        target = self.w.other_department if r.destination_id == self.w.department.pk else self.w.department
        vetoed = r.vetoed_at is not None
        done = self.attempt(
            lambda: services.referral_reroute(
                referral=self.referral,
                actor=self.decider(right),
                to_department=target,
                reason_code="wrong-specialty",
                reason="Andet speciale",
            )
        )
        assert not (done and vetoed), "re-routed after a veto"

    @rule()
    def dialogue(self):
        self.attempt(
            lambda: services.referral_dialogue_request(
                referral=self.referral, actor=self.decider(True), message="Ring venligst"
            )
        )

    @rule()
    def gp_answers(self):
        r = self.fresh()
        if r.dialogue_thread_id and r.dialogue_thread.is_open:
            correspondence.message_send(thread=r.dialogue_thread, author=self.w.gp, body="Svar")
            self.gp_answered = True

    @rule()
    def previsitation(self):
        self.attempt(
            lambda: services.referral_previsitation_note(
                referral=self.referral, actor=self.decider(True), note="Patient ringet op"
            )
        )

    @rule()
    def give_back(self):
        r = self.fresh()
        vetoed = r.vetoed_at is not None
        done = self.attempt(
            lambda: services.referral_return(
                referral=self.referral, actor=self.decider(True), reason_code="wrong-level", reason="Aftalt"
            )
        )
        assert not (done and vetoed), "returned after a veto"
        assert not done or self.gp_answered, "returned without the GP in a dialogue"

    @rule(by_gp=st.booleans())
    def veto(self, by_gp):
        actor = self.w.gp if by_gp else self.w.specialist
        self.attempt(lambda: services.referral_veto(referral=self.referral, actor=actor, reason="FAM nu"))

    @rule(to_practice=st.booleans())
    def propose_handover(self, to_practice):
        r = self.fresh()
        holder_clinician = (
            self.w.gp
            if r.responsible_organisation_id == self.w.practice.pk
            else self.deciders()[r.responsible_organisation_id]
        )
        to = r.practice if to_practice else r.destination
        self.attempt(
            lambda: services.handover_propose(
                referral=self.referral, actor=holder_clinician, to_organisation=to
            )
        )

    @rule()
    def acknowledge_handover(self):
        handover = ResponsibilityHandover.objects.filter(
            referral=self.referral, acknowledged_at__isnull=True, withdrawn_at__isnull=True
        ).first()
        if handover is None:
            self.attempt(lambda: services.handover_acknowledge(referral=self.referral, actor=self.w.gp))
            return
        to = handover.to_organisation_id
        actor = self.w.gp if to == self.w.practice.pk else self.deciders()[to]
        assert self.attempt(lambda: services.handover_acknowledge(referral=self.referral, actor=actor))

    @invariant()
    def never_rejected_and_returned_only_after_dialogue(self):
        r = self.fresh()
        assert r.state in Referral.State.values and r.state != "rejected"
        if r.state == Referral.State.RETURNED:
            assert services.gp_took_part_in_dialogue(r)

    @invariant()
    def exactly_one_holder(self):
        r = self.fresh()
        current = list(ResponsibilityPeriod.objects.filter(referral=r, ended_at__isnull=True))
        assert len(current) == 1 and current[0].organisation_id == r.responsible_organisation_id
        assert (
            ResponsibilityHandover.objects.filter(
                referral=r, acknowledged_at__isnull=True, withdrawn_at__isnull=True
            ).count()
            <= 1
        )


def test_a_referral_life_keeps_the_rules_in_any_order():
    run_state_machine_as_test(ReferralLife, settings=MACHINE_SETTINGS)

"""Two GPs of the proposed practice acknowledge the same tovholder proposal at the same instant:
the proposal's row lock gives one acknowledgement, one ``CareCoordinator`` row and one history
event, and one calm Danish refusal.

On PostgreSQL the two run in threads with their own connections, released together by a barrier;
SQLite's in-memory test database cannot serve concurrent writers, so there they run in turn (the
assertions are the same), as tests/support/test_acute_concurrency.py does.
"""

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from portal.accounts.roles import Role
from portal.referrals import coordinator_services as services
from portal.referrals.models import CareCoordinator, CareCoordinatorEvent, ResponsibilityHandover
from tests.bookings.factories import member
from tests.concurrency import race

from .test_coordinator import W, propose

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_simultaneous_acknowledgements_give_one_tovholder():
    w = W()
    colleague = member(w.practice, Role.GP, first_name="Kaj")
    handover = propose(w)
    gps = [w.gp, colleague]

    def acknowledge(i):
        with translation.override("da"):
            try:
                services.coordinator_handover_acknowledge(
                    handover=ResponsibilityHandover.objects.get(pk=handover.pk), actor=gps[i]
                )
                return "acknowledged"
            except ValidationError as error:
                return error.messages[0]

    outcomes = Counter(race(acknowledge, 2))
    assert outcomes == {"acknowledged": 1, "Forslaget er allerede kvitteret.": 1}
    assert CareCoordinator.objects.count() == 1
    assert CareCoordinatorEvent.objects.count() == 1
    handover.refresh_from_db()
    assert handover.acknowledged_by_id in {w.gp.pk, colleague.pk}

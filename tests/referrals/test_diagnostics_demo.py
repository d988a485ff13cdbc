"""The demo catalogue is linked to the Holter resource of the bookings demo, and the demo GP has
one Holter order with a result notice awaiting follow-up; loading twice changes nothing."""

import pytest

from portal.accounts.demo import demo_organisations_load, demo_users_load
from portal.bookings.demo import demo_bookings_load
from portal.referrals.diagnostics_demo import demo_diagnostics_load
from portal.referrals.models import InvestigationOrder, InvestigationType

pytestmark = pytest.mark.django_db


def test_the_demo_catalogue_and_holter_order_and_loads_twice():
    demo_users_load(demo_organisations_load())
    demo_bookings_load()
    assert demo_diagnostics_load() == 1
    assert demo_diagnostics_load() == 1
    holter = InvestigationType.objects.get(name="Holter-monitorering (24 timer)")
    assert holter.resource.name == "Holter-monitorering (24 timer)" and not holter.drop_in
    assert holter.department.name == "Kardiologi"
    assert InvestigationType.objects.filter(drop_in=True).count() >= 2
    order = InvestigationOrder.objects.get()
    assert order.author.email == "laege@samspil.test"
    assert order.state == InvestigationOrder.State.RESULT_AVAILABLE and order.result_notice
    assert order.booking.slot.resource == holter.resource

"""The demo bookable times: subacute outpatient times and Holter at Aarhus Universitetshospital."""

import pytest
from django.utils import timezone

from portal.accounts.demo import demo_organisations_load, demo_users_load
from portal.bookings import selectors
from portal.bookings.demo import demo_bookings_load
from portal.bookings.models import Booking, Resource, Slot
from portal.core.deadlines import is_working_day

pytestmark = pytest.mark.django_db


def test_the_demo_has_free_times_on_working_days_for_two_weeks_and_loads_twice():
    demo_users_load(demo_organisations_load())
    first = demo_bookings_load()
    assert demo_bookings_load() == first > 0
    assert Slot.objects.count() == first
    kinds = dict(Resource.objects.values_list("kind", "organisation__parent__name"))
    assert kinds == {
        "subacute_outpatient": "Aarhus Universitetshospital",
        "investigation": "Aarhus Universitetshospital",
    }
    days = {timezone.localtime(s.starts_at).date() for s in Slot.objects.all()}
    assert all(is_working_day(day) for day in days)
    assert max(days) - timezone.localdate() <= timezone.timedelta(days=14)
    assert selectors.free_slots(kind="investigation")
    gp_booking = Booking.objects.get()
    assert gp_booking.booked_by.email == "laege@samspil.test"
    assert gp_booking.slot.resource.kind == "subacute_outpatient"

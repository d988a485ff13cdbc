"""The demo referrals: packages, numbers, a referral in every state for the demo GP; idempotent."""

from datetime import timedelta

import pytest

from portal.accounts.demo import demo_organisations_load, demo_users_load
from portal.bookings.models import Resource
from portal.referrals import selectors
from portal.referrals.demo import demo_referrals_load
from portal.referrals.models import AreaVisitation, Referral, SymptomPackage

pytestmark = pytest.mark.django_db


def test_the_demo_has_packages_numbers_and_every_state_and_loads_twice():
    demo_users_load(demo_organisations_load())
    first = demo_referrals_load()
    assert demo_referrals_load() == first == Referral.objects.count()
    names = set(SymptomPackage.objects.values_list("name", flat=True))
    for name in ("Åndenød", "Svimmelhed", "Vægttab", "Smerter uden kendt årsag"):
        assert name in names
    assert any("alvorlig sygdom" in n for n in names)
    assert AreaVisitation.objects.count() == 2
    assert set(Referral.objects.values_list("state", flat=True)) == set(Referral.State.values)
    assert Referral.objects.filter(basis="package").exists()
    assert Referral.objects.filter(
        handovers__acknowledged_at__isnull=True, handovers__withdrawn_at__isnull=True
    ).exists()


def test_the_demo_clinic_has_subacute_times_and_a_referral_with_a_booking():
    demo_users_load(demo_organisations_load())
    demo_referrals_load()
    clinic = SymptomPackage.objects.get(name="Åndenød").clinic
    assert Resource.objects.filter(organisation=clinic, kind=Resource.Kind.SUBACUTE_OUTPATIENT).exists()
    slots = selectors.subacute_slots(clinic)
    booked = Referral.objects.filter(booking__isnull=False).select_related("booking__slot__resource").first()
    if slots or booked:
        # Within 72 hours there are working hours unless a long holiday falls there.
        assert booked is not None and booked.booking.slot.resource.organisation == clinic
        assert booked.booking.slot.starts_at <= booked.created_at + timedelta(hours=72)

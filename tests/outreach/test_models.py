"""The directory's entries: postcode ranges, who reaches whom, and what an administrator may save."""

import pytest
from django.core.exceptions import ValidationError

from portal.outreach.models import OutreachService, parse_postcode_ranges
from tests.accounts.factories import HospitalFactory

from .factories import outreach_world, service

pytestmark = pytest.mark.django_db


def test_postcode_ranges_are_parsed():
    assert parse_postcode_ranges("8000-8099, 8200;\n8210 – 8220") == [
        (8000, 8099),
        (8200, 8200),
        (8210, 8220),
    ]
    assert parse_postcode_ranges("") == []


@pytest.mark.parametrize("text", ["80", "8000-", "abcd", "8100-8000", "8000 8100"])
def test_malformed_postcodes_are_refused_in_danish(text):
    with pytest.raises(ValidationError) as error:
        parse_postcode_ranges(text)
    assert "postnummer" in " ".join(error.value.messages).lower() or "slutter" in " ".join(
        error.value.messages
    )


def test_a_service_covers_its_municipalities_and_listed_postcodes():
    w = outreach_world()
    w.blood.refresh_from_db()
    assert w.blood.covers(8000, w.city.pk)
    assert w.blood.covers(8370, w.suburb.pk)  # listed by postcode
    assert not w.blood.covers(8450, w.suburb.pk)
    assert not w.blood.covers(8305, w.island.pk)


def test_an_entry_without_phone_or_form_cannot_be_reached():
    w = outreach_world()
    entry = OutreachService(kind="flex_clinic", name="Flex", owner=w.department, hours="8-15", phone="")
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert "phone" in error.value.error_dict


def test_only_an_organisation_with_staff_receives_orders():
    w = outreach_world()
    with pytest.raises(ValidationError) as error:
        service(HospitalFactory(health_council_area=w.area), name="Hospitalets", order_form=True)
    assert "order_form" in error.value.error_dict


def test_the_admin_form_refuses_bad_postcodes():
    w = outreach_world()
    entry = OutreachService(
        kind="flex_clinic", name="Flex", owner=w.department, hours="8-15", postcodes="8000-79"
    )
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert "postcodes" in error.value.error_dict

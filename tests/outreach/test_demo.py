"""The demo directory: the demo GP's practice postcode finds the Aarhus services, the
blood-sampling unit has her order waiting, the equal-access report shows gaps; twice is once."""

import pytest
from django.urls import reverse

from portal.accounts.demo import demo_organisations_load, demo_users_load
from portal.accounts.models import User
from portal.outreach import selectors
from portal.outreach.demo import BLOOD_SAMPLING_AARHUS, demo_outreach_load
from portal.outreach.models import OutreachOrder, OutreachService
from tests.accounts.login import verified_login

pytestmark = pytest.mark.django_db


def test_the_demo_directory_loads_twice_and_serves_the_demo_gp(client):
    demo_users_load(demo_organisations_load())
    assert demo_outreach_load() == 8
    assert demo_outreach_load() == 8
    assert OutreachOrder.objects.count() == 1
    gp = User.objects.get(email="laege@samspil.test")
    assert selectors.default_postcode(gp) == "8000"
    _postcode, groups = selectors.services_for_postcode("8000")
    assert {g.kind for g in groups} == set(OutreachService.Kind.values)
    verified_login(client, User.objects.get(email="sekretaer@samspil.test"))
    page = client.get(reverse("outreach:orders")).content.decode()
    assert BLOOD_SAMPLING_AARHUS in page and "samspil-outreach-row--ordered" in page
    lacking = {
        row.municipality.name: row.missing for block in selectors.equal_access_report() for row in block.rows
    }
    assert len(lacking["Samsø"]) == len(OutreachService.Kind.values) and not lacking["Aarhus"]

"""The demo focused stays: a region with offers and needs the demo coordinator can match; idempotent."""

import pytest

from portal.accounts.demo import demo_organisations_load, demo_users_load
from portal.accounts.models import Region, User
from portal.referrals.demo import demo_referrals_load
from portal.referrals.diagnostics_demo import demo_diagnostics_load
from portal.stays import planning
from portal.stays.demo import demo_stays_load
from portal.stays.models import HostOffer, LearningObjective, StayNeed

pytestmark = pytest.mark.django_db


def test_the_demo_coordinator_has_a_region_to_match_and_the_demo_loads_twice():
    demo_users_load(demo_organisations_load())
    # The other demos add clinics of the same specialties to the hospital first, as make run does.
    demo_referrals_load()
    demo_diagnostics_load()
    first = demo_stays_load()
    assert first == demo_stays_load() == 8
    assert HostOffer.objects.count() == 6 and LearningObjective.objects.count() >= 18
    trainee = User.objects.get(email="hoveduddannelse@samspil.test")
    gp = User.objects.get(email="laege@samspil.test")
    assert StayNeed.objects.get(trainee=trainee).objectives.count() == 2
    assert HostOffer.objects.filter(supervisor=gp).exists()
    coordinator = User.objects.get(email="koordinator@samspil.test")
    run = planning.matching_run(
        actor=coordinator, region=Region.objects.get(slug="region-midtjylland"), time_limit_s=10
    )
    assert run.assignments.count() == 8 and not run.infeasible
    # The extra people are there to be matched, not to log in.
    assert not User.objects.get(email="hu1.ophold@samspil.test").has_usable_password()


def test_without_demo_users_nothing_is_made():
    demo_organisations_load()
    assert demo_stays_load() == 0
    assert not HostOffer.objects.exists()

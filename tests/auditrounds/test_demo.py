"""The demo: the demo GP's cluster runs the antibiotics audit kit, and her practice has registered."""

from io import StringIO

import pytest
from django.core.management import call_command

from portal.auditrounds.demo import DEMO_CLUSTER_NAME, DEMO_CLUSTER_SLUG
from portal.auditrounds.models import AuditRound, PracticeRegistration

pytestmark = pytest.mark.django_db


def test_the_demo_has_one_audit_round_in_the_demo_cluster_whatever_the_runs(settings):
    settings.SAMSPIL_CREATE_DEMO_USERS = True
    call_command("load_demo_content", stdout=StringIO())
    call_command("load_demo_content", stdout=StringIO())
    audit_round = AuditRound.objects.get()
    assert (audit_round.cluster.slug, audit_round.cluster.name) == (DEMO_CLUSTER_SLUG, DEMO_CLUSTER_NAME)
    assert audit_round.is_open and len(audit_round.indicators) == 5
    registration = PracticeRegistration.objects.get()
    assert registration.practice.name == "Lægerne i Trøjborg"
    assert registration.results.count() == 5

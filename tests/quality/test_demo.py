"""The demo cluster: the demo GP opens it and every figure of the cluster has a number."""

import pytest

from portal.accounts.demo import demo_organisations_load, demo_users_load
from portal.accounts.models import User
from portal.quality import figures
from portal.quality.demo import CLUSTER_SLUG, DEMO_GP, demo_quality_load
from portal.quality.models import QualityCluster
from portal.quality.selectors import own_practices_in
from tests.accounts.login import verified_login

pytestmark = pytest.mark.django_db


def test_the_demo_cluster_shows_figures_to_the_demo_gp_and_loads_once(client):
    demo_users_load(demo_organisations_load())
    assert demo_quality_load() > 0
    assert demo_quality_load() == 0  # a second run adds nothing

    cluster = QualityCluster.objects.get(slug=CLUSTER_SLUG)
    gp = User.objects.get(email=DEMO_GP)
    own = own_practices_in(gp, cluster)
    result = figures.compute(area=cluster.health_council_area, cluster=cluster, own_practices=own)
    rows = {row.metric.key: row for row in result.rows}
    for key in ("hospital_reply_median", "practice_reply_in_time", "referrals_rerouted", "conference_notes"):
        assert rows[key].cluster.shown, key
        assert rows[key].practices[0][1].shown, key
    assert rows["subacute_in_time"].cluster.shown

    verified_login(client, gp)
    assert client.get(f"/kvalitet/klynge/{CLUSTER_SLUG}/").status_code == 200

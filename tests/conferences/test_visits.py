"""Practice visits: planned by a hospital specialist (who, where, when), recorded once as held,
seen only by the visiting specialist and the GPs of the practice."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.conferences.models import PracticeVisit
from portal.conferences.visit_services import practice_visit_plan, practice_visit_record
from tests.accounts.factories import UserFactory
from tests.accounts.login import verified_login
from tests.authz import assert_authorisation_matrix, http_ok, perm

from .factories import world

pytestmark = pytest.mark.django_db


def plan(w, *, days=3, **kwargs):
    now = timezone.now()
    return practice_visit_plan(
        specialist=kwargs.pop("specialist", w.specialist),
        department=w.department,
        practice=kwargs.pop("practice", w.practice),
        starts_at=now + timedelta(days=days),
        purpose=kwargs.pop("purpose", "Demensudredning i praksis"),
        now=min(now, now + timedelta(days=days)),
    )


def _url(visit, name="visit"):
    return reverse(f"conferences:{name}", kwargs={"public_id": visit.public_id})


def test_a_visit_is_planned_and_recorded_once_after_it_took_place():
    w = world()
    visit = plan(w, days=-1)
    assert visit.status == PracticeVisit.Status.PLANNED
    practice_visit_record(visit=visit, actor=w.gp, summary="Gennemgik demensforløb; aftalt telefontid.")
    visit.refresh_from_db()
    assert visit.status == PracticeVisit.Status.HELD and visit.recorded_by_name == "Grete Lægesen"
    with pytest.raises(ValidationError):
        practice_visit_record(visit=visit, actor=w.specialist, summary="Overskriv")
    visit.refresh_from_db()
    assert visit.summary.startswith("Gennemgik")


def test_a_visit_cannot_be_recorded_before_it_takes_place():
    w = world()
    visit = plan(w, days=2)
    with pytest.raises(ValidationError):
        practice_visit_record(visit=visit, actor=w.specialist, summary="For tidligt")


def test_only_a_specialist_of_the_department_plans_and_only_to_a_practice():
    w = world()
    for user in (w.gp, w.secretary, UserFactory(is_superuser=True, is_staff=True)):
        with pytest.raises(PermissionDenied):
            plan(w, specialist=user)
    with pytest.raises(ValidationError):
        plan(w, practice=w.department)
    with pytest.raises(ValidationError):
        plan(w, purpose="  ")
    assert PracticeVisit.objects.count() == 0


@pytest.fixture
def arranged():
    w = world()
    users = {
        "specialist": w.specialist,
        "gp": w.gp,
        "gp_colleague": w.gp_colleague,
        "other_gp": w.other_gp,
        "colleague": w.colleague,
        "secretary": w.secretary,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
    return users, {"planned": plan(w, days=-1)}


def test_the_visit_matrix_by_rule_and_over_http(arranged):
    users, objects = arranged
    participants = ("specialist", "gp", "gp_colleague")
    allowed = {(u, "planned", a) for u in participants for a in ("view", "record", "open")}
    cells = assert_authorisation_matrix(
        users=users,
        objects=objects,
        actions={
            "view": perm("conferences.view_practicevisit"),
            "record": perm("conferences.change_practicevisit"),
            "open": http_ok(Client, _url),
        },
        allowed=allowed,
    )
    assert cells == 7 * 1 * 3


def test_recording_outside_the_visit_is_404_and_changes_nothing(arranged):
    users, objects = arranged
    client = Client()
    for role in ("superuser", "other_gp", "colleague", "secretary"):
        verified_login(client, users[role])
        assert client.post(_url(objects["planned"], "visit_record"), {"summary": "x"}).status_code == 404
    objects["planned"].refresh_from_db()
    assert objects["planned"].status == PracticeVisit.Status.PLANNED


def test_planning_and_recording_over_http(client):
    w = world()
    verified_login(client, w.specialist)
    assert client.get(reverse("conferences:visit_new")).status_code == 200
    when = timezone.localtime() + timedelta(days=7)
    response = client.post(
        reverse("conferences:visit_new"),
        {
            "department": w.department.pk,
            "practice": w.practice.pk,
            "starts_at": when.strftime("%Y-%m-%dT%H:%M"),
            "purpose": "Fald hos ældre",
        },
    )
    visit = PracticeVisit.objects.get()
    assert response.status_code == 302 and response["Location"] == _url(visit)
    verified_login(client, w.gp)
    html = client.get(reverse("conferences:dashboard")).content.decode()
    assert _url(visit) in html
    # Empty summary: 400 with the form, nothing recorded.
    visit.starts_at = timezone.now() - timedelta(hours=1)
    visit.save()
    assert client.post(_url(visit, "visit_record"), {"summary": ""}).status_code == 400
    response = client.post(_url(visit, "visit_record"), {"summary": "Godt møde.\n<script>x</script>"})
    assert response.status_code == 302
    html = client.get(_url(visit)).content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in html  # escaped, never stripped


def test_a_gp_cannot_plan_visits(client):
    w = world()
    verified_login(client, w.gp)
    assert client.get(reverse("conferences:visit_new")).status_code == 404

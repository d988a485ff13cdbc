"""Evaluations after a stay: only once it has ended, only by the trainee and the supervising GP,
one each (changed, not added, when given again, until the window closes), the supervisor scoring
every learning objective; bad input a Danish 400 that saves nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.stays import evaluations, reports
from portal.stays.models import EVALUATION_WINDOW_DAYS, Assignment, ObjectiveScore, StayEvaluation
from tests.accounts.login import verified_login

from .factories import ended, need, objectives, offer, published, world

pytestmark = pytest.mark.django_db

OF_PRACTICE, OF_STAY = StayEvaluation.Direction.OF_PRACTICE, StayEvaluation.Direction.OF_STAY


def _need_with_objectives(w, goals):
    the_need = need(w)
    the_need.objectives.set(goals)
    return the_need


def _url(stay, side):
    return reverse(f"stays:evaluate_{side}", kwargs={"public_id": stay.public_id})


def test_both_sides_evaluate_an_ended_stay_over_http(client):
    w = world()
    goals = objectives(count=2)
    stay = ended(w, _need_with_objectives(w, goals), offer(w))
    verified_login(client, w.trainee)
    page = client.get(reverse("stays:stay", kwargs={"public_id": stay.public_id})).content.decode()
    assert _url(stay, "practice") in page and _url(stay, "stay") not in page
    response = client.post(_url(stay, "practice"), {"score": "4", "comment": "<b>God</b> vejledning"})
    assert response.status_code == 302
    verified_login(client, w.gp)
    data = {
        "score": "5",
        "comment": "Nåede målene",
        f"objective_{goals[0].pk}": "5",
        f"objective_{goals[1].pk}": "3",
    }
    assert client.post(_url(stay, "stay"), data).status_code == 302
    of_stay = StayEvaluation.objects.get(assignment=stay, direction=OF_STAY)
    assert of_stay.author == w.gp and of_stay.score == 5
    assert dict(of_stay.objective_scores.values_list("objective_id", "score")) == {
        goals[0].pk: 5,
        goals[1].pk: 3,
    }
    of_practice = StayEvaluation.objects.get(assignment=stay, direction=OF_PRACTICE)
    assert of_practice.author == w.trainee and of_practice.comment == "<b>God</b> vejledning"
    # The coordinator reads both on the stay page, the comment escaped, not stripped.
    verified_login(client, w.coordinator)
    page = client.get(reverse("stays:stay", kwargs={"public_id": stay.public_id})).content.decode()
    assert "&lt;b&gt;God&lt;/b&gt; vejledning" in page and "Nåede målene" in page


def test_giving_again_changes_the_one_evaluation():
    w = world()
    stay = ended(w, need(w), offer(w))
    evaluations.evaluation_give(actor=w.trainee, assignment=stay, direction=OF_PRACTICE, score=2)
    evaluations.evaluation_give(
        actor=w.trainee, assignment=stay, direction=OF_PRACTICE, score=4, comment="Bedre"
    )
    assert StayEvaluation.objects.filter(assignment=stay).count() == 1
    assert StayEvaluation.objects.get(assignment=stay).score == 4


def test_not_before_the_stay_has_ended_nor_after_the_window():
    w = world()
    the_offer = offer(w)
    upcoming = published(w, need(w), the_offer)
    for side in ("practice", "trainee"):
        actor = w.gp if side == "practice" else w.trainee
        from portal.stays import services

        services.assignment_confirm(actor=actor, assignment=upcoming, side=side)
    upcoming.refresh_from_db()
    assert upcoming.state == Assignment.State.CONFIRMED
    with pytest.raises(PermissionDenied):
        evaluations.evaluation_give(actor=w.trainee, assignment=upcoming, direction=OF_PRACTICE, score=3)
    long_ago = timezone.localdate() - timedelta(days=EVALUATION_WINDOW_DAYS + 30)
    old = ended(
        w,
        need(w, trainee=w.other_trainee.__class__.objects.get(pk=w.trainee.pk)),
        offer(w, practice=w.second_practice, gp=w.second_gp),
        start=long_ago - timedelta(days=long_ago.weekday()),
    )
    with pytest.raises(PermissionDenied):
        evaluations.evaluation_give(actor=w.trainee, assignment=old, direction=OF_PRACTICE, score=3)
    assert not StayEvaluation.objects.exists()


def test_only_the_trainee_and_the_supervisor_evaluate(client):
    w = world()
    stay = ended(w, need(w), offer(w))
    colleague = __import__("tests.stays.factories", fromlist=["member"]).member(w.practice, "gp")
    for actor, direction in [
        (w.gp, OF_PRACTICE),
        (w.trainee, OF_STAY),
        (colleague, OF_STAY),
        (w.coordinator, OF_STAY),
        (w.other_trainee, OF_PRACTICE),
    ]:
        with pytest.raises(PermissionDenied):
            evaluations.evaluation_give(actor=actor, assignment=stay, direction=direction, score=3)
    verified_login(client, colleague)
    assert client.get(_url(stay, "stay")).status_code == 404
    assert not StayEvaluation.objects.exists()


def test_the_supervisor_scores_every_objective_or_nothing_is_saved(client):
    w = world()
    goals = objectives(count=2)
    stay = ended(w, _need_with_objectives(w, goals), offer(w))
    with pytest.raises(ValidationError):
        evaluations.evaluation_give(
            actor=w.gp, assignment=stay, direction=OF_STAY, score=4, objective_scores={goals[0].pk: 4}
        )
    verified_login(client, w.gp)
    for bad in (
        {"score": "4", f"objective_{goals[0].pk}": "4"},
        {"score": "9", f"objective_{goals[0].pk}": "4", f"objective_{goals[1].pk}": "4"},
        {"score": "4", f"objective_{goals[0].pk}": "0", f"objective_{goals[1].pk}": "4"},
        {"score": "x"},
    ):
        response = client.post(_url(stay, "stay"), bad)
        assert response.status_code == 400, bad
        assert "kunne ikke gemmes" in response.content.decode()
    assert not StayEvaluation.objects.exists() and not ObjectiveScore.objects.exists()


def test_each_party_reads_what_is_theirs_and_the_practice_its_summary(client):
    w = world()
    goals = objectives(count=1)
    the_offer = offer(w)
    stay = ended(w, _need_with_objectives(w, goals), the_offer)
    evaluations.evaluation_give(
        actor=w.trainee, assignment=stay, direction=OF_PRACTICE, score=2, comment="Travlt"
    )
    evaluations.evaluation_give(
        actor=w.gp, assignment=stay, direction=OF_STAY, score=5, objective_scores={goals[0].pk: 4}
    )
    colleague = __import__("tests.stays.factories", fromlist=["member"]).member(w.practice, "gp")
    assert set(reports.evaluations_for(stay, w.coordinator)) == {OF_PRACTICE, OF_STAY}
    assert set(reports.evaluations_for(stay, w.trainee)) == {OF_PRACTICE, OF_STAY}
    assert set(reports.evaluations_for(stay, w.gp)) == {OF_STAY}
    assert reports.evaluations_for(stay, colleague) == {}
    # The practice sees its averages on its offer page, not the trainee's words.
    verified_login(client, colleague)
    page = client.get(reverse("stays:offer", kwargs={"public_id": the_offer.public_id})).content.decode()
    assert "2,0 / 5" in page and "Travlt" not in page and goals[0].title in page

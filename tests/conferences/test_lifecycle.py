"""A conference's life, every order of events: requested, escalated, accepted, open, notes, closed.

Hypothesis is not installed, so this is the exhaustive form of its state-machine test: a
depth-first walk over every sequence of actions up to ``DEPTH`` steps, each step in a
savepoint that is rolled back before the next sibling is tried. After each step the
database must agree with a small model of the rules:

- a request escalates once to the next on duty, then the requester is told nobody is left;
- only the specialist currently asked accepts; accepting opens the conference;
- the overview exists exactly while the conference is open (with a patient);
- closing is possible only when open; the note and the résumé are written once each, by
  their authors, once the conference has been accepted;
- a closed conference missing the GP's résumé is a task on the GP's dashboard.

A refused action changes nothing, so the walk does not go deeper below it.
"""

from dataclasses import dataclass, replace
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from portal.conferences import selectors, services
from portal.conferences.models import Conference, ConferenceNote, PatientOverview

from .factories import on_duty, request_from_gp, world

pytestmark = pytest.mark.django_db

DEPTH = 6
ACTIONS = ("escalate", "accept", "accept_wrong", "overview", "close", "note", "resume")


@dataclass(frozen=True)
class Model:
    status: str = "requested"
    asked: str = "specialist"  # which specialist holds the request
    escalations: int = 0
    unanswered: bool = False
    note: bool = False
    resume: bool = False


def _expected(m: Model, action: str) -> Model | None:
    """The model after ``action``, or None when the rules refuse it."""
    if action == "escalate":
        if m.status != "requested" or m.unanswered:
            return replace(m, escalations=m.escalations + 1)  # nothing is due: a no-op
        if m.asked == "specialist":
            return replace(m, asked="next_specialist", escalations=m.escalations + 1)
        return replace(m, unanswered=True, escalations=m.escalations + 1)
    if action == "accept":
        return replace(m, status="open") if m.status == "requested" else None
    if action == "accept_wrong":
        return None
    if action == "overview":
        return m if m.status == "open" else None
    if action == "close":
        return replace(m, status="closed") if m.status == "open" else None
    if action == "note":
        return replace(m, note=True) if m.status != "requested" and not m.note else None
    if action == "resume":
        return replace(m, resume=True) if m.status != "requested" and not m.resume else None
    raise AssertionError(action)


def _other(name: str) -> str:
    return "next_specialist" if name == "specialist" else "specialist"


def _apply(w, conference, m: Model, action: str, t0):
    people = {"specialist": w.specialist, "next_specialist": w.next_specialist}
    if action == "escalate":
        services.conference_escalate_due(now=t0 + timedelta(minutes=16 * (m.escalations + 1)))
    elif action == "accept":
        services.conference_accept(conference=conference, user=people[m.asked])
    elif action == "accept_wrong":
        services.conference_accept(conference=conference, user=people[_other(m.asked)])
    elif action == "overview":
        services.overview_update(
            conference=conference, actor=w.gp, diagnoses=[("I48", "AF")], frailty_score=5
        )
    elif action == "close":
        services.conference_close(conference=conference, actor=w.gp)
    elif action == "note":
        services.conference_note_write(conference=conference, author=people[m.asked], text="Notat")
    elif action == "resume":
        services.conference_resume_write(conference=conference, author=w.gp, text="Resumé")


def _check(w, conference, m: Model, path) -> None:
    conference.refresh_from_db()
    assert conference.status == m.status, path
    assert conference.specialist_id == getattr(w, m.asked).pk, path
    assert bool(conference.unanswered_at) == m.unanswered, path
    assert PatientOverview.objects.filter(conference=conference).exists() == (m.status == "open"), path
    notes = set(ConferenceNote.objects.filter(conference=conference).values_list("kind", flat=True))
    assert notes == {k for k, v in (("note", m.note), ("resume", m.resume)) if v}, path
    if path[-1] in ("close", "resume"):  # the steps that can change the GP's task list
        gp_tasks = [c.pk for c in selectors.dashboard(w.gp).tasks]
        assert (conference.pk in gp_tasks) == (m.status == "closed" and not m.resume), path


def test_every_sequence_of_actions_keeps_the_rules():
    w = world()
    t0 = timezone.now()
    on_duty(w, now=t0, hours_ahead=24)
    on_duty(w, w.next_specialist, now=t0, hours_ahead=24)
    conference = request_from_gp(w, now=t0)
    assert conference.status == Conference.Status.REQUESTED
    visited = {"steps": 0, "refused": 0}
    full_lives = set()

    def walk(m: Model, path: tuple, depth: int) -> None:
        if depth == DEPTH:
            return
        for action in ACTIONS:
            step = (*path, action)
            expected = _expected(m, action)
            sid = transaction.savepoint()
            try:
                try:
                    _apply(w, conference, m, action, t0)
                except (ValidationError, PermissionDenied):
                    assert expected is None, f"{step} was refused"
                    visited["refused"] += 1
                    _check(w, conference, m, step)  # a refusal changes nothing
                    continue
                assert expected is not None, f"{step} should have been refused"
                visited["steps"] += 1
                _check(w, conference, expected, step)
                if action == "escalate" and replace(expected, escalations=m.escalations) == m:
                    continue  # nothing was due: the subtree repeats its parent's
                if expected.status == "closed" and expected.note and expected.resume:
                    full_lives.add(step)
                walk(expected, step, depth + 1)
            finally:
                transaction.savepoint_rollback(sid)
                # The savepoint undid the rows; forget what the user objects cached.
                for user in (w.gp, w.specialist, w.next_specialist):
                    user.__dict__.pop("_accounts_memberships", None)

    walk(Model(), (), 0)
    # The full life was among the walks: escalated, accepted, overview, closed, both notes.
    assert ("escalate", "accept", "overview", "close", "note", "resume") in full_lives
    assert visited["steps"] > 300 and visited["refused"] > 300, visited

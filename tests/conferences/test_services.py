"""Conference services: rosters, requests, accepting, escalation, closing, notes, the overview."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from portal.audit.models import AccessLogEntry
from portal.conferences import selectors, services
from portal.conferences.models import (
    Conference,
    ConferenceEvent,
    ConferenceNote,
    DutyPeriod,
    OverviewDiagnosis,
    PatientOverview,
)
from portal.outbox.models import OutboxEmail

from .factories import CPR, on_duty, request_from_gp, request_from_hospital, world

pytestmark = pytest.mark.django_db


# --- Rosters ---------------------------------------------------------------------------------


def test_a_duty_period_copies_specialty_and_area_from_the_department():
    w = world()
    period = on_duty(w)
    assert period.specialty_id == w.department.specialty_id
    assert period.health_council_area_id == w.area.pk


@pytest.mark.parametrize(
    "who, change, field",
    [
        ("colleague", {}, "specialist"),  # a specialist without the conference flag
        ("gp", {}, "specialist"),
        ("specialist", {"video_url": "http://video.example.dk/x"}, "video_url"),
        ("specialist", {"ends": -2}, "ends_at"),
    ],
)
def test_a_duty_period_is_refused_for_the_wrong_person_or_times(who, change, field):
    w = world()
    now = timezone.now()
    with pytest.raises(ValidationError) as caught:
        services.duty_period_create(
            specialist=getattr(w, who),
            department=w.department,
            starts_at=now,
            ends_at=now + timedelta(hours=change.get("ends", 8)),
            phone="1234",
            video_url=change.get("video_url", ""),
        )
    assert field in caught.value.message_dict
    assert DutyPeriod.objects.count() == 0


def test_who_is_on_now_and_who_is_next():
    w = world()
    now = timezone.now()
    current = on_duty(w, now=now)
    later = on_duty(w, w.next_specialist, hours_ago=-10, hours_ahead=18, now=now)
    geriatri = w.department.specialty
    assert list(selectors.on_duty(specialty=geriatri, area=w.area, at=now)) == [current]
    assert selectors.next_on_duty(specialty=geriatri, area=w.area, at=now) == later
    # At the end instant the period is over (starts_at <= at < ends_at).
    assert not selectors.on_duty(specialty=geriatri, area=w.area, at=current.ends_at).exists()


# --- Requests from a GP ----------------------------------------------------------------------


def test_a_gp_request_goes_to_the_specialist_on_duty(django_capture_on_commit_callbacks):
    w = world()
    on_duty(w)
    now = timezone.now()
    conference = request_from_gp(w, now=now)
    assert conference.status == Conference.Status.REQUESTED
    assert conference.specialist == w.specialist
    assert conference.gp == w.gp
    assert conference.escalate_at == now + timedelta(minutes=15)
    assert [e.kind for e in conference.events.all()] == ["requested", "offered"]
    email = OutboxEmail.objects.get()
    assert email.to == [w.specialist.email]
    # A link and the practice's name; never the topic or the CPR number.
    assert str(conference.public_id) in email.body
    assert "Skrøbelig" not in email.body + email.subject
    assert "0707" not in email.body
    assert AccessLogEntry.objects.filter(object_type="conferences.conference", action="create").count() == 1


def test_with_nobody_on_duty_the_request_is_refused_with_a_reason():
    w = world()
    with pytest.raises(ValidationError) as caught:
        request_from_gp(w)
    assert "specialty" in caught.value.message_dict
    assert Conference.objects.count() == 0


def test_a_gp_cannot_ask_from_another_practice():
    w = world()
    on_duty(w)
    with pytest.raises(PermissionDenied):
        request_from_gp(w, requester=w.other_gp)


def test_the_same_form_twice_is_one_request():
    w = world()
    on_duty(w)
    import uuid

    token = uuid.uuid4()
    first = request_from_gp(w, client_token=token)
    second = request_from_gp(w, client_token=token)
    assert first == second and Conference.objects.count() == 1


def test_an_oversized_topic_is_refused():
    w = world()
    on_duty(w)
    with pytest.raises(ValidationError):
        request_from_gp(w, topic="x" * 201)


# --- Accepting, escalating -------------------------------------------------------------------


def test_accepting_opens_the_conference_and_tells_the_requester():
    w = world()
    on_duty(w)
    conference = request_from_gp(w)
    services.conference_accept(conference=conference, user=w.specialist)
    conference.refresh_from_db()
    assert conference.status == Conference.Status.OPEN and conference.accepted_at
    assert conference.escalate_at is None
    assert PatientOverview.objects.filter(conference=conference).exists()
    assert OutboxEmail.objects.filter(to=[w.gp.email]).exists()
    with pytest.raises(ValidationError):
        services.conference_accept(conference=conference, user=w.specialist)


def test_only_the_specialist_asked_accepts():
    w = world()
    on_duty(w)
    conference = request_from_gp(w)
    for user in (w.next_specialist, w.colleague, w.gp):
        with pytest.raises(PermissionDenied):
            services.conference_accept(conference=conference, user=user)


def test_an_unaccepted_request_escalates_to_the_next_on_duty():
    w = world()
    on_duty(w)
    on_duty(w, w.next_specialist)
    now = timezone.now()
    conference = request_from_gp(w, now=now)
    assert services.conference_escalate_due(now=now + timedelta(minutes=14)) == {
        "escalated": 0,
        "unanswered": 0,
    }
    assert services.conference_escalate_due(now=now + timedelta(minutes=15)) == {
        "escalated": 1,
        "unanswered": 0,
    }
    conference.refresh_from_db()
    assert conference.specialist == w.next_specialist
    assert conference.escalate_at == now + timedelta(minutes=30)
    assert OutboxEmail.objects.filter(to=[w.next_specialist.email]).exists()
    assert OutboxEmail.objects.filter(to=[w.gp.email], key__contains="escalated").exists()
    # The first one asked no longer holds it.
    with pytest.raises(PermissionDenied):
        services.conference_accept(conference=conference, user=w.specialist)
    services.conference_accept(conference=conference, user=w.next_specialist)


def test_with_nobody_else_on_duty_the_requester_is_offered_correspondence():
    w = world()
    on_duty(w)
    now = timezone.now()
    conference = request_from_gp(w, now=now)
    assert services.conference_escalate_due(now=now + timedelta(minutes=20)) == {
        "escalated": 0,
        "unanswered": 1,
    }
    conference.refresh_from_db()
    assert conference.unanswered_at and conference.escalate_at is None
    assert conference.events.filter(kind=ConferenceEvent.Kind.UNANSWERED).count() == 1
    email = OutboxEmail.objects.get(key__contains="unanswered")
    assert email.to == [w.gp.email] and "/korrespondance/ny/" in email.body
    # Told once, and the specialist last asked can still accept.
    assert services.conference_escalate_due(now=now + timedelta(hours=1)) == {"escalated": 0, "unanswered": 0}
    services.conference_accept(conference=conference, user=w.specialist)


def test_the_escalation_time_is_a_setting(settings):
    settings.CONFERENCE_ESCALATION_MINUTES = 5
    w = world()
    on_duty(w)
    on_duty(w, w.next_specialist)
    now = timezone.now()
    request_from_gp(w, now=now)
    assert services.conference_escalate_due(now=now + timedelta(minutes=5))["escalated"] == 1


def test_the_escalation_command():
    w = world()
    on_duty(w)
    now = timezone.now()
    request_from_gp(w, now=now - timedelta(minutes=30))
    out = StringIO()
    call_command("conferences_escalate", stdout=out)
    assert "uden nogen på vagt: 1" in out.getvalue()


# --- Closing and notes -----------------------------------------------------------------------


def _open(w):
    on_duty(w)
    conference = request_from_gp(w)
    return services.conference_accept(conference=conference, user=w.specialist)


def test_closing_deletes_the_overview_rows():
    w = world()
    conference = _open(w)
    services.overview_update(
        conference=conference, actor=w.gp, diagnoses=[("J44.1", "KOL i exacerbation")], frailty_score=6
    )
    assert OverviewDiagnosis.objects.count() == 1
    services.conference_close(conference=conference, actor=w.specialist)
    assert PatientOverview.objects.count() == 0
    assert OverviewDiagnosis.objects.count() == 0
    conference.refresh_from_db()
    assert conference.status == Conference.Status.CLOSED and conference.closed_at
    with pytest.raises(ValidationError):
        services.overview_update(conference=conference, actor=w.gp, diagnoses=[])


def test_the_specialists_note_goes_to_the_practice_once():
    w = world()
    conference = services.conference_close(conference=_open(w), actor=w.specialist)
    with pytest.raises(PermissionDenied):
        services.conference_note_write(conference=conference, author=w.gp, text="Notat")
    services.conference_note_write(conference=conference, author=w.specialist, text="Vi aftalte seponering.")
    email = OutboxEmail.objects.get(key__contains="conference.note")
    assert email.to == [w.gp.email] and "seponering" not in email.body
    with pytest.raises(ValidationError):
        services.conference_note_write(conference=conference, author=w.specialist, text="Igen")
    assert ConferenceNote.objects.filter(kind="note").count() == 1


def _task_ids(user) -> list[int]:
    return [entry.pk for entry in selectors.dashboard(user).tasks]


def test_the_gps_resume_and_the_task_lists():
    w = world()
    conference = services.conference_close(conference=_open(w), actor=w.specialist)
    assert _task_ids(w.gp) == [conference.pk]
    assert _task_ids(w.specialist) == [conference.pk]
    with pytest.raises(PermissionDenied):
        services.conference_resume_write(conference=conference, author=w.specialist, text="x")
    services.conference_resume_write(conference=conference, author=w.gp, text="Résumé til journalen.")
    # Without both notes the conference stays a task for both; only the specialist's is his to write.
    assert _task_ids(w.gp) == [conference.pk] == _task_ids(w.specialist)
    (gp_task,) = selectors.dashboard(w.gp).tasks
    (specialist_task,) = selectors.dashboard(w.specialist).tasks
    assert not gp_task.own_note_missing(w.gp.pk) and specialist_task.own_note_missing(w.specialist.pk)
    services.conference_note_write(conference=conference, author=w.specialist, text="Notat.")
    assert _task_ids(w.specialist) == [] == _task_ids(w.gp)
    row = selectors.conference_list(since=timezone.now() - timedelta(days=1)).get()
    assert row.has_note and row.has_resume


def test_notes_refuse_empty_and_oversized_text():
    w = world()
    conference = _open(w)
    for text in ("   ", "x" * 4001, "a\x00b"):
        with pytest.raises(ValidationError):
            services.conference_note_write(conference=conference, author=w.specialist, text=text)


# --- The overview ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"diagnoses": [("J441", "uden punktum er ikke ICD-10 her")]},
        {"diagnoses": [("", "uden kode")]},
        {"diagnoses": [("I48", "")]},
        {"diagnoses": [], "frailty_score": 10},
        {"diagnoses": [], "frailty_score": 0},
        {"diagnoses": [], "treatment_level": "alt"},
        {"diagnoses": [("I48", "AF")] * 21},
    ],
)
def test_the_overview_refuses_bad_values_and_keeps_the_old_ones(kwargs):
    w = world()
    conference = _open(w)
    services.overview_update(conference=conference, actor=w.specialist, diagnoses=[("I48", "Atrieflimren")])
    with pytest.raises(ValidationError):
        services.overview_update(conference=conference, actor=w.gp, **kwargs)
    assert list(OverviewDiagnosis.objects.values_list("code", flat=True)) == ["I48"]


def test_the_overview_is_written_by_either_participant_and_logged():
    w = world()
    conference = _open(w)
    before = AccessLogEntry.objects.count()
    overview = services.overview_update(
        conference=conference,
        actor=w.gp,
        diagnoses=[("e11.9", "Type 2-diabetes"), ("I48", "Atrieflimren")],
        treatment_level="no_resuscitation",
        frailty_score=7,
        medication="Metformin 500 mg x 2",
        note="<script>alert(1)</script>",
    )
    assert [d.code for d in overview.diagnoses.all()] == ["E11.9", "I48"]
    assert overview.note == "<script>alert(1)</script>"  # kept as written; escaped when shown
    assert AccessLogEntry.objects.count() == before + 1
    with pytest.raises(PermissionDenied):
        services.overview_update(conference=conference, actor=w.gp_colleague, diagnoses=[])


def test_a_conference_without_a_patient_has_no_overview():
    w = world()
    on_duty(w)
    conference = request_from_gp(w, patient_cpr="")
    conference = services.conference_accept(conference=conference, user=w.specialist)
    assert not PatientOverview.objects.exists()
    with pytest.raises(ValidationError):
        services.overview_update(conference=conference, actor=w.gp, diagnoses=[])


# --- Hospital-initiated ----------------------------------------------------------------------


def test_a_hospital_request_goes_to_the_practices_gps_and_one_accepts():
    w = world()
    conference = request_from_hospital(w)
    assert conference.initiated_by == "hospital" and conference.gp is None
    assert conference.escalate_at is None
    assert sorted(email.to[0] for email in OutboxEmail.objects.all()) == sorted(
        [w.gp.email, w.gp_colleague.email]
    )
    assert [e.pk for e in selectors.dashboard(w.gp_colleague).waiting_for_me] == [conference.pk]
    with pytest.raises(PermissionDenied):
        services.conference_accept(conference=conference, user=w.other_gp)
    services.conference_accept(conference=conference, user=w.gp_colleague)
    conference.refresh_from_db()
    assert conference.gp == w.gp_colleague
    assert selectors.dashboard(w.gp).waiting_for_me == []
    assert [e.pk for e in selectors.dashboard(w.gp_colleague).open] == [conference.pk]


@pytest.mark.parametrize("kind", ["vulnerable", "discharge", "palliative"])
def test_each_hospital_kind_needs_its_template_answered(kind):
    w = world()
    with pytest.raises(ValidationError):
        request_from_hospital(w, kind=kind, template_answers={})
    conference = request_from_hospital(w, kind=kind)
    assert len(conference.template_answers) == 3


def test_a_hospital_request_needs_a_patient_and_a_hospital_specialist():
    w = world()
    with pytest.raises(ValidationError):
        request_from_hospital(w, patient_cpr="")
    with pytest.raises(PermissionDenied):
        request_from_hospital(w, requester=w.secretary)
    assert Conference.objects.count() == 0
    assert CPR  # the factories' fictitious patient

"""Demo conferences for `make run`: a roster for the demo area, a conference in every state,
a drop-in hour today, and two joint case sessions (one upcoming with two submitted cases, one
held with published minutes).

Only with demo users (development). Idempotent: duty periods are recognised by specialist
and start, conferences by requester and topic. The CPR number is fictitious.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from portal.accounts.models import User

from . import case_session_services
from .drop_in_services import drop_in_publish
from .models import CaseSession, Conference, DropInHour, DutyPeriod
from .questions import questions_for
from .services import (
    conference_accept,
    conference_close,
    conference_note_write,
    conference_request,
    conference_resume_write,
    duty_period_create,
    overview_update,
)

DEMO_CPR = "0707611006"
VIDEO_URL = "https://video.samspil.test/geriatri-aarhus"
ROSTER_DAYS_BACK, ROSTER_DAYS_AHEAD = 14, 14


def _organisation(user, role):
    membership = user.memberships.filter(role=role).select_related("organisation").first()
    return membership.organisation if membership else None


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _roster(specialist: User, department) -> int:
    """The demo specialist on duty round the clock, day by day, so "who is on now" always answers."""
    today = timezone.localdate()
    existing = set(DutyPeriod.objects.filter(specialist=specialist).values_list("starts_at", flat=True))
    made = 0
    for offset in range(-ROSTER_DAYS_BACK, ROSTER_DAYS_AHEAD + 1):
        starts = _day_start(today + timedelta(days=offset))
        if starts in existing:
            continue
        duty_period_create(
            specialist=specialist,
            department=department,
            starts_at=starts,
            ends_at=_day_start(today + timedelta(days=offset + 1)),
            phone="+45 78 45 00 00",
            video_url=VIDEO_URL,
        )
        made += 1
    return made


DROP_IN_VIDEO_URL = "https://video.samspil.test/drop-in-geriatri"


def _drop_in_today(specialist: User, department) -> DropInHour:
    """A drop-in hour today that has not ended: at 14:00, or from the last quarter hour if later."""
    now = timezone.localtime()
    existing = DropInHour.objects.filter(host=specialist, starts_at__date=now.date()).first()
    if existing is not None:
        return existing
    starts = now.replace(hour=14, minute=0, second=0, microsecond=0)
    if now >= starts:
        starts = now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)
    return drop_in_publish(
        host=specialist,
        department=department,
        starts_at=starts,
        video_url=DROP_IN_VIDEO_URL,
        title="Demens og adfærdsforstyrrelser",
        now=starts - timedelta(days=1),  # published yesterday
    )


CASE_SESSION_VIDEO_URL = "https://video.samspil.test/casekonference-geriatri"
UPCOMING_SESSION = "Medicingennemgang hos den skrøbelige ældre"
HELD_SESSION = "Fald og svimmelhed hos ældre"


def _at_15(days: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(15, 0)))


def _case_sessions(specialist: User, department, gp: User) -> None:
    """An upcoming session with two submitted cases, and a held one with published minutes.

    Sessions are planned ahead and cases submitted before the start, so the held session is
    made as an upcoming one and then moved back a week before its minutes are written.
    Recognised by organiser and theme.
    """
    titles = set(CaseSession.objects.filter(organiser=specialist).values_list("title", flat=True))
    if UPCOMING_SESSION not in titles:
        session = case_session_services.case_session_plan(
            organiser=specialist,
            department=department,
            title=UPCOMING_SESSION,
            starts_at=_at_15(7),
            video_url=CASE_SESSION_VIDEO_URL,
            max_cases=5,
        )
        for question, description, age_band, sex in (
            (
                "Hvilke præparater bør seponeres først?",
                "Kvinde i 80'erne med 14 faste præparater, faldtendens og let kognitiv svækkelse. "
                "Bor alene med hjemmepleje.",
                "80+",
                "female",
            ),
            (
                "Statin efter 85 år: fortsætte eller stoppe?",
                "Mand med iskæmisk hjertesygdom for 10 år siden, nu skrøbelig (CFS 6) og vægttab.",
                "80+",
                "male",
            ),
        ):
            case_session_services.session_case_submit(
                session=session, gp=gp, question=question, description=description, age_band=age_band, sex=sex
            )
    if HELD_SESSION not in titles:
        session = case_session_services.case_session_plan(
            organiser=specialist,
            department=department,
            title=HELD_SESSION,
            starts_at=_at_15(1),
            video_url=CASE_SESSION_VIDEO_URL,
        )
        case = case_session_services.session_case_submit(
            session=session,
            gp=gp,
            question="Ortostatisk hypotension: hvornår reducere antihypertensiva?",
            description="Kvinde i 80'erne, BT 150/85 siddende og 115/70 stående, to fald i år.",
            age_band="80+",
            sex="female",
        )
        case_session_services.session_case_accept(case=case, actor=specialist)
        CaseSession.objects.filter(pk=session.pk).update(starts_at=_at_15(-7))
        session.refresh_from_db()
        case_session_services.case_session_minutes_save(
            session=session,
            actor=specialist,
            minutes="Vi gennemgik **ortostatisk BT-måling** i praksis og aftalte en fælles tjekliste.",
            answers={
                str(case.public_id): "Mål BT liggende og efter 1 og 3 minutters stående. "
                "Ved fald over 20/10 mmHg: reducer først diuretika og alfablokkere."
            },
            publish=True,
        )


@transaction.atomic
def demo_conferences_load() -> int:
    """Create the demo roster and conferences that are missing; returns how many conferences exist."""
    gp = User.objects.filter(email="laege@samspil.test").first()
    specialist = User.objects.filter(email="speciallaege@samspil.test").first()
    if gp is None or specialist is None:
        return 0
    practice = _organisation(gp, "gp")
    department = _organisation(specialist, "hospital_specialist")
    if practice is None or department is None:
        return 0
    _roster(specialist, department)
    _drop_in_today(specialist, department)
    _case_sessions(specialist, department, gp)
    now = timezone.now()
    topics = set(Conference.objects.filter(requester__in=[gp, specialist]).values_list("topic", flat=True))

    def from_gp(topic, *, hours_ago, mode=Conference.Mode.VIDEO, patient=True):
        conference, _created = conference_request(
            requester=gp,
            practice=practice,
            specialty=department.specialty,
            topic=topic,
            urgency=Conference.Urgency.TODAY,
            mode=mode,
            patient_cpr=DEMO_CPR if patient else "",
            now=now - timedelta(hours=hours_ago),
        )
        return conference

    topic = "Ny uro og forvirring hos 84-årig: delir eller demens?"
    if topic not in topics:
        from_gp(topic, hours_ago=0)  # requested, waiting for the specialist
    topic = "Polyfarmaci hos skrøbelig 88-årig efter fald"
    if topic not in topics:
        conference = from_gp(topic, hours_ago=1)
        conference_accept(conference=conference, user=specialist, now=now - timedelta(minutes=50))
        overview_update(
            conference=conference,
            actor=gp,
            diagnoses=[
                ("I48", "Atrieflimren"),
                ("N18.3", "Kronisk nyresygdom, stadie 3"),
                ("R29.6", "Faldtendens"),
            ],
            treatment_level="no_resuscitation",
            frailty_score=6,
            medication="Apixaban 2,5 mg x 2\nFurosemid 40 mg x 1\nOxazepam 15 mg x 2",
            note="Bor alene, hjemmepleje 2 gange dagligt.",
            now=now - timedelta(minutes=45),
        )
    topic = "Ortostatisk hypotension: hvornår seponere antihypertensiva?"
    if topic not in topics:
        conference = from_gp(topic, hours_ago=26, mode=Conference.Mode.PHONE)
        conference_accept(conference=conference, user=specialist, now=now - timedelta(hours=25, minutes=55))
        conference_close(conference=conference, actor=specialist, now=now - timedelta(hours=25, minutes=30))
        # Neither note written yet: a task on both dashboards.
    topic = "Generelt: screening for skrøbelighed i praksis"
    if topic not in topics:
        conference = from_gp(topic, hours_ago=72, mode=Conference.Mode.WRITTEN, patient=False)
        conference_accept(conference=conference, user=specialist, now=now - timedelta(hours=71))
        conference_close(conference=conference, actor=gp, now=now - timedelta(hours=70))
        conference_note_write(
            conference=conference,
            author=specialist,
            text="Clinical Frailty Scale ved årskontrol for 75+; ved CFS 6 eller mere: medicingennemgang.",
            now=now - timedelta(hours=69),
        )
        conference_resume_write(
            conference=conference,
            author=gp,
            text="Aftalt CFS ved årskontrol; tjekliste i klinikmanualen.",
            now=now - timedelta(hours=68),
        )
    topic = "Udskrivelse efter 5 ugers indlæggelse med pneumoni og delir"
    if topic not in topics:
        conference_request(
            requester=specialist,
            kind=Conference.Kind.DISCHARGE,
            department=department,
            practice=practice,
            topic=topic,
            urgency=Conference.Urgency.PLANNED,
            mode=Conference.Mode.VIDEO,
            template_answers=dict(
                zip(
                    [key for key, _question in questions_for(Conference.Kind.DISCHARGE)],
                    [
                        "Genoptræning i hjemmet, ernæringsplan, tilbage i egen bolig.",
                        "Blodprøver og vægt om en uge; kan praksis nå et hjemmebesøg?",
                        "Geriatrisk ambulatorium om 4 uger.",
                    ],
                    strict=True,
                )
            ),
            patient_cpr=DEMO_CPR,
            now=now - timedelta(hours=2),
        )
    return Conference.objects.filter(requester__in=[gp, specialist]).count()

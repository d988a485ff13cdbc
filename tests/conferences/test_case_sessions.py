"""Joint case sessions: planning, signing up, anonymised cases (CPR-shaped text refused, nothing
saved), the agenda, minutes with their e-mail, the FAQ draft, the pages, the authorisation
matrix and constant query counts."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.accounts.roles import Role
from portal.conferences import case_session_services as services
from portal.conferences.case_session_selectors import case_sessions_for
from portal.conferences.models import CaseSession, CaseSessionParticipant, SessionCase
from portal.outbox.models import OutboxEmail
from portal.patients.cpr_shape import contains_cpr_shaped
from tests.accounts.factories import HealthCouncilAreaFactory, PracticeFactory, UserFactory
from tests.accounts.login import verified_login
from tests.authz import assert_authorisation_matrix, http_ok, perm

from .factories import case_session, member, move_to_past, session_case, world

pytestmark = pytest.mark.django_db


def _url(obj, name="case_session"):
    return reverse(f"conferences:{name}", kwargs={"public_id": obj.public_id})


def _far_gp():
    return member(
        PracticeFactory(health_council_area=HealthCouncilAreaFactory()), Role.GP, first_name="Fjern"
    )


def _published(w, session, *cases):
    """Accept the cases, hold the session, answer each case and publish the minutes."""
    for case in cases:
        services.session_case_accept(case=case, actor=w.specialist)
    move_to_past(session)
    return services.case_session_minutes_save(
        session=session,
        actor=w.specialist,
        minutes="Vi talte om **seponering** hos skrøbelige.",
        answers={str(c.public_id): f"Svar på {c.question}" for c in cases},
        publish=True,
    )


# --- The CPR guard ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "010203-1234",
        "0102031234",
        "010203 1234",
        "Pt. 070761-4285 har fald",
        "cpr:0707614285.",
        "310299-1234",  # a date, a check digit that fails: a mistyped CPR is still a CPR
        "300299-1111",  # 30 February: not a real date, still CPR-shaped
        "010203\u20131234",  # an en dash
        "０１０２０３－１２３４".replace("－", "-"),  # full-width digits
    ],
)
def test_cpr_shaped_text_is_recognised(text):
    assert contains_cpr_shaped(text)


@pytest.mark.parametrize(
    "text",
    [
        "EF 35 %, BT 120/80, puls 72",
        "Tlf. 70 10 20 30",
        "Apixaban 2,5 mg x 2 i 12 måneder",
        "12345678901234",  # a long run of digits is not a CPR number
        "999999-1234",  # not date-shaped
        "011399-1234",  # month 13
        "Dosis <i.v.> 5 mg",
    ],
)
def test_clinical_text_without_a_cpr_number_passes(text):
    assert not contains_cpr_shaped(text)


# --- Planning and signing up -----------------------------------------------------------------


def test_a_conference_specialist_plans_a_session_for_the_department_area():
    w = world()
    session = case_session(w)
    assert session.specialty == w.department.specialty
    assert session.health_council_area == w.area
    assert session.max_cases == 6


def test_only_a_conference_specialist_of_the_department_plans():
    w = world()
    for user in (w.colleague, w.gp, w.secretary, UserFactory(is_superuser=True, is_staff=True)):
        with pytest.raises(PermissionDenied):
            case_session(w, organiser=user)
    assert not CaseSession.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"video_url": "http://video.example.dk/x"}, "video_url"),
        ({"duration_minutes": 10}, "duration_minutes"),
        ({"max_cases": 0}, "max_cases"),
        ({"max_cases": 99}, "max_cases"),
        ({"starts_in_minutes": -60}, "starts_at"),
        ({"title": "Om 010203-1234"}, "title"),
    ],
)
def test_bad_sessions_are_refused_with_nothing_saved(changes, field):
    w = world()
    with pytest.raises(ValidationError) as refused:
        case_session(w, **changes)
    assert field in refused.value.error_dict
    assert not CaseSession.objects.exists()


def test_gps_of_the_area_sign_up_once_and_others_cannot():
    w = world()
    session = case_session(w)
    services.case_session_sign_up(session=session, gp=w.gp)
    services.case_session_sign_up(session=session, gp=w.gp)
    assert CaseSessionParticipant.objects.filter(session=session).count() == 1
    for user in (_far_gp(), w.specialist, UserFactory(is_superuser=True, is_staff=True)):
        with pytest.raises(PermissionDenied):
            services.case_session_sign_up(session=session, gp=user)
    move_to_past(session)
    with pytest.raises(PermissionDenied):
        services.case_session_sign_up(session=session, gp=w.gp_colleague)


# --- Cases -------------------------------------------------------------------------------------


def test_a_gp_submits_an_anonymised_case_and_is_signed_up_with_it():
    w = world()
    session = case_session(w)
    case = session_case(session, w.gp)
    assert case.status == SessionCase.Status.SUBMITTED
    assert case.description.endswith("Dosis <i.v.> 5 mg.")  # stored as written
    assert CaseSessionParticipant.objects.filter(session=session, gp=w.gp).exists()


@pytest.mark.parametrize("field", ["question", "description"])
@pytest.mark.parametrize("cpr", ["070761-4285", "0707614285", "070761 4285", "310299-1234"])
def test_a_case_with_a_cpr_number_is_refused_with_nothing_saved(field, cpr):
    w = world()
    session = case_session(w)
    with pytest.raises(ValidationError) as refused:
        session_case(session, w.gp, **{field: f"Patient {cpr} med fald"})
    assert field in refused.value.error_dict
    assert "CPR" in " ".join(refused.value.error_dict[field][0].messages)
    assert not SessionCase.objects.exists()
    assert not CaseSessionParticipant.objects.exists()


def test_the_cap_on_cases_counts_waiting_and_accepted_not_declined():
    w = world()
    session = case_session(w, max_cases=2)
    first = session_case(session, w.gp)
    session_case(session, w.gp_colleague)
    with pytest.raises(ValidationError):
        session_case(session, w.other_gp)
    services.session_case_decline(case=first, actor=w.specialist, reason="Bedre som konference.")
    session_case(session, w.other_gp)
    assert SessionCase.objects.count() == 3


def test_cases_cannot_be_submitted_from_outside_the_area_or_after_the_start():
    w = world()
    session = case_session(w)
    with pytest.raises(PermissionDenied):
        session_case(session, _far_gp())
    move_to_past(session)
    with pytest.raises(PermissionDenied):
        session_case(session, w.gp)
    assert not SessionCase.objects.exists()


# --- The agenda -------------------------------------------------------------------------------


def test_the_organiser_builds_the_agenda_and_the_submitter_sees_the_decline_reason():
    w = world()
    session = case_session(w)
    a = session_case(session, w.gp, question="A?")
    b = session_case(session, w.gp_colleague, question="B?")
    c = session_case(session, w.other_gp, question="C?")
    for case in (a, b, c):
        services.session_case_accept(case=case, actor=w.specialist)
    services.session_case_move(case=c, actor=w.specialist, up=True)
    order = list(
        session.cases.filter(status="accepted").order_by("agenda_position").values_list("question", flat=True)
    )
    assert order == ["A?", "C?", "B?"]
    services.session_case_decline(case=a, actor=w.specialist, reason="Tag den som en direkte konference.")
    positions = dict(session.cases.filter(status="accepted").values_list("question", "agenda_position"))
    assert positions == {"C?": 1, "B?": 2}
    a.refresh_from_db()
    assert a.status == "declined" and a.decline_reason == "Tag den som en direkte konference."
    # The submitter sees the reason on the session page.
    client = Client()
    verified_login(client, w.gp)
    page = client.get(_url(session)).content.decode()
    assert "Tag den som en direkte konference." in page


def test_only_the_organiser_builds_the_agenda():
    w = world()
    session = case_session(w)
    case = session_case(session, w.gp)
    for user in (w.gp, w.next_specialist, UserFactory(is_superuser=True, is_staff=True)):
        with pytest.raises(PermissionDenied):
            services.session_case_accept(case=case, actor=user)
    case.refresh_from_db()
    assert case.status == "submitted"


# --- Minutes and their e-mail --------------------------------------------------------------------


def test_publishing_the_minutes_tells_participants_and_submitters_by_e_mail_without_clinical_text():
    w = world()
    session = case_session(w)
    case = session_case(session, w.gp, question="Hvornår seponere furosemid?")
    services.case_session_sign_up(session=session, gp=w.gp_colleague)
    _published(w, session, case)
    mails = list(OutboxEmail.objects.all())
    assert sorted(m.to[0] for m in mails) == sorted([w.gp.email, w.gp_colleague.email])
    for mail in mails:
        assert str(session.public_id) in mail.body
        assert "furosemid" not in mail.body and "furosemid" not in mail.subject
        assert "seponering" not in mail.body
    # Publishing is final and sends once.
    with pytest.raises(ValidationError):
        services.case_session_minutes_save(session=session, actor=w.specialist, minutes="x", answers={})
    assert OutboxEmail.objects.count() == 2


def test_minutes_or_answers_with_a_cpr_number_save_nothing():
    w = world()
    session = case_session(w)
    case = session_case(session, w.gp)
    services.session_case_accept(case=case, actor=w.specialist)
    move_to_past(session)
    for minutes, answer in (("Om 070761-4285", "Fint"), ("Fint", "Pt. 0707614285")):
        with pytest.raises(ValidationError):
            services.case_session_minutes_save(
                session=session,
                actor=w.specialist,
                minutes=minutes,
                answers={str(case.public_id): answer},
                publish=True,
            )
    session.refresh_from_db()
    case.refresh_from_db()
    assert session.minutes == "" and session.minutes_published_at is None and case.answer == ""
    assert not OutboxEmail.objects.exists()


def test_minutes_are_written_after_the_start():
    w = world()
    session = case_session(w)
    with pytest.raises(ValidationError):
        services.case_session_minutes_save(session=session, actor=w.specialist, minutes="Referat", answers={})


# --- FAQ draft -----------------------------------------------------------------------------------


@pytest.fixture
def faq_section():
    from content.services import FAQ_SECTION_SLUG, section_ensure, site_home_ensure

    home = site_home_ensure(title="Samspil")
    return section_ensure(home=home, slug=FAQ_SECTION_SLUG, title="Spørgsmål og svar")


def test_a_case_and_its_answer_become_an_unpublished_faq_draft(faq_section):
    from content.models import FaqPage

    w = world()
    session = case_session(w)
    case = session_case(session, w.gp, question="Hvornår seponere furosemid?")
    _published(w, session, case)
    page = services.session_case_promote_to_faq(case=case, actor=w.specialist)
    page = FaqPage.objects.get(pk=page.pk)
    assert not page.live and page.has_unpublished_changes
    assert page.get_parent().pk == faq_section.pk
    assert page.latest_revision is not None
    item = page.items[0].value
    assert item["question"] == "Hvornår seponere furosemid?"
    assert "Svar på" in item["answer"][0].value
    assert "EF 35" not in str(page.items.raw_data)  # the case description is not copied
    case.refresh_from_db()
    assert case.faq_draft_page_id == page.pk
    with pytest.raises(ValidationError):
        services.session_case_promote_to_faq(case=case, actor=w.specialist)
    assert FaqPage.objects.count() == 1


def test_no_faq_draft_before_publication_or_by_anyone_but_the_organiser(faq_section):
    from content.models import FaqPage

    w = world()
    session = case_session(w)
    case = session_case(session, w.gp)
    services.session_case_accept(case=case, actor=w.specialist)
    with pytest.raises(ValidationError):
        services.session_case_promote_to_faq(case=case, actor=w.specialist)
    with pytest.raises(PermissionDenied):
        services.session_case_promote_to_faq(case=case, actor=UserFactory(is_superuser=True, is_staff=True))
    assert not FaqPage.objects.exists()


def test_an_answer_turned_cpr_shaped_is_refused_at_promotion(faq_section):
    from content.models import FaqPage

    w = world()
    session = case_session(w)
    case = session_case(session, w.gp)
    _published(w, session, case)
    SessionCase.objects.filter(pk=case.pk).update(answer="Set i 070761-4285")  # e.g. an old row
    with pytest.raises(ValidationError):
        services.session_case_promote_to_faq(case=case, actor=w.specialist)
    assert not FaqPage.objects.exists()


# --- The pages ---------------------------------------------------------------------------------


def test_the_pages_from_planning_to_published_minutes():
    w = world()
    sp, gp = Client(), Client()
    verified_login(sp, w.specialist)
    verified_login(gp, w.gp)
    assert 'href="/konferencer/casekonferencer/"' in sp.get(reverse("conferences:dashboard")).content.decode()
    response = sp.post(
        reverse("conferences:case_session_new"),
        {
            "department": w.department.pk,
            "title": "Hjertesvigt",
            "starts_at": "2099-03-01T15:00",
            "duration_minutes": 90,
            "video_url": "https://video.example.dk/cs",
            "max_cases": 4,
        },
    )
    session = CaseSession.objects.get()
    assert response.status_code == 302 and response["Location"] == _url(session)
    assert "Hjertesvigt" in gp.get(reverse("conferences:case_sessions")).content.decode()
    response = gp.post(
        _url(session, "case_submit"),
        {
            "question": "Seponere?",
            "description": "Dosis <i.v.> 5 mg **vigtigt**",
            "age_band": "80+",
            "sex": "",
        },
    )
    assert response.status_code == 302
    case = SessionCase.objects.get()
    page = sp.get(_url(session)).content.decode()
    assert "Dosis &lt;i.v.&gt; 5 mg <strong>vigtigt</strong>" in page  # escaped, never stripped
    assert sp.post(_url(case, "case_accept")).status_code == 302
    move_to_past(session)
    response = sp.post(
        _url(session, "case_session_minutes"),
        {"minutes": "Generelt referat", f"answer_{case.public_id}": "Ja, seponér.", "action": "publish"},
    )
    assert response.status_code == 302
    page = gp.get(_url(session)).content.decode()
    assert "Generelt referat" in page and "Ja, seponér." in page


@pytest.mark.parametrize(
    "data",
    [
        {"question": "Patient 070761-4285?", "description": "Fald"},
        {"question": "Fald?", "description": "CPR 0707614285, 88 år"},
        {"question": "Fald?", "description": "x" * 4001},
        {"question": "x" * 301, "description": "Fald"},
        {"question": "", "description": "Fald"},
        {"question": "Fald?", "description": "Fald", "age_band": "120"},
    ],
)
def test_hostile_or_oversized_cases_are_400_in_danish_with_nothing_saved(data):
    w = world()
    session = case_session(w)
    client = Client()
    verified_login(client, w.gp)
    response = client.post(_url(session, "case_submit"), {"age_band": "", "sex": "", **data})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Sagen blev ikke indsendt" in body
    assert not SessionCase.objects.exists()
    assert not CaseSessionParticipant.objects.exists()


def test_cpr_in_minutes_over_http_is_400_and_saves_nothing():
    w = world()
    session = case_session(w)
    case = session_case(session, w.gp)
    services.session_case_accept(case=case, actor=w.specialist)
    move_to_past(session)
    client = Client()
    verified_login(client, w.specialist)
    response = client.post(
        _url(session, "case_session_minutes"),
        {"minutes": "Ok", f"answer_{case.public_id}": "Pt. 070761-4285", "action": "publish"},
    )
    assert response.status_code == 400
    assert "ligner et CPR-nummer" in response.content.decode()
    session.refresh_from_db()
    assert session.minutes_published_at is None and not OutboxEmail.objects.exists()


def test_a_decline_without_a_reason_is_400():
    w = world()
    session = case_session(w)
    case = session_case(session, w.gp)
    client = Client()
    verified_login(client, w.specialist)
    assert client.post(_url(case, "case_decline"), {"reason": ""}).status_code == 400
    case.refresh_from_db()
    assert case.status == "submitted"


# --- Authorisation ------------------------------------------------------------------------------


@pytest.fixture
def arranged():
    w = world()
    session = case_session(w)
    waiting = session_case(session, w.gp, question="Venter?")
    accepted = session_case(session, w.gp, question="På dagsordenen?")
    accepted = services.session_case_accept(case=accepted, actor=w.specialist)
    declined = session_case(session, w.gp_colleague, question="Afvist?")
    declined = services.session_case_decline(case=declined, actor=w.specialist, reason="Ikke egnet.")
    services.case_session_sign_up(session=session, gp=w.other_gp)
    far_session = case_session(w, title="Andet område")
    CaseSession.objects.filter(pk=far_session.pk).update(health_council_area=HealthCouncilAreaFactory())
    far_session.refresh_from_db()
    users = {
        "organiser": w.specialist,
        "submitter": w.gp,
        "declined_submitter": w.gp_colleague,
        "participant": w.other_gp,
        "area_gp": member(w.practice, Role.GP, first_name="Ny"),
        "far_gp": _far_gp(),
        "other_specialist": w.next_specialist,
        "secretary": w.secretary,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
    objects = {
        "session": session,
        "far_session": far_session,
        "waiting": waiting,
        "accepted": accepted,
        "declined": declined,
    }
    return users, objects


SESSION_VIEWERS = {"organiser", "submitter", "declined_submitter", "participant", "area_gp"}


def test_the_case_session_matrix_by_rule(arranged):
    users, objects = arranged
    area_gps = SESSION_VIEWERS - {"organiser"}
    allowed = {(role, "session", "view") for role in SESSION_VIEWERS}
    allowed |= {("organiser", "far_session", "view")}
    allowed |= {(role, "session", "attend") for role in area_gps}
    allowed |= {("organiser", name, "manage") for name in ("session", "far_session")}
    # The organiser writes the minutes before anyone else may read them.
    allowed |= {("organiser", name, "minutes") for name in ("session", "far_session")}
    allowed |= {("organiser", name, "read") for name in ("waiting", "accepted", "declined")}
    allowed |= {("submitter", name, "read") for name in ("waiting", "accepted")}
    allowed |= {("declined_submitter", "declined", "read")}
    allowed |= {(role, "accepted", "read") for role in ("participant", "declined_submitter")}

    def on_session(name):
        check = perm(name)
        return lambda user, obj: isinstance(obj, CaseSession) and check(user, obj)

    cells = assert_authorisation_matrix(
        users=users,
        objects=objects,
        actions={
            "view": on_session("conferences.view_casesession"),
            "attend": on_session("conferences.attend_casesession"),
            "manage": on_session("conferences.change_casesession"),
            "minutes": on_session("conferences.view_casesession_minutes"),
            "read": lambda user, obj: (
                isinstance(obj, SessionCase) and perm("conferences.view_sessioncase")(user, obj)
            ),
        },
        allowed=allowed,
    )
    assert cells == 9 * 5 * 5


def test_the_minutes_are_for_the_organiser_and_participants_once_published(arranged):
    users, objects = arranged
    session = objects["session"]
    move_to_past(session)
    services.case_session_minutes_save(
        session=session, actor=users["organiser"], minutes="Referat", answers={}, publish=True
    )
    session.refresh_from_db()
    allowed = {
        (role, "session", "minutes")
        for role in ("organiser", "submitter", "declined_submitter", "participant")
    }
    assert_authorisation_matrix(
        users=users,
        objects={"session": session},
        actions={"minutes": perm("conferences.view_casesession_minutes")},
        allowed=allowed,
    )


def test_the_case_session_matrix_over_http(arranged):
    users, objects = arranged
    objects = {name: objects[name] for name in ("session", "far_session")}
    allowed = {(role, "session", "open") for role in SESSION_VIEWERS} | {("organiser", "far_session", "open")}
    cells = assert_authorisation_matrix(
        users=users, objects=objects, actions={"open": http_ok(Client, _url)}, allowed=allowed
    )
    assert cells == 9 * 2


def test_case_text_is_shown_only_to_organiser_participants_and_submitter(arranged):
    users, objects = arranged
    client = Client()
    shown = {}
    for role in ("organiser", "submitter", "participant", "area_gp"):
        verified_login(client, users[role])
        page = client.get(_url(objects["session"])).content.decode()
        shown[role] = {name for name in ("Venter?", "På dagsordenen?", "Afvist?") if name in page}
    assert shown == {
        "organiser": {"Venter?", "På dagsordenen?", "Afvist?"},
        "submitter": {"Venter?", "På dagsordenen?"},
        "participant": {"På dagsordenen?"},
        "area_gp": set(),
    }


def test_organiser_actions_are_404_for_everyone_else_and_change_nothing(arranged):
    users, objects = arranged
    client = Client()
    for role in ("superuser", "submitter", "other_specialist", "secretary"):
        verified_login(client, users[role])
        for name in ("case_accept", "case_decline", "case_move", "case_promote"):
            assert client.post(_url(objects["waiting"], name), {"reason": "x"}).status_code == 404, (
                role,
                name,
            )
        assert client.post(_url(objects["session"], "case_session_minutes"), {}).status_code == 404
    objects["waiting"].refresh_from_db()
    assert objects["waiting"].status == "submitted"


def test_planning_is_for_conference_specialists_only():
    w = world()
    client = Client()
    for user, expected in (
        (w.specialist, 200),
        (w.colleague, 404),  # a specialist without the conference-specialist flag
        (w.gp, 404),
        (UserFactory(is_superuser=True, is_staff=True), 404),
    ):
        verified_login(client, user)
        assert client.get(reverse("conferences:case_session_new")).status_code == expected, user


# --- Query counts -------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["specialist", "gp"])
def test_the_session_page_does_not_grow_with_cases_or_participants(who):
    w = world()
    session = case_session(w, max_cases=20)
    services.session_case_accept(case=session_case(session, w.gp), actor=w.specialist)
    client = Client()
    verified_login(client, getattr(w, who))
    url = _url(session)
    _queries(client, url)
    with_one = _queries(client, url)
    for i in range(8):
        gp = member(w.practice, Role.GP, first_name=f"Læge{i}")
        case = session_case(session, gp, question=f"Spørgsmål {i}?")
        if i % 2:
            services.session_case_accept(case=case, actor=w.specialist)
    assert _queries(client, url) == with_one


def test_the_session_list_does_not_grow_with_sessions(django_assert_num_queries):
    w = world()
    session = case_session(w)
    session_case(session, w.gp)
    client = Client()
    verified_login(client, w.gp)
    url = reverse("conferences:case_sessions")
    _queries(client, url)
    with_one = _queries(client, url)
    for i in range(6):
        other = case_session(w, title=f"Session {i}", starts_in_minutes=60 * (i + 2))
        session_case(other, w.gp_colleague)
        services.case_session_sign_up(session=other, gp=w.gp)
    assert _queries(client, url) == with_one
    user = type(w.gp).objects.get(pk=w.gp.pk)
    with django_assert_num_queries(2):  # the memberships, then the sessions
        sessions = case_sessions_for(user)
    assert len(sessions.upcoming) == 7
    with django_assert_num_queries(0):
        [
            (s.organiser.get_full_name(), s.specialty.name, s.is_signed_up, s.case_count)
            for s in sessions.upcoming
        ]


@pytest.mark.parametrize(
    "changes",
    [
        {"title": "Om 010203-1234"},
        {"title": "x" * 201},
        {"video_url": "javascript:alert(1)"},
        {"max_cases": "999"},
        {"starts_at": "i går"},
        {"starts_at": "2001-01-01T10:00"},
    ],
)
def test_a_bad_session_over_http_is_400_with_nothing_saved(changes):
    w = world()
    client = Client()
    verified_login(client, w.specialist)
    data = {
        "department": w.department.pk,
        "title": "Hjertesvigt",
        "starts_at": "2099-03-01T15:00",
        "duration_minutes": 90,
        "video_url": "https://video.example.dk/cs",
        "max_cases": 4,
        **changes,
    }
    response = client.post(reverse("conferences:case_session_new"), data)
    assert response.status_code == 400
    assert "Casekonferencen blev ikke planlagt" in response.content.decode()
    assert not CaseSession.objects.exists()


def test_oversized_minutes_over_http_are_400_and_save_nothing():
    w = world()
    session = case_session(w)
    case = session_case(session, w.gp)
    services.session_case_accept(case=case, actor=w.specialist)
    move_to_past(session)
    client = Client()
    verified_login(client, w.specialist)
    response = client.post(
        _url(session, "case_session_minutes"),
        {"minutes": "x" * 8001, f"answer_{case.public_id}": "Svar", "action": "publish"},
    )
    assert response.status_code == 400
    assert "Referatet blev ikke gemt" in response.content.decode()
    case.refresh_from_db()
    session.refresh_from_db()
    assert case.answer == "" and session.minutes_published_at is None


def test_editors_find_the_faq_draft_in_the_wagtail_admin(faq_section):
    from django.contrib.auth.models import Group

    w = world()
    session = case_session(w)
    case = session_case(session, w.gp, question="Hvornår seponere furosemid?")
    _published(w, session, case)
    page = services.session_case_promote_to_faq(case=case, actor=w.specialist)
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Moderators"))
    client = Client()
    verified_login(client, editor)
    listing = client.get(f"/admin/pages/{faq_section.pk}/")
    assert listing.status_code == 200
    assert "Hvornår seponere furosemid?" in listing.content.decode()
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
    # Not on the public site until an editor publishes it.
    home_path = faq_section.get_parent().url_path
    assert Client().get(faq_section.url_path.replace(home_path, "/", 1)).status_code == 200
    assert Client().get(page.url_path.replace(home_path, "/", 1)).status_code == 404


def test_the_session_page_selector_is_two_queries_and_the_rules_ask_none(django_assert_num_queries):
    from portal.conferences.case_session_selectors import case_session_for_view, case_session_page

    w = world()
    session = case_session(w, max_cases=20)
    for i in range(6):
        gp = member(w.practice, Role.GP, first_name=f"Læge{i}")
        case = session_case(session, gp, question=f"Spørgsmål {i}?")
        if i % 2:
            services.session_case_accept(case=case, actor=w.specialist)
    session = case_session_for_view().get(pk=session.pk)
    viewer = type(w.gp).objects.get(pk=w.gp.pk)
    viewer._accounts_memberships = None
    with django_assert_num_queries(2):  # participants, cases
        page = case_session_page(session)
    assert len(page.participants) == 6 and len(page.agenda) == 3
    viewer.has_perm("conferences.view_casesession", session)  # loads the memberships once
    with django_assert_num_queries(0):
        [
            (c.submitter.get_full_name(), viewer.has_perm("conferences.view_sessioncase", c))
            for c in page.cases
        ]

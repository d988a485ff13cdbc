"""The GP's coordinating role (tovholder) for a patient with complex multimorbidity (issue 14):
recorded, seen by the hospital departments involved, changed only by a handover acknowledged by
the receiving practice. The referrals' ``ResponsibilityHandover`` of kind coordinator drives
the ``CareCoordinator`` row."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from portal.accounts.roles import Role
from portal.audit.models import AccessLogEntry
from portal.outbox.models import OutboxEmail
from portal.referrals import coordinator_services as services
from portal.referrals.models import CareCoordinator, CareCoordinatorEvent, ResponsibilityHandover
from tests.accounts.factories import DepartmentFactory, PracticeFactory, UserFactory
from tests.accounts.login import verified_login
from tests.authz import assert_authorisation_matrix, http_ok, perm
from tests.bookings.factories import member

pytestmark = pytest.mark.django_db

CPR = "0707614285"
NOTE = "KOL, hjertesvigt & diabetes.\nKontrol hos egen læge <hver 3. måned>; lungemed. årligt."


class W:
    def __init__(self):
        self.department = DepartmentFactory(name="Geriatri")
        self.second_department = DepartmentFactory(name="Lungemedicin")
        self.practice, self.new_practice = (
            PracticeFactory(name="Lægerne i Trøjborg"),
            PracticeFactory(name="Lægehuset Vest"),
        )
        self.doctor = member(self.department, Role.HOSPITAL_SPECIALIST, first_name="Peter")
        self.secretary = member(self.department, Role.MEDICAL_SECRETARY, first_name="Mette")
        self.second_doctor = member(self.second_department, Role.HOSPITAL_SPECIALIST, first_name="Lis")
        self.gp = member(self.practice, Role.GP, first_name="Hanne")
        self.practice_secretary = member(self.practice, Role.MEDICAL_SECRETARY, first_name="Sif")
        self.new_gp = member(self.new_practice, Role.GP, first_name="Ole")
        self.other_gp = member(PracticeFactory(), Role.GP)
        self.other_specialist = member(DepartmentFactory(), Role.HOSPITAL_SPECIALIST)


def propose(w, **fields) -> ResponsibilityHandover:
    data = {
        "actor": w.doctor,
        "department": w.department,
        "practice": w.practice,
        "patient_cpr": CPR,
        "note": NOTE,
    } | fields
    handover, _created = services.coordinator_handover_propose(**data)
    return handover


def coordinate(w, **fields) -> CareCoordinator:
    return services.coordinator_handover_acknowledge(handover=propose(w, **fields), actor=w.gp)


def test_a_department_proposes_and_only_the_acknowledgement_makes_the_practice_tovholder():
    w = W()
    handover = propose(w)
    assert handover.kind == "coordinator" and handover.referral is None and handover.plan == NOTE
    assert not CareCoordinator.objects.exists()  # the proposal alone changes nothing
    email = OutboxEmail.objects.get(to=[w.gp.email])
    assert "tovholder" in email.body and str(handover.public_id) in email.body
    assert CPR not in email.body and "KOL" not in email.body
    coordinator = services.coordinator_handover_acknowledge(handover=handover, actor=w.gp)
    assert coordinator.practice == w.practice and coordinator.note == NOTE
    assert list(coordinator.departments.all()) == [w.department]
    handover.refresh_from_db()
    assert handover.acknowledged_by == w.gp and not handover.is_open
    event = CareCoordinatorEvent.objects.get()
    assert event.kind == "taken_on" and event.handover == handover and event.organisation == w.practice
    assert OutboxEmail.objects.filter(to=[w.doctor.email], body__contains="/tovholder/").exists()
    logged = AccessLogEntry.objects.filter(purpose=services.PURPOSE_COORDINATOR)
    assert set(logged.values_list("action", flat=True)) >= {"create", "change"}
    with translation.override("da"), pytest.raises(ValidationError, match="allerede kvitteret"):
        services.coordinator_handover_acknowledge(handover=handover, actor=w.gp)


def test_the_practice_hands_over_to_the_patients_new_practice_and_keeps_it_until_acknowledged():
    w = W()
    coordinator = coordinate(w)
    handover, _created = services.coordinator_hand_over(
        coordinator=coordinator, actor=w.gp, practice=w.new_practice, note=NOTE + "\nFlyttet."
    )
    coordinator.refresh_from_db()
    assert coordinator.practice == w.practice  # until the new practice acknowledges
    with pytest.raises(PermissionDenied):  # not the old practice, not the department
        services.coordinator_handover_acknowledge(handover=handover, actor=w.gp)
    services.coordinator_handover_acknowledge(handover=handover, actor=w.new_gp)
    coordinator.refresh_from_db()
    assert coordinator.practice == w.new_practice and coordinator.note.endswith("Flyttet.")
    assert list(coordinator.departments.all()) == [w.department]  # the departments stay involved
    assert CareCoordinatorEvent.objects.filter(kind="taken_on").count() == 2


def test_only_the_holder_hands_over_and_a_department_cannot_take_the_role_from_it():
    w = W()
    coordinator = coordinate(w)
    for outsider in (w.doctor, w.secretary, w.practice_secretary, w.other_gp):
        with pytest.raises(PermissionDenied):
            services.coordinator_hand_over(
                coordinator=coordinator, actor=outsider, practice=w.new_practice, note=NOTE
            )
    with translation.override("da"), pytest.raises(ValidationError, match="har allerede en tovholder"):
        propose(w, actor=w.second_doctor, department=w.second_department, practice=w.new_practice)
    with translation.override("da"), pytest.raises(ValidationError, match="har allerede tovholderrollen"):
        services.coordinator_hand_over(coordinator=coordinator, actor=w.gp, practice=w.practice, note=NOTE)


def test_a_stale_proposal_is_refused_not_applied():
    """Two acknowledgements cannot both win: a practice-to-practice proposal whose proposer no
    longer holds the role (changed by another acknowledgement in between) is refused."""
    w = W()
    coordinator = coordinate(w)
    handover, _created = services.coordinator_hand_over(
        coordinator=coordinator, actor=w.gp, practice=w.new_practice, note=NOTE
    )
    # The row changes behind the proposal (as if another acknowledgement had won the lock).
    CareCoordinator.objects.filter(pk=coordinator.pk).update(practice=PracticeFactory())
    with translation.override("da"), pytest.raises(ValidationError, match="ændret siden forslaget"):
        services.coordinator_handover_acknowledge(handover=handover, actor=w.new_gp)
    handover.refresh_from_db()
    assert handover.is_open and CareCoordinatorEvent.objects.count() == 1


def test_one_open_proposal_per_patient_and_the_same_submit_twice_gives_one():
    w = W()
    token = uuid.uuid4()
    first = propose(w, client_token=token)
    assert propose(w, client_token=token).pk == first.pk
    with translation.override("da"), pytest.raises(ValidationError, match="afventer allerede"):
        propose(w, actor=w.second_doctor, department=w.second_department)
    with pytest.raises(IntegrityError), transaction.atomic():  # the database says so too
        ResponsibilityHandover.objects.create(
            kind="coordinator",
            patient=first.patient,
            plan="x",
            from_organisation=w.department,
            to_organisation=w.new_practice,
            proposed_by=w.doctor,
        )
    assert ResponsibilityHandover.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"note": " \n"}, "Behandlingsplan og aftaler skal udfyldes"),
        ({"note": "x" * 2001}, "2000"),
        ({"patient_cpr": "3213001234"}, "CPR"),
        ({"practice": None}, "Vælg patientens lægepraksis"),
    ],
)
def test_bad_input_is_a_danish_refusal_with_nothing_saved(fields, message):
    w = W()
    with translation.override("da"), pytest.raises(ValidationError) as error:
        propose(w, **fields)
    assert message in " ".join(error.value.messages)
    assert not ResponsibilityHandover.objects.exists()


def test_adding_a_department_is_logged_not_a_handover_and_lets_it_see_the_row():
    w = W()
    coordinator = coordinate(w)
    assert not w.second_doctor.has_perm("referrals.view_care_coordinator", coordinator)
    with pytest.raises(PermissionDenied):
        services.coordinator_department_add(
            coordinator=coordinator, actor=w.second_doctor, department=w.second_department
        )
    services.coordinator_department_add(
        coordinator=coordinator, actor=w.secretary, department=w.second_department
    )
    coordinator = CareCoordinator.objects.prefetch_related("departments").get(pk=coordinator.pk)
    assert {d.pk for d in coordinator.departments.all()} == {w.department.pk, w.second_department.pk}
    assert coordinator.practice == w.practice
    assert CareCoordinatorEvent.objects.filter(
        kind="department_added", organisation=w.second_department
    ).exists()
    assert ResponsibilityHandover.objects.count() == 1
    assert OutboxEmail.objects.filter(to=[w.second_doctor.email], body__contains="/tovholder/").exists()
    fresh = type(w.second_doctor).objects.get(pk=w.second_doctor.pk)
    assert fresh.has_perm("referrals.view_care_coordinator", coordinator)
    with translation.override("da"), pytest.raises(ValidationError, match="allerede involveret"):
        services.coordinator_department_add(
            coordinator=coordinator, actor=w.gp, department=w.second_department
        )


def test_the_pages_propose_acknowledge_add_and_show_the_note_escaped(client):
    w = W()
    verified_login(client, w.doctor)
    data = {
        "department": w.department.pk,
        "practice": w.practice.pk,
        "cpr": "070761-4285",
        "note": NOTE,
        "client_token": str(uuid.uuid4()),
    }
    response = client.post(reverse("referrals:coordinator_new"), data)
    handover = ResponsibilityHandover.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "referrals:coordinator_handover", args=[handover.public_id]
    )
    assert "0707614285" not in response.url and "070761" not in response.url
    bad = client.post(reverse("referrals:coordinator_new"), data | {"note": "", "client_token": ""})
    assert bad.status_code == 400 and "Dette felt er påkrævet" in bad.content.decode()
    verified_login(client, w.gp)
    page = client.get(response.url).content.decode()
    assert "070761-XXXX" in page and "0707614285" not in page
    assert "Kontrol hos egen læge &lt;hver 3. måned&gt;" in page and "hjertesvigt &amp; diabetes" in page
    acknowledged = client.post(reverse("referrals:coordinator_acknowledge", args=[handover.public_id]))
    coordinator = CareCoordinator.objects.get()
    assert acknowledged.status_code == 302 and acknowledged.url == reverse(
        "referrals:coordinator", args=[coordinator.public_id]
    )
    again = client.post(reverse("referrals:coordinator_acknowledge", args=[handover.public_id]), follow=True)
    assert "allerede kvitteret" in again.content.decode()
    verified_login(client, w.doctor)
    page = client.get(acknowledged.url).content.decode()
    assert "Tovholder: Lægerne i Trøjborg" in page and "Geriatri" in page
    added = client.post(
        reverse("referrals:coordinator_department_add", args=[coordinator.public_id]),
        {"department": w.second_department.pk},
    )
    assert added.status_code == 302
    twice = client.post(
        reverse("referrals:coordinator_department_add", args=[coordinator.public_id]),
        {"department": w.second_department.pk},
    )
    assert twice.status_code == 400 and "Marker en gyldig valgmulighed" in twice.content.decode()
    garbage = client.post(
        reverse("referrals:coordinator_department_add", args=[coordinator.public_id]), {"department": "x"}
    )
    assert garbage.status_code == 400
    listing = client.get(reverse("referrals:coordinator_list")).content.decode()
    assert str(coordinator.public_id) in listing and "0707" not in listing
    views = AccessLogEntry.objects.filter(purpose=services.PURPOSE_COORDINATOR, action="view")
    assert views.filter(actor=w.doctor, object_type="referrals.carecoordinator").exists()


def test_the_hand_over_form_refuses_bad_input_in_danish(client):
    w = W()
    coordinator = coordinate(w)
    verified_login(client, w.gp)
    url = reverse("referrals:coordinator_hand_over", args=[coordinator.public_id])
    bad = client.post(url, {"practice": w.practice.pk, "note": NOTE})  # its own practice: not a choice
    assert bad.status_code == 400 and "Marker en gyldig valgmulighed" in bad.content.decode()
    empty = client.post(url, {"practice": w.new_practice.pk, "note": ""})
    assert empty.status_code == 400 and "Dette felt er påkrævet" in empty.content.decode()
    assert ResponsibilityHandover.objects.count() == 1
    ok = client.post(url, {"practice": w.new_practice.pk, "note": NOTE})
    assert ok.status_code == 302 and ResponsibilityHandover.objects.count() == 2
    verified_login(client, w.doctor)  # a department involved may not hand it over
    assert client.post(url, {"practice": w.new_practice.pk, "note": NOTE}).status_code == 404


def test_the_proposing_side_withdraws_an_open_proposal_and_the_practice_is_told(client):
    w = W()
    handover = propose(w)
    url = reverse("referrals:coordinator_handover", args=[handover.public_id])
    withdraw = reverse("referrals:coordinator_withdraw", args=[handover.public_id])
    verified_login(client, w.gp)  # the receiving practice may acknowledge, not withdraw
    assert "samspil-form-coordinator-withdraw" not in client.get(url).content.decode()
    assert client.post(withdraw).status_code == 404
    handover.refresh_from_db()
    assert handover.is_open

    verified_login(client, w.doctor)
    assert "samspil-form-coordinator-withdraw" in client.get(url).content.decode()
    response = client.post(withdraw, follow=True)
    assert "Forslaget er trukket tilbage" in response.content.decode()
    assert "Trukket tilbage." in response.content.decode()
    handover.refresh_from_db()
    assert handover.withdrawn_at is not None and not handover.is_open
    told = OutboxEmail.objects.get(key__contains="coordinator-withdrawn")
    assert told.to == [w.gp.email] and "trukket" in told.subject
    assert CPR not in told.body and "KOL" not in told.body
    assert AccessLogEntry.objects.filter(purpose=services.PURPOSE_COORDINATOR, action="change").exists()
    # Nothing to acknowledge now, and nothing to remind of; the department may propose again.
    with translation.override("da"), pytest.raises(ValidationError, match="trukket tilbage"):
        services.coordinator_handover_acknowledge(handover=handover, actor=w.gp)
    again = propose(w)
    assert again.pk != handover.pk and again.is_open


def test_an_acknowledged_proposal_cannot_be_withdrawn(client):
    w = W()
    handover = propose(w)
    services.coordinator_handover_acknowledge(handover=handover, actor=w.gp)
    with translation.override("da"), pytest.raises(ValidationError, match="kan ikke længere trækkes tilbage"):
        services.coordinator_handover_withdraw(handover=handover, actor=w.doctor)
    verified_login(client, w.doctor)
    response = client.post(reverse("referrals:coordinator_withdraw", args=[handover.public_id]), follow=True)
    assert response.status_code == 200 and "kan ikke længere trækkes tilbage" in response.content.decode()
    handover.refresh_from_db()
    assert handover.withdrawn_at is None
    assert CareCoordinator.objects.get().practice == w.practice


def test_the_authorisation_matrix():
    w = W()
    coordinator = coordinate(w)
    handover = propose(w, patient_cpr="1205731234")
    objects = {"coordinator": coordinator, "handover": handover}
    users = {
        "doctor": w.doctor,
        "secretary": w.secretary,
        "gp": w.gp,
        "practice_secretary": w.practice_secretary,
        "second_doctor": w.second_doctor,
        "new_gp": w.new_gp,
        "other_gp": w.other_gp,
        "other_specialist": w.other_specialist,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
    staff = {"doctor", "secretary", "gp", "practice_secretary"}
    allowed = {(r, "coordinator", a) for r in staff for a in ("view", "add_department", "page")}
    allowed |= {("gp", "coordinator", "hand_over")}
    allowed |= {(r, "handover", a) for r in staff for a in ("view_proposal", "proposal_page")}
    allowed |= {("gp", "handover", "acknowledge")}
    allowed |= {("doctor", "handover", "withdraw")}  # the proposing department's clinician

    def page(obj):
        if isinstance(obj, CareCoordinator):
            return reverse("referrals:coordinator", kwargs={"public_id": obj.public_id})
        return reverse("referrals:coordinator_handover", kwargs={"public_id": obj.public_id})

    def only(kind, check):
        return lambda user, obj: isinstance(obj, kind) and check(user, obj)

    actions = {
        "view": only(CareCoordinator, perm("referrals.view_care_coordinator")),
        "add_department": only(CareCoordinator, perm("referrals.add_coordinator_department")),
        "hand_over": only(CareCoordinator, perm("referrals.hand_over_care_coordinator")),
        "page": only(CareCoordinator, http_ok(Client, page)),
        "view_proposal": only(ResponsibilityHandover, perm("referrals.view_coordinator_handover")),
        "acknowledge": only(ResponsibilityHandover, perm("referrals.acknowledge_coordinator_handover")),
        "withdraw": only(ResponsibilityHandover, perm("referrals.withdraw_coordinator_handover")),
        "proposal_page": only(ResponsibilityHandover, http_ok(Client, page)),
    }
    assert_authorisation_matrix(users=users, objects=objects, actions=actions, allowed=allowed)


def test_outsiders_posts_are_404_and_change_nothing(client):
    w = W()
    coordinator = coordinate(w)
    handover, _created = services.coordinator_hand_over(
        coordinator=coordinator, actor=w.gp, practice=w.new_practice, note=NOTE
    )
    for outsider in (w.other_gp, w.other_specialist, UserFactory(is_superuser=True, is_staff=True)):
        verified_login(client, outsider)
        assert (
            client.post(reverse("referrals:coordinator_acknowledge", args=[handover.public_id])).status_code
            == 404
        )
        withdraw = reverse("referrals:coordinator_withdraw", args=[handover.public_id])
        assert client.post(withdraw).status_code == 404
        add = reverse("referrals:coordinator_department_add", args=[coordinator.public_id])
        assert client.post(add, {"department": w.second_department.pk}).status_code == 404
        listing = client.get(reverse("referrals:coordinator_list"))
        assert (
            listing.status_code in (200, 404) and str(coordinator.public_id) not in listing.content.decode()
        )
    coordinator.refresh_from_db()
    handover.refresh_from_db()
    assert handover.is_open and coordinator.practice == w.practice and coordinator.departments.count() == 1


@pytest.mark.parametrize("who", ["gp", "doctor"])
def test_the_list_costs_the_same_queries_for_2_and_10_rows(client, who, django_assert_num_queries):
    w = W()

    def rows(n, start):
        for index in range(start, start + n):
            coordinate(w, patient_cpr=f"{index + 1:02d}0375{index:04d}")

    rows(2, 0)
    user = getattr(w, who)
    verified_login(client, user)
    url = reverse("referrals:coordinator_list")
    client.get(url)  # the first page after login fills per-session caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    rows(8, 2)
    with django_assert_num_queries(len(queries)):
        response = client.get(url)
    assert response.content.decode().count('class="samspil-coordinator-row"') == 10


def test_the_tovholder_shows_beside_the_patient_on_the_referral_page_and_on_mit_overblik(client):
    from tests.referrals.factories import refer, world

    r = world()
    referral = refer(r)  # the same patient (CPR) as the coordination below
    # Proposed by the cardiology department: the referral's lung department is not involved.
    handover, _created = services.coordinator_handover_propose(
        actor=r.other_specialist,
        department=r.other_department,
        practice=r.practice,
        patient_cpr=CPR,
        note=NOTE,
    )
    verified_login(client, r.gp)
    overview = client.get(reverse("overview")).content.decode()
    assert "samspil-overview-coordinator" in overview and str(handover.public_id) in overview
    coordinator = services.coordinator_handover_acknowledge(handover=handover, actor=r.gp)
    overview = client.get(reverse("overview")).content.decode()
    assert "samspil-overview-coordinator" not in overview
    url = reverse("referrals:referral", args=[referral.public_id])
    page = client.get(url).content.decode()
    assert "samspil-coordinator-of-patient" in page and str(coordinator.public_id) in page
    verified_login(client, r.specialist)  # sees the referral, not involved in the coordination
    response = client.get(url)
    assert response.status_code == 200 and "samspil-coordinator-of-patient" not in response.content.decode()


def test_an_unanswered_proposal_is_reminded_with_a_link_to_its_page():
    from datetime import timedelta

    from django.utils import timezone

    from portal.referrals import services as referral_services

    w = W()
    handover = propose(w)
    assert referral_services.handover_reminders_send(now=timezone.now() + timedelta(days=5)) == 1
    reminder = OutboxEmail.objects.get(key__contains="handover-reminder")
    assert f"/henvisninger/tovholder/forslag/{handover.public_id}/" in reminder.body
    assert CPR not in reminder.body and "KOL" not in reminder.body
    # It asks for the tovholder role, not for treatment responsibility (a palliative handover's words).
    assert "tovholder" in reminder.subject and "behandlingsansvar" not in reminder.subject + reminder.body

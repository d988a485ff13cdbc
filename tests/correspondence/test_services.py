"""Opening, writing, routing and closing threads; deadlines both ways; read receipts."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from portal.accounts.roles import Role
from portal.audit.models import AccessLogEntry
from portal.correspondence.models import (
    Category,
    InboxSettings,
    Message,
    Priority,
    ReadMark,
    Side,
    SpecialtyDeadline,
    Thread,
    ThreadEvent,
)
from portal.correspondence.services import (
    message_send,
    thread_assign,
    thread_claim,
    thread_close,
    thread_read,
    thread_reroute,
)
from portal.outbox.models import OutboxEmail
from tests.accounts.factories import DepartmentFactory
from tests.correspondence.factories import member, open_thread, world

pytestmark = pytest.mark.django_db

# Tuesday 10:15 in Copenhagen (CET, UTC+1).
TUESDAY = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)
CPR = "0707611006"


@pytest.fixture
def w():
    return world()


def test_a_thread_to_a_specialty_lands_in_the_receiving_departments_inbox(w):
    thread = open_thread(w, now=TUESDAY)
    assert thread.recipient_organisation == w.department
    assert thread.sender_organisation == w.practice
    assert thread.assignee is None
    assert thread.awaiting == Side.RECIPIENT
    assert [e.kind for e in thread.events.all()] == [ThreadEvent.Kind.OPENED]
    message = thread.messages.get()
    assert message.author == w.gp
    assert (message.author_name, message.author_title) == ("Grete Lægesen", "Praktiserende læge")
    # The practice's phone when the GP has no direct line: the recipient can always call back.
    assert message.author_phone == "70 10 20 30"


def test_the_first_message_is_due_in_three_working_days_and_the_thread_carries_it(w):
    thread = open_thread(w, now=TUESDAY)
    # Tuesday 10:15 + 3 working days = Friday 10:15 local = 09:15 UTC.
    assert thread.due_at == datetime(2026, 11, 27, 9, 15, tzinfo=UTC)
    assert thread.messages.get().due_at == thread.due_at


def test_the_deadline_is_configurable_per_specialty_and_per_organisation(w):
    SpecialtyDeadline.objects.create(specialty=w.department.specialty, reply_working_days=5)
    by_specialty = open_thread(w, now=TUESDAY)
    assert by_specialty.due_at == datetime(2026, 12, 1, 9, 15, tzinfo=UTC)  # Tuesday + 5 = next Tuesday

    InboxSettings.objects.create(organisation=w.department, reply_working_days=1)
    by_organisation = open_thread(w, now=TUESDAY)
    assert by_organisation.due_at == datetime(2026, 11, 25, 9, 15, tzinfo=UTC)


def test_the_reply_runs_a_deadline_the_other_way(w):
    InboxSettings.objects.create(organisation=w.practice, reply_working_days=2)
    thread = open_thread(w, now=TUESDAY)
    reply, created = message_send(
        thread=thread, author=w.specialist, body="Ja, øg dosis.", now=TUESDAY + timedelta(hours=1)
    )
    assert created
    thread.refresh_from_db()
    assert thread.awaiting == Side.SENDER
    assert thread.due_at == reply.due_at == datetime(2026, 11, 26, 10, 15, tzinfo=UTC)
    question = thread.messages.first()
    assert question.answered_at == TUESDAY + timedelta(hours=1)
    assert question.answered_by_organisation == w.department
    # Replying took the unassigned thread on.
    assert thread.assignee == w.specialist
    assert ThreadEvent.Kind.CLAIMED in {e.kind for e in thread.events.all()}


def test_a_message_that_awaits_no_reply_stops_the_clock(w):
    thread = open_thread(w, now=TUESDAY)
    message_send(thread=thread, author=w.specialist, body="Tak, noteret.", awaits_reply=False)
    thread.refresh_from_db()
    assert (thread.awaiting, thread.due_at) == ("", None)


def test_a_specialist_claims_and_a_secretary_assigns(w):
    thread = open_thread(w)
    thread_claim(thread=thread, user=w.specialist)
    thread.refresh_from_db()
    assert thread.assignee == w.specialist
    with pytest.raises(ValidationError):
        thread_claim(thread=thread, user=member(w.department, Role.HOSPITAL_SPECIALIST))

    colleague = member(w.department, Role.HOSPITAL_SPECIALIST)
    thread_assign(thread=thread, actor=w.secretary, assignee=colleague)
    thread.refresh_from_db()
    assert thread.assignee == colleague
    assert thread.participants.filter(user=colleague, side=Side.RECIPIENT).exists()


def test_a_secretary_cannot_claim_nor_write_and_a_gp_cannot_assign(w):
    thread = open_thread(w)
    with pytest.raises(PermissionDenied):
        thread_claim(thread=thread, user=w.secretary)
    with pytest.raises(PermissionDenied):
        message_send(thread=thread, author=w.secretary, body="Hej")
    with pytest.raises(PermissionDenied):
        thread_assign(thread=thread, actor=w.gp, assignee=w.specialist)


def test_assigning_to_someone_outside_the_department_is_refused(w):
    thread = open_thread(w)
    with pytest.raises(ValidationError):
        thread_assign(thread=thread, actor=w.secretary, assignee=w.other_specialist)


def test_rerouting_moves_the_thread_with_a_reason_and_restarts_the_deadline(w):
    thread = open_thread(w, now=TUESDAY)
    thread_claim(thread=thread, user=w.specialist)
    later = TUESDAY + timedelta(days=1)
    with pytest.raises(ValidationError):
        thread_reroute(
            thread=thread, actor=w.specialist, to_organisation=w.other_department, reason=" ", now=later
        )
    thread_reroute(
        thread=thread,
        actor=w.specialist,
        to_organisation=w.other_department,
        reason="Geriatrisk problemstilling",
        now=later,
    )
    thread.refresh_from_db()
    assert thread.recipient_organisation == w.other_department
    assert thread.assignee is None
    assert thread.due_at == datetime(2026, 11, 30, 9, 15, tzinfo=UTC)  # Wednesday + 3 = Monday
    event = thread.events.get(kind=ThreadEvent.Kind.REROUTED)
    assert (event.from_organisation, event.to_organisation, event.reason) == (
        w.department,
        w.other_department,
        "Geriatrisk problemstilling",
    )
    # The old department no longer writes in it; the new one does.
    with pytest.raises(PermissionDenied):
        message_send(thread=thread, author=member(w.department, Role.HOSPITAL_SPECIALIST), body="Hej")
    message_send(thread=thread, author=w.other_specialist, body="Vi overtager.")


def test_rerouting_to_a_practice_or_the_same_department_is_refused(w):
    thread = open_thread(w)
    for target in (w.other_practice, w.department):
        with pytest.raises(ValidationError):
            thread_reroute(
                thread=thread, actor=w.secretary, to_organisation=target, reason="Forkert modtager"
            )


def test_closing_keeps_a_summary_and_stops_writing(w):
    thread = open_thread(w)
    thread_close(thread=thread, actor=w.gp, summary="Afklaret telefonisk.")
    thread.refresh_from_db()
    assert thread.status == Thread.Status.CLOSED
    assert thread.closing_summary == "Afklaret telefonisk."
    assert (thread.awaiting, thread.due_at) == ("", None)
    with pytest.raises(ValidationError):
        message_send(thread=thread, author=w.specialist, body="For sent")
    with pytest.raises(ValidationError):
        thread_close(thread=open_thread(w), actor=w.gp, summary="")


def test_read_receipts_are_kept_per_reader(w):
    thread = open_thread(w, now=TUESDAY)
    thread_read(thread=thread, user=w.specialist)
    mark = ReadMark.objects.get(thread=thread, user=w.specialist)
    assert mark.side == Side.RECIPIENT
    assert mark.read_at >= thread.messages.get().created_at


def test_outsiders_cannot_read_or_write(w):
    thread = open_thread(w)
    with pytest.raises(PermissionDenied):
        thread_read(thread=thread, user=w.other_gp)
    with pytest.raises(PermissionDenied):
        message_send(thread=thread, author=w.other_gp, body="Hej")
    with pytest.raises(PermissionDenied):
        message_send(thread=thread, author=w.other_specialist, body="Hej")


def test_category_rules_follow_medcom(w):
    with pytest.raises(ValidationError) as other:
        open_thread(w, category=Category.OTHER)
    assert "topic" in other.value.message_dict
    with pytest.raises(ValidationError) as priority:
        open_thread(w, category=Category.HEALTHCARE, priority=Priority.URGENT)
    assert "priority" in priority.value.message_dict
    thread = open_thread(w, category=Category.REGARDING_REFERRAL, priority=Priority.URGENT)
    assert thread.priority == Priority.URGENT
    assert open_thread(w, category=Category.OTHER, topic="Hjemmepleje").topic == "Hjemmepleje"
    assert Thread.objects.count() == 2


def test_notifications_are_outbox_rows_that_commit_or_roll_back_with_the_message(w):
    from django.db import transaction

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        open_thread(w, subject="Rulles tilbage")
        message_send(thread=Thread.objects.get(subject="Rulles tilbage"), author=w.specialist, body="Svar")
        assert OutboxEmail.objects.count() == 2  # the department's secretary, then the GP
        raise Abort
    assert not OutboxEmail.objects.exists()
    assert not Thread.objects.exists()
    assert mail.outbox == []


def test_bad_input_is_refused_before_anything_is_written(w):
    for subject, body in [("", "x"), ("x", ""), ("x" * 201, "x"), ("x", "x" * 20_001), ("x\x00", "x")]:
        with pytest.raises(ValidationError):
            open_thread(w, subject=subject, body=body, patient_cpr=CPR)
    assert not Thread.objects.exists()
    assert not Message.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_no_department_of_the_specialty_in_the_area_gives_a_clear_error(w):
    from tests.accounts.factories import specialty

    with pytest.raises(ValidationError) as error:
        open_thread(w, specialty=specialty("dermato-venerologi"))
    assert "specialty" in error.value.message_dict


def test_script_in_a_body_is_stored_as_text_and_rendered_inert(w):
    thread = open_thread(
        w, body="<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))"
    )
    html = thread.messages.get().body_html
    for tag in ("<script", "<img", "<a "):
        assert tag not in html
    # Shown as written, not stripped: clinical text never loses characters.
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt;" in html


def test_the_same_client_token_opens_one_thread_and_sends_one_message(w):
    token = uuid.uuid4()
    first = open_thread(w, client_token=token)
    again = open_thread(w, client_token=token)
    assert first.pk == again.pk
    reply_token = uuid.uuid4()
    one, created = message_send(thread=first, author=w.specialist, body="Svar", client_token=reply_token)
    two, created_again = message_send(
        thread=first, author=w.specialist, body="Svar", client_token=reply_token
    )
    assert (created, created_again) == (True, False)
    assert one.pk == two.pk
    assert first.messages.count() == 2


def test_a_patient_is_attached_encrypted_and_each_touch_is_logged(w):
    thread = open_thread(w, patient_cpr=CPR)
    assert thread.patient.masked_cpr == "070761-XXXX"
    assert AccessLogEntry.objects.filter(actor=w.gp).count() == 1  # the patient look-up on opening
    thread_read(thread=thread, user=w.specialist)
    message_send(thread=thread, author=w.specialist, body="Svar")
    assert AccessLogEntry.objects.filter(actor=w.specialist).count() == 2
    assert not AccessLogEntry.objects.filter(actor=w.other_gp).exists()


def test_without_a_patient_nothing_is_logged(w):
    thread = open_thread(w)
    thread_read(thread=thread, user=w.specialist)
    assert not AccessLogEntry.objects.exists()


def test_notifications_go_through_the_outbox_and_carry_no_patient_data(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        thread = open_thread(w, patient_cpr=CPR, subject="Hjertesvigt hos Jens Jensen")
        message_send(thread=thread, author=w.specialist, body="Jens Jensen bør øge dosis.")
    assert OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT).count() == 2
    # The department had nobody responsible: its secretary hears of the thread; the GP of the reply.
    assert [m.to for m in mail.outbox] == [[w.secretary.email], [w.gp.email]]
    for sent in mail.outbox:
        text = sent.subject + sent.body
        assert "Jens" not in text and "Hjertesvigt" not in text and "070761" not in text
        assert str(thread.public_id) in sent.body


def test_the_responsible_person_hears_of_new_unclaimed_threads(w, django_capture_on_commit_callbacks):
    responsible = member(w.department, Role.HOSPITAL_SPECIALIST)
    InboxSettings.objects.create(organisation=w.department, responsible=responsible)
    with django_capture_on_commit_callbacks(execute=True):
        open_thread(w)
    assert [m.to for m in mail.outbox] == [[responsible.email]]


def test_the_old_department_loses_sight_of_a_rerouted_thread(w):
    thread = open_thread(w)
    thread_reroute(
        thread=thread, actor=w.secretary, to_organisation=w.other_department, reason="Forkert afdeling"
    )
    fresh = Thread.objects.get(pk=thread.pk)
    assert w.specialist.has_perm("correspondence.view_thread", fresh) is False
    assert w.other_specialist.has_perm("correspondence.view_thread", fresh) is True


def test_a_department_that_does_not_share_its_inbox_shows_threads_to_participants_and_secretaries(w):
    InboxSettings.objects.create(organisation=w.department, shared_with_members=False)
    thread = open_thread(w)
    colleague = member(w.department, Role.HOSPITAL_SPECIALIST)
    assert not colleague.has_perm("correspondence.view_thread", Thread.objects.get(pk=thread.pk))
    assert w.secretary.has_perm("correspondence.view_thread", Thread.objects.get(pk=thread.pk))
    thread_assign(thread=thread, actor=w.secretary, assignee=colleague)
    colleague = type(colleague).objects.get(pk=colleague.pk)  # fresh: memberships are cached per request
    assert colleague.has_perm("correspondence.view_thread", Thread.objects.get(pk=thread.pk))


def test_a_specialist_opens_a_thread_to_a_patients_practice(w):
    thread = open_thread(
        w,
        author=w.specialist,
        sender_organisation=w.department,
        recipient_organisation=w.practice,
        specialty=None,
        area=None,
        patient_cpr=CPR,
    )
    assert thread.recipient_organisation == w.practice
    reply, _ = message_send(thread=thread, author=w.gp, body="Modtaget")
    assert reply.side == Side.RECIPIENT


def test_a_thread_to_a_hospital_or_to_oneself_is_refused(w):
    with pytest.raises(ValidationError):
        open_thread(w, recipient_organisation=w.department.parent, specialty=None, area=None)
    other_practice_department = DepartmentFactory(parent=w.department.parent)
    assert other_practice_department.kind == "department"
    with pytest.raises(ValidationError):
        open_thread(
            w,
            author=w.specialist,
            sender_organisation=w.department,
            recipient_organisation=w.department,
            specialty=None,
            area=None,
        )


def test_thread_reopen_opens_a_closed_thread_once_and_leaves_an_open_one_alone(w):
    from portal.correspondence.services import thread_reopen

    thread = open_thread(w)
    assert thread_reopen(thread=thread, actor_name="MedCom-import", now=TUESDAY) is thread
    assert not thread.events.filter(kind=ThreadEvent.Kind.REOPENED).exists()
    thread_close(thread=thread, actor=w.gp, summary="Afklaret.")
    thread.refresh_from_db()
    thread_reopen(thread=thread, actor_name="MedCom-import", now=TUESDAY)
    thread.refresh_from_db()
    assert thread.is_open and thread.closed_at is None and thread.closed_by is None
    assert thread.events.get(kind=ThreadEvent.Kind.REOPENED).actor_name == "MedCom-import"


def test_imported_messages_set_answers_and_the_turn_in_written_order(w):
    from portal.correspondence.services import ImportedMessage, thread_messages_import

    thread = open_thread(w, now=TUESDAY)
    question = thread.messages.get()

    def imported(side, org, minutes, body):
        return ImportedMessage(
            side=side,
            organisation=org,
            author_name="Anne Anden",
            author_title="Overlæge",
            author_phone="",
            author_organisation_name=str(org),
            body=body,
            body_html=body,
            created_at=TUESDAY + timedelta(minutes=minutes),
        )

    # Given out of order: written in the order they were written.
    written = thread_messages_import(
        thread=thread,
        messages=[
            imported(Side.SENDER, w.practice, 60, "Tak."),
            imported(Side.RECIPIENT, w.department, 30, "Svar."),
        ],
        reason="MedCom: svar",
        from_organisation=w.department,
        to_organisation=w.practice,
        now=TUESDAY + timedelta(hours=2),
    )
    assert [m.body for m in written] == ["Svar.", "Tak."]
    question.refresh_from_db()
    assert question.answered_at == TUESDAY + timedelta(minutes=30)
    assert question.answered_by_organisation == w.department
    thread.refresh_from_db()
    assert thread.awaiting == Side.RECIPIENT and thread.last_message_at == TUESDAY + timedelta(minutes=60)
    assert thread.events.filter(kind=ThreadEvent.Kind.IMPORTED).count() == 1

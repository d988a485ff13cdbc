"""Threads, messages and attachments in the authorisation matrix, by rule and over HTTP.

Participants and the receiving department's members see a thread; everyone else,
a second GP and the portal's administrators (superusers) included, gets 404 (not
403: the thread's existence is not revealed). The harness adds the superuser row.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from portal.accounts.roles import Role
from portal.correspondence.models import Attachment, InboxSettings
from tests.accounts.factories import UserFactory
from tests.authz import assert_authorisation_matrix, http_ok, perm

from .factories import member, open_thread, world

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _url(obj) -> str:
    if isinstance(obj, Attachment):
        thread = obj.message.thread
        return reverse(
            "correspondence:attachment",
            kwargs={"public_id": thread.public_id, "attachment_id": obj.public_id},
        )
    return reverse("correspondence:thread", kwargs={"public_id": obj.public_id})


@pytest.fixture
def arranged():
    w = world()
    thread = open_thread(
        w,
        attachments=[SimpleUploadedFile("ekg.png", PNG, content_type="image/png")],
        patient_cpr="0707614285",
    )
    message = thread.messages.get()
    attachment = Attachment.objects.get()
    users = {
        "gp": w.gp,
        "gp_colleague": member(w.practice, Role.GP),
        "other_gp": w.other_gp,
        "specialist": w.specialist,
        "secretary": w.secretary,
        "other_department": w.other_specialist,
        "no_membership": UserFactory(),
    }
    return w, users, {"thread": thread, "message": message, "attachment": attachment}


SEEING = {"gp", "gp_colleague", "specialist", "secretary"}


def test_the_matrix_by_rule(arranged):
    _w, users, objects = arranged
    allowed = {(role, "thread", "view") for role in SEEING}
    allowed |= {(role, "thread", "reply") for role in SEEING - {"secretary"}}
    allowed |= {(role, "thread", "close") for role in SEEING - {"secretary"}}
    allowed |= {(role, "thread", "reveal_cpr") for role in SEEING - {"secretary"}}
    allowed |= {("specialist", "thread", "claim")}
    allowed |= {
        (role, "thread", action) for role in ("specialist", "secretary") for action in ("assign", "reroute")
    }
    allowed |= {(role, "message", "view_message") for role in SEEING}
    allowed |= {(role, "attachment", "view_attachment") for role in SEEING}

    def only(kind, name):
        check = perm(name)
        return lambda user, obj: obj.__class__.__name__.lower() == kind and check(user, obj)

    cells = assert_authorisation_matrix(
        users=users,
        objects=objects,
        actions={
            "view": only("thread", "correspondence.view_thread"),
            "reply": only("thread", "correspondence.reply_thread"),
            "claim": only("thread", "correspondence.claim_thread"),
            "assign": only("thread", "correspondence.assign_thread"),
            "reroute": only("thread", "correspondence.reroute_thread"),
            "close": only("thread", "correspondence.close_thread"),
            "reveal_cpr": only("thread", "correspondence.reveal_cpr_thread"),
            "view_message": only("message", "correspondence.view_message"),
            "view_attachment": only("attachment", "correspondence.view_attachment"),
        },
        allowed=allowed,
    )
    assert cells == 8 * 3 * 9


def test_the_matrix_over_http(arranged):
    _w, users, objects = arranged
    objects = {"thread": objects["thread"], "attachment": objects["attachment"]}
    allowed = {(role, name, "open") for role in SEEING for name in objects}
    cells = assert_authorisation_matrix(
        users=users, objects=objects, actions={"open": http_ok(Client, _url)}, allowed=allowed
    )
    assert cells == 8 * 2


def test_medcom_export_urls_are_404_outside_the_thread(arranged):
    _w, users, objects = arranged
    message = objects["message"]
    client = Client()
    from tests.accounts.login import verified_login

    verified_login(client, users["other_gp"])
    for name in ("medcom_json", "medcom_xml"):
        url = reverse(
            f"correspondence:{name}",
            kwargs={"public_id": message.thread.public_id, "message_id": message.public_id},
        )
        assert client.get(url).status_code == 404


def test_an_unshared_inbox_hides_threads_from_members_who_are_not_in_them(arranged):
    w, users, objects = arranged
    InboxSettings.objects.create(organisation=w.practice, shared_with_members=False)
    client = Client()
    from tests.accounts.login import verified_login

    verified_login(client, users["gp_colleague"])
    assert client.get(_url(objects["thread"])).status_code == 404
    verified_login(client, users["gp"])  # the opener is a participant
    assert client.get(_url(objects["thread"])).status_code == 200


def test_the_demo_administrator_can_neither_read_nor_act_on_a_thread(arranged):
    """A superuser who administers the portal (an ADMINISTRATOR membership too) gets 404 everywhere."""
    from portal.accounts.models import Organisation
    from tests.accounts.login import verified_login

    w, _users, objects = arranged
    thread, attachment = objects["thread"], objects["attachment"]
    secretariat = Organisation.objects.create(kind=Organisation.Kind.SECRETARIAT, name="Sekretariatet")
    admin = member(secretariat, Role.ADMINISTRATOR, is_superuser=True, is_staff=True)
    client = Client()
    verified_login(client, admin)
    message = objects["message"]

    assert client.get(_url(thread)).status_code == 404
    assert client.get(_url(attachment)).status_code == 404
    for name in ("medcom_json", "medcom_xml"):
        url = reverse(
            f"correspondence:{name}", kwargs={"public_id": thread.public_id, "message_id": message.public_id}
        )
        assert client.get(url).status_code == 404

    def post(name, data):
        url = reverse(f"correspondence:{name}", kwargs={"public_id": thread.public_id})
        return client.post(url, data).status_code

    assert post("claim", {}) == 404
    assert post("reply", {"body": "Administratoren svarer"}) == 404
    assert post("assign", {"assignee": w.specialist.pk}) == 404
    assert post("reroute", {"to_organisation": w.other_department.pk, "reason": "x"}) == 404
    assert post("close", {"summary": "Lukket af administrator"}) == 404
    thread.refresh_from_db()
    assert thread.assignee_id is None and thread.is_open
    assert thread.recipient_organisation == w.department and thread.messages.count() == 1
    assert not client.get(reverse("correspondence:inbox")).context["rows"]

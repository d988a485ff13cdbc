"""Administrators see undelivered MedCom messages in the admin, without the patient, and retry them."""

import pytest

from portal.correspondence.medcom.importing import carecommunication_import
from portal.correspondence.models import DeadLetter, Thread
from tests.accounts.factories import UserFactory
from tests.accounts.login import verified_login

from .test_carecommunication import TEST_CPR
from .test_import import UNSERVED_SOR, _addressed_to, served

pytestmark = pytest.mark.django_db

LIST = "/admin/snippets/correspondence/deadletter/"
CPR_FORMS = (TEST_CPR, "250947-9989", "250947")


@pytest.fixture
def admin_client(client):
    verified_login(client, UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def letter():
    return carecommunication_import(_addressed_to(UNSERVED_SOR)).dead_letter


def _assert_no_cpr(html: str):
    for form in CPR_FORMS:
        assert form not in html


def test_the_list_shows_reason_sender_and_receiver_but_never_the_patient(admin_client, letter):
    html = admin_client.get(LIST).content.decode()
    assert "Hjemmesygeplejen, Aalborg kommune" in html and UNSERVED_SOR in html
    assert "SOR-koden er ukendt" in html
    _assert_no_cpr(html)
    inspect = admin_client.get(f"{LIST}inspect/{letter.pk}/")
    assert inspect.status_code == 200
    assert letter.header_id in inspect.content.decode()
    _assert_no_cpr(inspect.content.decode())


def test_dead_letters_cannot_be_added_or_edited_by_hand(admin_client, letter):
    assert admin_client.get(f"{LIST}add/").status_code in (302, 403)
    assert admin_client.get(f"{LIST}edit/{letter.pk}/").status_code in (302, 403)


def test_a_user_without_admin_rights_sees_nothing(client, letter):
    verified_login(client, UserFactory())
    assert client.get(LIST).status_code in (302, 403)
    assert client.post(f"{LIST}retry/{letter.pk}/").status_code in (302, 403)
    assert DeadLetter.objects.get().status == DeadLetter.Status.WAITING


def test_retry_asks_first_then_delivers_once_the_organisation_exists(admin_client, letter):
    assert f"{LIST}retry/{letter.pk}/" in admin_client.get(LIST).content.decode()
    confirm = admin_client.get(f"{LIST}retry/{letter.pk}/")
    assert confirm.status_code == 200 and 'method="post"' in confirm.content.decode()
    assert DeadLetter.objects.get().attempts == 1  # asking changed nothing

    response = admin_client.post(f"{LIST}retry/{letter.pk}/", follow=True)
    assert "SOR-koden er ukendt" in response.content.decode()
    assert DeadLetter.objects.get().attempts == 2 and not Thread.objects.exists()

    served(UNSERVED_SOR)
    admin_client.post(f"{LIST}retry/{letter.pk}/")
    letter.refresh_from_db()
    assert letter.status == DeadLetter.Status.DELIVERED and letter.thread == Thread.objects.get()
    # Delivered letters are not offered for retry again.
    assert admin_client.post(f"{LIST}retry/{letter.pk}/").status_code == 404

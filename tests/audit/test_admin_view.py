"""The administrator's "min log" view in the Wagtail admin: superusers only, CPR only in POST bodies."""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import RequestFactory

from portal.audit.models import AccessLogEntry
from portal.audit.wagtail_hooks import SuperuserMenuItem
from portal.patients.crypto import blind_index
from portal.patients.services import patient_reference_get_or_create
from tests.accounts.factories import UserFactory
from tests.accounts.login import verified_login

pytestmark = pytest.mark.django_db

URL = "/admin/adgangslog/"
EXPORT_URL = "/admin/adgangslog/eksport/"
CPR = "0707611006"
CPR_SHAPED = re.compile(r"\b\d{6}-?\d{4}\b")


def verified(client, user):
    """Logged in and past the second factor, as the admin requires."""
    verified_login(client, user)
    return client


@pytest.fixture
def admin_client(client):
    return verified(
        client, UserFactory(is_superuser=True, is_staff=True, first_name="Ada", last_name="Admin")
    )


@pytest.fixture
def editor_client(client):
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    return verified(client, editor)


@pytest.fixture
def patient():
    doctor = UserFactory(first_name="Karen", last_name="Lund")
    patient, _created = patient_reference_get_or_create(cpr=CPR, actor=doctor, purpose="Behandling")
    return patient


def test_the_form_is_a_post_form_and_the_page_is_not_cached(admin_client):
    response = admin_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<form method="post" action="/admin/adgangslog/"', html)
    assert 'name="cpr"' in html
    assert "no-store" in response["Cache-Control"]


def test_looking_up_a_patient_shows_the_log_masked_and_logs_the_look_up(admin_client, patient):
    response = admin_client.post(URL, {"cpr": "070761-1006"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "070761-XXXX" in html
    assert "Karen Lund" in html and "Behandling" in html
    assert not CPR_SHAPED.search(html), "no CPR number in the rendered page"
    assert blind_index(CPR) in html  # the export form carries the blind index, not the number
    newest = AccessLogEntry.objects.first()
    assert (newest.action, newest.actor.email, newest.patient_index) == (
        "view",
        response.wsgi_request.user.email,
        patient.cpr_index,
    )
    assert AccessLogEntry.objects.count() == 2


def test_a_malformed_number_is_a_form_error_and_is_not_echoed(admin_client):
    response = admin_client.post(URL, {"cpr": "070761 1006"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "070761 1006" not in html and "1006" not in html
    assert response.context["form"].errors["cpr"]
    assert not AccessLogEntry.objects.exists()


def test_a_cpr_in_the_query_string_is_ignored(admin_client):
    response = admin_client.get(URL, {"cpr": CPR})
    assert response.status_code == 200
    assert "070761-XXXX" not in response.content.decode()
    assert not AccessLogEntry.objects.exists()


def test_the_export_is_a_csv_attachment_and_is_logged(admin_client, patient):
    response = admin_client.post(EXPORT_URL, {"patient_index": patient.cpr_index})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="adgangslog-')
    body = response.content.decode("utf-8-sig")
    assert "Karen Lund" in body and "Ada Admin" in body
    assert CPR not in body
    assert AccessLogEntry.objects.first().action == "export"


def test_the_export_refuses_get_and_a_malformed_index(admin_client):
    assert admin_client.get(EXPORT_URL, {"patient_index": blind_index(CPR)}).status_code == 405
    assert admin_client.post(EXPORT_URL, {"patient_index": CPR}).status_code == 400
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize(("method", "url"), [("get", URL), ("post", URL), ("post", EXPORT_URL)])
def test_anyone_but_a_superuser_gets_404(editor_client, patient, method, url):
    data = {"cpr": CPR} if url == URL else {"patient_index": patient.cpr_index}
    response = getattr(editor_client, method)(url, data)
    assert response.status_code == 404
    assert AccessLogEntry.objects.count() == 1  # only the patient's creation


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.post(URL, {"cpr": CPR})
    assert response.status_code == 302
    assert CPR not in response["Location"]


def test_the_menu_item_is_shown_to_superusers_only():
    item = SuperuserMenuItem("x", URL)
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    assert item.is_shown(request)
    request.user = UserFactory(is_staff=True)
    assert not item.is_shown(request)


def test_the_reports_menu_lists_the_access_log_for_a_superuser(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert URL in html


def test_the_cpr_is_hidden_from_error_reports(admin_client):
    from django.views.debug import SafeExceptionReporterFilter

    response = admin_client.post(URL, {"cpr": CPR})
    request = response.wsgi_request
    assert request.sensitive_post_parameters == ("cpr",)
    assert SafeExceptionReporterFilter().get_post_parameters(request)["cpr"] != CPR

"""/healthz: up or down for everyone (503 without the database), details for staff only."""

from unittest import mock

import pytest
from django.db import connection

from tests.accounts.factories import UserFactory
from tests.accounts.login import verified_login


@pytest.mark.django_db
def test_healthz_reports_database_ok_without_details_to_anonymous_callers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"status": "ok"}
    assert "documents" not in body["search"] and body["search"]["status"] == "ok"
    assert connection.vendor not in response.content.decode()


@pytest.mark.django_db
def test_staff_see_the_vendor_and_the_document_count(client):
    verified_login(client, UserFactory(is_staff=True))
    body = client.get("/healthz").json()
    assert body["database"] == {"status": "ok", "vendor": connection.vendor}
    assert "documents" in body["search"] or body["search"]["backend"] == "opensearch"


@pytest.mark.django_db
def test_a_logged_in_clinician_is_not_staff(client):
    verified_login(client, UserFactory())
    assert client.get("/healthz").json()["database"] == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_down(client):
    with mock.patch(
        "portal.core.views._database_state", return_value={"status": "error", "error": "OperationalError"}
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["database"] == {"status": "error"}


@pytest.mark.django_db
def test_healthz_rejects_post(client):
    assert client.post("/healthz").status_code == 405

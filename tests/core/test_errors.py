"""Danish error pages: 404 for unknown URLs, 400 for oversized bodies, 500 with an incident id."""

import logging

import pytest
from django.test import Client, override_settings
from django.urls import path

pytestmark = pytest.mark.django_db


def broken_view(request):
    raise RuntimeError("secret internal detail: db password is hunter2")


urlpatterns = [path("boom/", broken_view)]
handler500 = "portal.core.views.server_error"


def test_unknown_url_gives_the_danish_404(client):
    response = client.get("/findes/slet/ikke/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Siden blev ikke fundet" in html or "Siden findes ikke" in html
    assert '<html lang="da">' in html


def test_oversized_body_gives_400_with_a_danish_message(client, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1024
    response = client.post("/soeg/", data=b"x" * 4096, content_type="application/octet-stream")
    assert response.status_code == 400
    assert "for stor" in response.content.decode()


def test_oversized_multipart_upload_gives_400_not_500(client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MAX_REQUEST_BODY_BYTES = 10_000
    upload = SimpleUploadedFile("stor.pdf", b"%PDF-1.7\n" + b"0" * 50_000, content_type="application/pdf")
    response = client.post("/admin/documents/multiple/add/", {"files[]": upload})
    assert response.status_code == 400


def test_malformed_content_length_gives_400(client):
    response = client.generic("POST", "/soeg/", b"", CONTENT_LENGTH="-5")
    assert response.status_code == 400


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_500_shows_an_incident_id_and_no_internals(caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="samspil.incidents"):
        response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "hunter2" not in html and "RuntimeError" not in html and "Traceback" not in html
    incident = [r for r in caplog.records if r.name == "samspil.incidents"]
    assert len(incident) == 1
    incident_id = incident[0].args[0]
    assert len(incident_id) == 12
    assert incident_id in html
    assert "Der opstod en fejl" in html or "Noget gik galt" in html


def test_a_404_is_not_logged_as_an_incident(client, caplog):
    with caplog.at_level(logging.ERROR, logger="samspil.incidents"):
        client.get("/findes/slet/ikke/")
    assert not [r for r in caplog.records if r.name == "samspil.incidents"]

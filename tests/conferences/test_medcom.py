"""The specialist's note as a MedCom CareCommunication, read back by the MedCom parser."""

import json

import pytest
from django.urls import reverse

from portal.audit.models import AccessLogEntry
from portal.conferences import services
from portal.correspondence.medcom.parsing import parse_bundle
from tests.accounts.login import verified_login

from .factories import on_duty, request_from_gp, world

pytestmark = pytest.mark.django_db


def _closed_with_note(w, *, patient_cpr="0707614285"):
    w.department.sor_code, w.practice.sor_code = f"91{w.department.pk:013d}", f"92{w.practice.pk:013d}"
    w.department.save(update_fields=["sor_code"])
    w.practice.save(update_fields=["sor_code"])
    on_duty(w)
    conference = request_from_gp(w, patient_cpr=patient_cpr)
    services.conference_accept(conference=conference, user=w.specialist)
    if patient_cpr:
        services.overview_update(conference=conference, actor=w.gp, diagnoses=[("I48", "Hemmelig diagnose")])
    services.conference_close(conference=conference, actor=w.specialist)
    services.conference_note_write(conference=conference, author=w.specialist, text="Seponér *oxazepam*.")
    return conference


@pytest.mark.parametrize("format", ["json", "xml"])
def test_the_note_exports_as_a_carecommunication_the_parser_accepts(client, format):
    w = world()
    conference = _closed_with_note(w)
    verified_login(client, w.gp)
    url = reverse(f"conferences:note_medcom_{format}", kwargs={"public_id": conference.public_id})
    before = AccessLogEntry.objects.filter(action="export").count()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(f"application/fhir+{format}")
    message = parse_bundle(response.content)
    assert message.patient.cpr == "0707614285"
    assert (message.sender.sor, message.receiver.sor) == (w.department.sor_code, w.practice.sor_code)
    assert message.communication.category == "carecoordination"
    (payload,) = message.communication.payloads
    assert payload.text == "Seponér *oxazepam*."  # as written, not rendered or stripped
    assert payload.author.family == "Geriater" and payload.author.role_code == "overlaege"
    assert b"Hemmelig diagnose" not in response.content  # never the overview
    assert AccessLogEntry.objects.filter(action="export").count() == before + 1
    assert client.get(url).content == response.content  # the same bundle twice
    if format == "json":
        assert json.loads(response.content)["type"] == "message"


def test_outside_the_conference_the_export_is_404_and_without_a_patient_it_is_refused(client):
    w = world()
    conference = _closed_with_note(w)
    verified_login(client, w.gp_colleague)
    url = reverse("conferences:note_medcom_json", kwargs={"public_id": conference.public_id})
    assert client.get(url).status_code == 404
    other = world()
    no_patient = _closed_with_note(other, patient_cpr="")
    verified_login(client, other.gp)
    response = client.get(reverse("conferences:note_medcom_json", kwargs={"public_id": no_patient.public_id}))
    assert response.status_code == 302
    assert "MedCom kræver en patient" in client.get(response["Location"]).content.decode()

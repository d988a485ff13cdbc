"""Recording entries, listing a patient's log and exporting it as CSV."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from portal.audit.models import AccessLogEntry
from portal.audit.selectors import access_log_for_patient
from portal.audit.services import access_log_export_csv, access_log_record
from tests.accounts.factories import UserFactory
from tests.patients.factories import PatientReferenceFactory

from .factories import AccessLogEntryFactory, index_for

pytestmark = pytest.mark.django_db


def test_record_keeps_who_what_which_patient_and_why():
    doctor = UserFactory(first_name="Ole", last_name="Berg")
    patient = PatientReferenceFactory()
    request = RequestFactory().get("/", REMOTE_ADDR="2001:db8::1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    entry = access_log_record(
        actor=doctor,
        patient_index=patient.cpr_index,
        action="view",
        obj=patient,
        purpose=" Behandling ",
        request=request,
    )
    entry.refresh_from_db()
    assert (entry.actor, entry.actor_name, entry.action, entry.purpose) == (
        doctor,
        "Ole Berg",
        "view",
        "Behandling",
    )
    assert (entry.object_type, entry.object_id) == ("patients.patientreference", str(patient.pk))
    # The client's own X-Forwarded-For is not evidence.
    assert entry.ip_address == "2001:db8::1"


def test_the_name_survives_a_rename():
    doctor = UserFactory(first_name="Ole", last_name="Berg")
    access_log_record(
        actor=doctor, patient_index=index_for("a"), action="view", obj=None, purpose="Behandling"
    )
    doctor.last_name = "Berg-Hansen"
    doctor.save()
    assert AccessLogEntry.objects.get().actor_name == "Ole Berg"


def test_a_system_job_has_no_actor():
    entry = access_log_record(
        actor=None, patient_index=index_for("a"), action="change", obj=None, purpose="Import"
    )
    assert entry.actor is None and entry.actor_name == "System" and entry.ip_address is None


@pytest.mark.parametrize("patient_index", ["0707611006", "070761-1006", "", "A" * 64, index_for("a")[:63]])
def test_only_a_blind_index_names_the_patient(patient_index):
    with pytest.raises(ValidationError):
        access_log_record(
            actor=None, patient_index=patient_index, action="view", obj=None, purpose="Behandling"
        )
    assert not AccessLogEntry.objects.exists()


def test_an_unknown_action_is_refused():
    with pytest.raises(ValidationError):
        access_log_record(actor=None, patient_index=index_for("a"), action="delete", obj=None, purpose="x")


def test_the_log_per_patient_is_that_patients_only():
    mine = [AccessLogEntryFactory(patient_index=index_for("me")) for _ in range(2)]
    AccessLogEntryFactory(patient_index=index_for("someone else"))
    assert set(access_log_for_patient(patient_index=index_for("me"))) == set(mine)


def test_the_csv_export_is_logged_and_lists_itself():
    admin = UserFactory(first_name="Ada", last_name="Admin")
    AccessLogEntryFactory(patient_index=index_for("me"), actor_name="Karen Lund", purpose="Behandling")
    AccessLogEntryFactory(patient_index=index_for("someone else"))

    text = access_log_export_csv(patient_index=index_for("me"), actor=admin)

    assert AccessLogEntry.objects.count() == 3
    export = AccessLogEntry.objects.first()
    assert (export.action, export.actor, export.patient_index) == ("export", admin, index_for("me"))
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 3  # header, the export itself, the earlier view
    assert rows[1][1] == "Ada Admin"
    assert rows[2][1] == "Karen Lund" and rows[2][5] == "Behandling"


def test_the_csv_cannot_smuggle_a_spreadsheet_formula():
    admin = UserFactory()
    AccessLogEntryFactory(patient_index=index_for("me"), actor_name='=HYPERLINK("https://evil.example")')
    rows = list(csv.reader(io.StringIO(access_log_export_csv(patient_index=index_for("me"), actor=admin))))
    assert rows[2][1].startswith("'=")


def test_the_object_type_has_a_label_for_people():
    from django.utils import translation

    entry = AccessLogEntryFactory(object_type="patients.patientreference")
    with translation.override("en"):
        assert entry.object_type_label == "patient reference"
    assert AccessLogEntryFactory(object_type="").object_type_label == ""
    assert AccessLogEntryFactory(object_type="gone.model").object_type_label == "gone.model"

"""Every read and write of patient identity leaves exactly one access log entry."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from portal.audit.models import AccessLogEntry
from portal.patients.crypto import blind_index
from portal.patients.models import PatientReference
from portal.patients.selectors import patient_reference_get
from portal.patients.services import patient_cpr_reveal, patient_reference_get_or_create
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

CPR = "0707611006"


@pytest.fixture
def doctor():
    return UserFactory(first_name="Karen", last_name="Lund")


def log_count() -> int:
    return AccessLogEntry.objects.count()


def test_creating_a_patient_logs_create_and_finding_it_again_logs_view(doctor):
    patient, created = patient_reference_get_or_create(cpr="070761-1006", actor=doctor, purpose="Behandling")
    assert created
    assert log_count() == 1
    entry = AccessLogEntry.objects.get()
    assert entry.action == "create"
    assert entry.actor == doctor
    assert entry.actor_name == "Karen Lund"
    assert entry.patient_index == patient.cpr_index == blind_index(CPR)
    assert (entry.object_type, entry.object_id) == ("patients.patientreference", str(patient.pk))
    assert entry.purpose == "Behandling"

    again, created = patient_reference_get_or_create(cpr=f" {CPR} ", actor=doctor, purpose="Behandling")
    assert (again, created) == (patient, False)
    assert PatientReference.objects.count() == 1
    assert log_count() == 2
    assert AccessLogEntry.objects.first().action == "view"


def test_the_selector_logs_exactly_one_view_per_call(doctor):
    patient, _created = patient_reference_get_or_create(cpr=CPR, actor=doctor, purpose="Behandling")
    before = log_count()
    for expected in range(1, 4):
        assert patient_reference_get(patient_id=patient.pk, actor=doctor, purpose="Behandling") == patient
        assert log_count() == before + expected
    newest = AccessLogEntry.objects.first()
    assert (newest.action, newest.object_id) == ("view", str(patient.pk))


def test_revealing_the_full_number_is_logged(doctor):
    patient, _created = patient_reference_get_or_create(cpr=CPR, actor=doctor, purpose="Behandling")
    before = log_count()
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    assert patient_cpr_reveal(patient=patient, actor=doctor, purpose="Henvisning", request=request) == CPR
    assert log_count() == before + 1
    entry = AccessLogEntry.objects.first()
    assert (entry.action, entry.purpose, entry.ip_address) == ("reveal", "Henvisning", "10.1.2.3")


@pytest.mark.parametrize("cpr", ["12345", "3206611006", "0101575000", "070761 1006"])
def test_an_invalid_number_is_refused_and_nothing_is_stored_or_logged(doctor, cpr):
    with pytest.raises(ValidationError):
        patient_reference_get_or_create(cpr=cpr, actor=doctor, purpose="Behandling")
    assert PatientReference.objects.count() == 0
    assert log_count() == 0


def test_a_number_without_modulus_11_is_stored(doctor):
    patient, created = patient_reference_get_or_create(cpr="0110097213", actor=doctor, purpose="Behandling")
    assert created and patient.masked_cpr == "011009-XXXX"


@pytest.mark.parametrize("purpose", ["", "   "])
def test_a_purpose_is_required(doctor, purpose):
    with pytest.raises(ValidationError):
        patient_reference_get_or_create(cpr=CPR, actor=doctor, purpose=purpose)
    # The create and its log entry are one transaction: neither without the other.
    assert PatientReference.objects.count() == 0
    assert log_count() == 0


def test_nobody_anonymous_reaches_patient_data():
    with pytest.raises(PermissionDenied):
        patient_reference_get_or_create(cpr=CPR, actor=AnonymousUser(), purpose="Behandling")
    assert PatientReference.objects.count() == 0


def test_an_unknown_patient_id_raises_and_logs_nothing(doctor):
    with pytest.raises(PatientReference.DoesNotExist):
        patient_reference_get(patient_id=999_999, actor=doctor, purpose="Behandling")
    assert log_count() == 0


def test_str_never_shows_the_number(doctor):
    patient, _created = patient_reference_get_or_create(cpr=CPR, actor=doctor, purpose="Behandling")
    assert "070761" not in str(patient) and "1006" not in str(patient)

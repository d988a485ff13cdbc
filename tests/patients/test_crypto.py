"""CPR numbers at rest: encrypted, found by blind index, re-encrypted on key rotation."""

import io

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from portal.patients.crypto import blind_index, decrypt_cpr, encrypt_cpr
from portal.patients.models import PatientReference
from portal.patients.services import patient_reference_get_or_create
from tests.accounts.factories import UserFactory

from .factories import PatientReferenceFactory

CPR = "0707611006"


@pytest.mark.django_db
def test_the_raw_database_row_does_not_contain_the_cpr_number():
    patient, _created = patient_reference_get_or_create(
        cpr="070761-1006", actor=UserFactory(), purpose="Behandling"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM patients_patientreference")
        rows = cursor.fetchall()
    assert len(rows) == 1
    raw = " ".join(str(value) for value in rows[0])
    for leak in ("0707611006", "070761-1006", "070761 1006", "1961-07-07", "07.07.1961"):
        assert leak not in raw
    # And yet the number is there, for whoever holds the key.
    assert decrypt_cpr(PatientReference.objects.get().cpr_encrypted) == CPR


def test_encryption_is_randomised_and_reversible():
    first, second = encrypt_cpr(CPR), encrypt_cpr("070761-1006")
    assert first != second
    assert decrypt_cpr(first) == decrypt_cpr(second) == CPR


def test_the_blind_index_is_stable_and_keyed(settings):
    index = blind_index(CPR)
    assert len(index) == 64 and int(index, 16) >= 0
    assert blind_index("070761-1006") == blind_index(f" {CPR} ") == index
    assert blind_index("0707611007") != index
    settings.CPR_BLIND_INDEX_KEY = "another-key-of-at-least-thirty-two-characters"
    assert blind_index(CPR) != index


@pytest.mark.django_db
def test_masked_cpr_is_ddmmyy_xxxx():
    assert PatientReferenceFactory(cpr=CPR).masked_cpr == "070761-XXXX"


@pytest.mark.django_db
def test_key_rotation(settings):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CPR_ENCRYPTION_KEYS = [old_key]
    patients = [PatientReferenceFactory(cpr=cpr) for cpr in (CPR, "0110097213", "2302114025")]
    old_tokens = {p.pk: p.cpr_encrypted for p in patients}

    # The new key goes first; the old one stays until every row is re-encrypted.
    settings.CPR_ENCRYPTION_KEYS = [new_key, old_key]
    out = io.StringIO()
    call_command("rotate_cpr_keys", stdout=out)
    assert "3" in out.getvalue()

    settings.CPR_ENCRYPTION_KEYS = [new_key]
    for patient in PatientReference.objects.order_by("pk"):
        assert patient.cpr_encrypted != old_tokens[patient.pk]
        assert decrypt_cpr(patient.cpr_encrypted) in (CPR, "0110097213", "2302114025")
        with pytest.raises(InvalidToken):
            decrypt_cpr(old_tokens[patient.pk])
    assert PatientReference.objects.get(pk=patients[0].pk).masked_cpr == "070761-XXXX"


@pytest.mark.django_db
def test_rotation_in_batches_reaches_every_row(settings):
    from portal.patients.services import patient_references_rotate_keys

    for number in ("0707611006", "0110097213", "2302114025", "1409751235", "0708614137"):
        PatientReferenceFactory(cpr=number)
    assert patient_references_rotate_keys(batch_size=2) == 5


def test_missing_or_broken_keys_are_a_configuration_error(settings):
    settings.CPR_ENCRYPTION_KEYS = []
    with pytest.raises(ImproperlyConfigured):
        encrypt_cpr(CPR)
    settings.CPR_ENCRYPTION_KEYS = ["not-a-fernet-key"]
    with pytest.raises(ImproperlyConfigured) as info:
        encrypt_cpr(CPR)
    assert "not-a-fernet-key" not in str(info.value)
    settings.CPR_BLIND_INDEX_KEY = "short"
    with pytest.raises(ImproperlyConfigured):
        blind_index(CPR)

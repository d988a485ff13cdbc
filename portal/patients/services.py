"""Writes of patient identity. Each call appends exactly one access log entry."""

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from portal.accounts.models import User
from portal.audit.models import AccessLogEntry
from portal.audit.services import access_log_record

from .cpr import validate_cpr
from .crypto import blind_index, decrypt_cpr, encrypt_cpr, reencrypt
from .models import PatientReference


@transaction.atomic
def patient_reference_get_or_create(
    *, cpr: str, actor: User, purpose: str, request: HttpRequest | None = None
) -> tuple[PatientReference, bool]:
    """The patient with this CPR number, created if new; logged as "create" or "view".

    The number is validated first (a ValidationError in Danish for a wrong
    format, an impossible or a future date). The modulus 11 hint is for the
    form to show before it calls this; it does not stop the call.
    """
    number = validate_cpr(cpr).cpr
    index = blind_index(number)
    patient = PatientReference.objects.filter(cpr_index=index).first()
    created = False
    if patient is None:
        patient = PatientReference(cpr_encrypted=encrypt_cpr(number), cpr_index=index)
        patient.full_clean()
        try:
            # A savepoint, so that losing the race to a concurrent create leaves
            # the transaction usable for fetching the winner.
            with transaction.atomic():
                patient.save()
            created = True
        except IntegrityError:
            patient = PatientReference.objects.get(cpr_index=index)
    access_log_record(
        actor=actor,
        patient_index=index,
        action=AccessLogEntry.Action.CREATE if created else AccessLogEntry.Action.VIEW,
        obj=patient,
        purpose=purpose,
        request=request,
    )
    return patient, created


@transaction.atomic
def patient_cpr_reveal(
    *, patient: PatientReference, actor: User, purpose: str, request: HttpRequest | None = None
) -> str:
    """The full CPR number: an explicit action, logged as "reveal" before the number is returned."""
    access_log_record(
        actor=actor,
        patient_index=patient.cpr_index,
        action=AccessLogEntry.Action.REVEAL,
        obj=patient,
        purpose=purpose,
        request=request,
    )
    return decrypt_cpr(patient.cpr_encrypted)


# Modules that keep other patient data under the CPR keys (encrypt_patient_data) register how
# to re-encrypt it here, from their AppConfig.ready(); patients cannot import them.
_KEY_ROTATIONS: dict[str, Callable[[], int]] = {}


def key_rotation_register(*, label: str, rotate: Callable[[], int]) -> None:
    """``rotate()`` re-encrypts the module's rows with the first key and returns how many."""
    _KEY_ROTATIONS[label] = rotate


def patient_data_rotate_keys() -> dict[str, int]:
    """Re-encrypt the CPR numbers and every registered kind of patient data; counts by label."""
    counts = {"CPR-numre": patient_references_rotate_keys()}
    for label, rotate in _KEY_ROTATIONS.items():
        counts[label] = rotate()
    return counts


def patient_references_rotate_keys(*, batch_size: int = 500) -> int:
    """Re-encrypt every stored CPR number with the first key in CPR_ENCRYPTION_KEYS.

    Not logged per patient: no person sees a number, the plaintext never
    leaves this process, and the blind index does not change. Each batch is
    its own transaction; rotating twice is harmless, so an interrupted run is
    simply run again.
    """
    count = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            batch = list(
                PatientReference.objects.select_for_update()
                .filter(pk__gt=last_pk)
                .order_by("pk")
                .only("pk", "cpr_encrypted")[:batch_size]
            )
            if not batch:
                return count
            for patient in batch:
                patient.cpr_encrypted = reencrypt(patient.cpr_encrypted)
            # bulk_update skips full_clean: only the ciphertext of an already
            # validated number changes.
            PatientReference.objects.bulk_update(batch, ["cpr_encrypted"])
        count += len(batch)
        last_pk = batch[-1].pk

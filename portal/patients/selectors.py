"""Reads of patient identity. Each read appends exactly one access log entry."""

from django.http import HttpRequest

from portal.accounts.models import User
from portal.audit.models import AccessLogEntry
from portal.audit.services import access_log_record

from .models import PatientReference


def patient_reference_get(
    *, patient_id: int, actor: User, purpose: str, request: HttpRequest | None = None
) -> PatientReference:
    """The patient reference, logged as "view". Raises PatientReference.DoesNotExist.

    Whether ``actor`` may see this patient is for the calling module to decide
    first (its own rules); this selector makes sure the look-up leaves a trace.
    """
    patient = PatientReference.objects.get(pk=patient_id)
    access_log_record(
        actor=actor,
        patient_index=patient.cpr_index,
        action=AccessLogEntry.Action.VIEW,
        obj=patient,
        purpose=purpose,
        request=request,
    )
    return patient

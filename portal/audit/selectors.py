"""Reads of the access log."""

from django.db.models import QuerySet

from .models import AccessLogEntry


def access_log_for_patient(*, patient_index: str) -> QuerySet[AccessLogEntry]:
    """Every entry about one patient (by blind index), newest first."""
    return AccessLogEntry.objects.filter(patient_index=patient_index).order_by("-at", "-pk")

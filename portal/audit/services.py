"""Writes to the access log. Every read or write of patient data calls ``access_log_record``."""

import csv
import io
import ipaddress

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User

from .models import AccessLogEntry
from .selectors import access_log_for_patient

# Purposes are recorded evidence, not interface text: stored in Danish like
# the clinicians' own purposes ("Behandling"), whatever language is active.
PURPOSE_LOG_INSIGHT = "Indsigt i adgangslog"
PURPOSE_LOG_EXPORT = "Udlevering af adgangslog"
SYSTEM_ACTOR_NAME = "System"

# A cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _actor_name(actor: User | None) -> str:
    if actor is None:
        return SYSTEM_ACTOR_NAME
    return actor.get_full_name() or actor.email


def _client_ip(request: HttpRequest | None) -> str | None:
    """REMOTE_ADDR only: X-Forwarded-For is whatever the client chose to send.

    Behind a reverse proxy the proxy (or the WSGI server trusting it) must put
    the client's address into REMOTE_ADDR.
    """
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _record(
    *,
    actor: User | None,
    patient_index: str,
    action: str,
    object_type: str,
    object_id: str,
    purpose: str,
    request: HttpRequest | None,
) -> AccessLogEntry:
    if actor is not None and not actor.is_authenticated:
        raise PermissionDenied("Patient data is never accessed anonymously.")
    entry = AccessLogEntry(
        actor=actor,
        actor_name=_actor_name(actor),
        patient_index=patient_index,
        action=action,
        object_type=object_type,
        object_id=object_id,
        purpose=(purpose or "").strip(),
        ip_address=_client_ip(request),
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def access_log_record(
    *,
    actor: User | None,
    patient_index: str,
    action: str,
    obj: models.Model | None,
    purpose: str,
    request: HttpRequest | None = None,
) -> AccessLogEntry:
    """Append one entry. ``actor`` is None only for system jobs; ``purpose`` is required."""
    return _record(
        actor=actor,
        patient_index=patient_index,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        purpose=purpose,
        request=request,
    )


@transaction.atomic
def access_log_record_insight(*, actor: User, patient_index: str, request: HttpRequest | None = None) -> None:
    """Log that someone read a patient's access log: who looked is itself patient data."""
    _record(
        actor=actor,
        patient_index=patient_index,
        action=AccessLogEntry.Action.VIEW,
        object_type=AccessLogEntry._meta.label_lower,
        object_id="",
        purpose=PURPOSE_LOG_INSIGHT,
        request=request,
    )


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


@transaction.atomic
def access_log_export_csv(*, patient_index: str, actor: User, request: HttpRequest | None = None) -> str:
    """The patient's whole log as CSV text; the export is logged first, so it lists itself."""
    _record(
        actor=actor,
        patient_index=patient_index,
        action=AccessLogEntry.Action.EXPORT,
        object_type=AccessLogEntry._meta.label_lower,
        object_id="",
        purpose=PURPOSE_LOG_EXPORT,
        request=request,
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [_("Time"), _("Name"), _("Action"), _("Object type"), _("Object id"), _("Purpose"), _("IP address")]
    )
    for entry in access_log_for_patient(patient_index=patient_index):
        writer.writerow(
            [
                _cell(timezone.localtime(entry.at).isoformat(timespec="seconds")),
                _cell(entry.actor_name),
                _cell(entry.get_action_display()),
                _cell(entry.object_type),
                _cell(entry.object_id),
                _cell(entry.purpose),
                _cell(entry.ip_address),
            ]
        )
    return out.getvalue()

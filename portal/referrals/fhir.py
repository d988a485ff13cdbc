"""A referral's decision as an HL7 FHIR R4 Task, after the draft MedCom referral model.

The Task is the visitation of the referral (its ``focus``, a ServiceRequest) for the patient
(``for``). ``status`` is from FHIR's task-status value set and is never ``rejected``: a
re-route is a Task that another department now owns, a return to the GP is ``completed``
with the business status saying so. ``businessStatus`` is the outcome, ``statusReason`` the
reason code, ``output`` the alternative offered and the appointment.

References are ``urn:uuid:`` ids derived from the referral (UUID v5, so exporting twice gives
the same resource); the CPR number is not in the Task, not even in plain text: the receiving
system resolves the patient reference within the bundle it was sent with. Organisations
carry their SOR code where they have one.
"""

import uuid

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from portal.accounts.models import Organisation, User
from portal.audit.models import AccessLogEntry

from .models import Referral, ReferralEvent
from .services import PURPOSE_EXPORT, _log

TASK_STATUSES = frozenset(
    {
        "draft",
        "requested",
        "received",
        "accepted",
        "rejected",
        "ready",
        "cancelled",
        "in-progress",
        "on-hold",
        "failed",
        "completed",
        "entered-in-error",
    }
)
BUSINESS_STATUS_SYSTEM = "https://samspil.dk/fhir/CodeSystem/referral-business-status"
REASON_SYSTEM = "https://samspil.dk/fhir/CodeSystem/referral-reroute-reason"
SOR_SYSTEM = "urn:oid:1.2.208.176.1.1"
REFERRAL_IDENTIFIER_SYSTEM = "https://samspil.dk/fhir/NamingSystem/referral"

# The state of the referral -> (Task.status, businessStatus code).
STATUS = {
    Referral.State.RECEIVED: ("received", "received"),
    Referral.State.REROUTED: ("received", "rerouted"),
    Referral.State.DIALOGUE: ("on-hold", "dialogue-requested"),
    Referral.State.PREVISITATION: ("in-progress", "pre-visitation"),
    Referral.State.ACCEPTED: ("accepted", "accepted"),
    Referral.State.RETURNED: ("completed", "returned-after-dialogue"),
    Referral.State.VETO: ("accepted", "veto-acute-reception"),
}

_NAMESPACE = uuid.UUID("0f4a7c2e-9d1b-4b6a-a3e5-7c8d9e0f1a2b")


def _uid(*parts: object) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, ':'.join(str(p) for p in parts))}"


def _organisation(org: Organisation) -> dict:
    reference = {"reference": _uid("organisation", org.pk), "display": str(org)}
    if org.sor_code:
        reference["identifier"] = {"system": SOR_SYSTEM, "value": org.sor_code}
    return reference


def _time(value) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def task_resource(referral: Referral, decision: ReferralEvent | None) -> dict:
    status, business = STATUS[Referral.State(referral.state)]
    task = {
        "resourceType": "Task",
        "id": str(uuid.uuid5(_NAMESPACE, f"task:{referral.public_id}")),
        "identifier": [{"system": REFERRAL_IDENTIFIER_SYSTEM, "value": str(referral.public_id)}],
        "status": status,
        "businessStatus": {
            "coding": [{"system": BUSINESS_STATUS_SYSTEM, "code": business}],
            "text": str(Referral.State(referral.state).label),
        },
        "intent": "order",
        "priority": {"subacute": "urgent", "urgent": "asap", "routine": "routine"}[referral.urgency],
        "focus": {"reference": _uid("servicerequest", referral.public_id), "type": "ServiceRequest"},
        "for": {"reference": _uid("patient", referral.patient_id), "type": "Patient"},
        "authoredOn": _time(referral.created_at),
        "lastModified": _time(referral.last_step_at),
        "requester": _organisation(referral.practice),
        "owner": _organisation(referral.destination),
    }
    if decision is not None:
        if decision.reason_code:
            task["statusReason"] = {
                "coding": [{"system": REASON_SYSTEM, "code": decision.reason_code}],
                "text": decision.text,
            }
        output = []
        if decision.alternative:
            output.append({"type": {"text": "alternative-offer"}, "valueString": decision.alternative})
        if decision.kind == ReferralEvent.Kind.REROUTED and decision.to_organisation_id:
            output.append(
                {"type": {"text": "rerouted-to"}, "valueReference": _organisation(decision.to_organisation)}
            )
        if decision.appointment_start:
            period = {"start": _time(decision.appointment_start)}
            if decision.appointment_end:
                period["end"] = _time(decision.appointment_end)
            output.append({"type": {"text": "appointment"}, "valuePeriod": period})
        if output:
            task["output"] = output
    if referral.vetoed_at:
        task["note"] = [{"time": _time(referral.vetoed_at), "text": "Veto: skal ses i fælles akutmodtagelse"}]
    return task


def latest_decision(referral: Referral) -> ReferralEvent | None:
    return (
        referral.events.filter(kind__in=ReferralEvent.DECISIONS)
        .select_related("to_organisation__parent")
        .order_by("-at", "-pk")
        .first()
    )


@transaction.atomic
def referral_task_export(*, referral: Referral, actor: User, request: HttpRequest | None = None) -> dict:
    """The Task for the referral's current decision; logged as an export of the patient's data."""
    _log(referral, actor=actor, action=AccessLogEntry.Action.EXPORT, purpose=PURPOSE_EXPORT, request=request)
    return task_resource(referral, latest_decision(referral))

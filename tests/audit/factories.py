import hashlib

import factory

from portal.audit.models import AccessLogEntry


def index_for(label: str) -> str:
    """A stand-in blind index (64 hex characters) for tests that need no real patient."""
    return hashlib.sha256(label.encode()).hexdigest()


class AccessLogEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessLogEntry

    actor = None
    actor_name = "System"
    patient_index = factory.LazyFunction(lambda: index_for("patient"))
    action = AccessLogEntry.Action.VIEW
    object_type = "patients.patientreference"
    object_id = "1"
    purpose = "Behandling"

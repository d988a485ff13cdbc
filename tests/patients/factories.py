import factory

from portal.patients.crypto import blind_index, encrypt_cpr
from portal.patients.models import PatientReference


class PatientReferenceFactory(factory.django.DjangoModelFactory):
    """A patient stored directly, without an access log entry: for arranging tests only."""

    class Meta:
        model = PatientReference

    class Params:
        cpr = "0707611006"

    cpr_encrypted = factory.LazyAttribute(lambda o: encrypt_cpr(o.cpr))
    cpr_index = factory.LazyAttribute(lambda o: blind_index(o.cpr))

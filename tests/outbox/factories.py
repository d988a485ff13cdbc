import factory

from portal.outbox.models import OutboxEmail


class OutboxEmailFactory(factory.django.DjangoModelFactory):
    """A stored e-mail, written directly (no transaction check, no task): for arranging tests."""

    class Meta:
        model = OutboxEmail

    key = factory.Sequence(lambda n: f"test.notification:{n}")
    to = factory.LazyFunction(lambda: ["laege@samspil.test"])
    subject = "Nyt svar i Samspil"
    body = "Der er et nyt svar til dig: https://samspil.test/korrespondance/1/"

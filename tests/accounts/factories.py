import factory

from portal.accounts.models import HealthCouncilArea, Membership, Organisation, Region, Specialty, User
from portal.accounts.roles import Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"bruger{n}@samspil.test")
    first_name = "Hanne"
    last_name = factory.Sequence(lambda n: f"Hansen{n}")
    password = factory.django.Password("korrekt-hest-batteri-42")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")


class HealthCouncilAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HealthCouncilArea

    name = factory.Sequence(lambda n: f"Sundhedsråd {n}")
    slug = factory.Sequence(lambda n: f"sundhedsraad-{n}")
    region = factory.SubFactory(RegionFactory)


def specialty(slug: str) -> Specialty:
    """Specialties are seed data from a migration: look them up, don't invent them."""
    return Specialty.objects.get(slug=slug)


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.GENERAL_PRACTICE
    name = factory.Sequence(lambda n: f"Lægehuset {n}")
    yder_number = factory.Sequence(lambda n: f"{100000 + n:06d}")
    health_council_area = factory.SubFactory(HealthCouncilAreaFactory)


class HospitalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.HOSPITAL
    name = factory.Sequence(lambda n: f"Regionshospital {n}")
    health_council_area = factory.SubFactory(HealthCouncilAreaFactory)


class KapUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.KAP_UNIT
    name = factory.Sequence(lambda n: f"KAP-enhed {n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.DEPARTMENT
    name = factory.Sequence(lambda n: f"Afdeling {n}")
    parent = factory.SubFactory(HospitalFactory)
    specialty = factory.LazyFunction(lambda: specialty("geriatri"))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(PracticeFactory)
    role = Role.GP

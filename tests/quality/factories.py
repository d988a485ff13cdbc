import factory

from portal.quality.models import QualityCluster
from tests.accounts.factories import HealthCouncilAreaFactory


class QualityClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QualityCluster
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Klynge {n}")
    slug = factory.Sequence(lambda n: f"klynge-{n}")
    health_council_area = factory.SubFactory(HealthCouncilAreaFactory)

    @factory.post_generation
    def practices(self, create, extracted, **kwargs):
        if create and extracted:
            self.practices.add(*extracted)

"""Page factories. Pages are built under the real home page and sections, as editors make them."""

import factory
import wagtail_factories

from content.models import (
    AuditMaterialPage,
    CasePage,
    FaqPage,
    GuidelinePage,
    HomePage,
    SectionIndexPage,
    ThinkSmartReviewPage,
)
from content.services import section_ensure, site_home_ensure


def home() -> HomePage:
    return site_home_ensure(title="Samspil")


def section(slug: str = "retningslinjer", title: str = "Retningslinjer") -> SectionIndexPage:
    return section_ensure(home=home(), slug=slug, title=title)


def markdown_body(*texts: str) -> list:
    return [("markdown", text) for text in texts]


class SectionIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = SectionIndexPage

    title = factory.Sequence(lambda n: f"Sektion {n}")
    parent = factory.LazyFunction(home)


class _KnowledgePageFactory(wagtail_factories.PageFactory):
    summary = "Et kort resumé."
    parent = factory.LazyFunction(section)


class GuidelinePageFactory(_KnowledgePageFactory):
    class Meta:
        model = GuidelinePage

    title = factory.Sequence(lambda n: f"Retningslinje {n}")
    variant_reason = "Patienterne i almen praksis er andre end på sygehuset."
    general_practice_body = factory.LazyFunction(lambda: markdown_body("Almen praksis gør dette."))
    hospital_body = factory.LazyFunction(lambda: markdown_body("Sygehuset gør dette."))


class CasePageFactory(_KnowledgePageFactory):
    class Meta:
        model = CasePage

    title = factory.Sequence(lambda n: f"Godt eksempel {n}")
    parent = factory.LazyFunction(lambda: section("gode-eksempler", "Gode eksempler"))
    body = factory.LazyFunction(lambda: markdown_body("## Forløb\n\nDet gik godt."))


class FaqPageFactory(_KnowledgePageFactory):
    class Meta:
        model = FaqPage

    title = factory.Sequence(lambda n: f"Spørgsmål og svar {n}")
    parent = factory.LazyFunction(lambda: section("spoergsmaal-og-svar", "Spørgsmål og svar"))
    items = factory.LazyFunction(
        lambda: [
            (
                "item",
                {
                    "question": "Hvordan når jeg en speciallæge?",
                    "anchor": "",
                    "answer": markdown_body("Ring."),
                },
            ),
            (
                "item",
                {"question": "Hvad er omvisitering?", "anchor": "", "answer": markdown_body("Det er...")},
            ),
        ]
    )


class AuditMaterialPageFactory(_KnowledgePageFactory):
    class Meta:
        model = AuditMaterialPage

    title = factory.Sequence(lambda n: f"Audit {n}")
    parent = factory.LazyFunction(lambda: section("audit", "Audit"))
    purpose = "At se på egen praksis."
    indicators = factory.LazyFunction(
        lambda: [
            (
                "indicator",
                {"name": "Andel med CRP", "description": "Målt ved konsultation", "target": "< 20 %"},
            )
        ]
    )


class ThinkSmartReviewPageFactory(_KnowledgePageFactory):
    class Meta:
        model = ThinkSmartReviewPage

    title = factory.Sequence(lambda n: f"Tænk klogt {n}")
    parent = factory.LazyFunction(lambda: section("taenk-klogt", "Tænk klogt"))
    current_practice = factory.LazyFunction(lambda: markdown_body("Vi måler meget."))
    evidence = factory.LazyFunction(lambda: markdown_body("Det hjælper ikke."))
    recommendation = factory.LazyFunction(lambda: markdown_body("Mål mindre."))
    expected_consequences = factory.LazyFunction(lambda: markdown_body("Færre prøver."))

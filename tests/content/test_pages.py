"""Every page type renders, in Danish, within a query budget that does not grow with its blocks."""

import datetime

import pytest
from django.utils import timezone

from content.models import Sector
from portal.accounts.models import Specialty

from .factories import (
    AuditMaterialPageFactory,
    CasePageFactory,
    FaqPageFactory,
    GuidelinePageFactory,
    ThinkSmartReviewPageFactory,
    home,
    markdown_body,
)

pytestmark = pytest.mark.django_db

PAGE_FACTORIES = [
    GuidelinePageFactory,
    CasePageFactory,
    FaqPageFactory,
    AuditMaterialPageFactory,
    ThinkSmartReviewPageFactory,
]


@pytest.mark.parametrize("factory", PAGE_FACTORIES)
def test_every_page_type_renders_in_danish(client, factory):
    page = factory()
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="da">' in html
    assert page.title in html
    assert "Gå til sidens indhold" in html  # the skip link, in Danish
    assert 'aria-label="Brødkrumme"' in html


def test_home_page_lists_sections_and_recent_pages(client):
    page = GuidelinePageFactory(title="Demensudredning")
    response = client.get(home().url)
    html = response.content.decode()
    assert "Retningslinjer" in html
    assert "Demensudredning" in html
    assert page.url in html


def _guideline_with_blocks(n: int):
    texts = [
        f"## Afsnit {i}\n\n| A | B |\n|---|---|\n| {i} | x |\n\nTekst[^{i}]\n\n[^{i}]: Note" for i in range(n)
    ]
    page = GuidelinePageFactory(
        general_practice_body=markdown_body(*texts), hospital_body=markdown_body(*texts)
    )
    page.specialties.set(Specialty.objects.filter(slug__in=["geriatri", "neurologi"]))
    page.sectors.set(Sector.objects.all())
    page.save()
    return page


def test_guideline_with_20_blocks_costs_no_more_queries_than_with_2(client, django_assert_max_num_queries):
    small, large = _guideline_with_blocks(2), _guideline_with_blocks(20)
    client.get(small.url)  # warm caches (site root, content types, classification) equally for both
    client.get(large.url)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(small.url).status_code == 200
    with django_assert_max_num_queries(len(small_queries)):
        response = client.get(large.url)
    assert response.content.decode().count("<h3>Afsnit") == 40
    assert len(small_queries) <= 8


def test_guideline_shows_both_variants_side_by_side_and_one_on_request(client):
    page = GuidelinePageFactory(
        general_practice_body=markdown_body("Egen læge måler saturation."),
        hospital_body=markdown_body("Sygehuset laver CT."),
        general_practice_owner="Praktiserende læge Eva Berg",
        hospital_owner="Overlæge Karl Dam",
    )
    both = client.get(page.url).content.decode()
    assert "Egen læge måler saturation." in both and "Sygehuset laver CT." in both
    assert "Hvorfor almen praksis og sygehus gør forskelligt" in both
    assert "Praktiserende læge Eva Berg" in both and "Overlæge Karl Dam" in both

    gp_only = client.get(page.url, {"variant": "almen-praksis"}).content.decode()
    assert "Egen læge måler saturation." in gp_only and "Sygehuset laver CT." not in gp_only

    hospital_only = client.get(page.url, {"variant": "sygehus"}).content.decode()
    assert "Sygehuset laver CT." in hospital_only and "Egen læge måler saturation." not in hospital_only

    odd = client.get(page.url, {"variant": "<script>"}).content.decode()
    assert "Egen læge måler saturation." in odd and "Sygehuset laver CT." in odd


def test_hostile_markdown_in_a_published_page_renders_inert(client):
    page = GuidelinePageFactory(
        general_practice_body=markdown_body(
            '<script>alert("x")</script><img src=x onerror=alert(1)>[a](javascript:x)'
        )
    )
    html = client.get(page.url).content.decode()
    main = html.split("<main", 1)[1]
    # Inert, and shown as written: the tags are text, escaped, never elements (nor dropped).
    assert "<script" not in main and "<img" not in main
    assert '&lt;script&gt;alert("x")&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;' in main
    assert 'href="javascript:' not in html


def test_faq_items_are_linkable_by_anchor(client):
    page = FaqPageFactory()
    html = client.get(page.url).content.decode()
    assert 'id="hvordan-naar-jeg-en-speciallaege"' in html
    assert 'href="#hvordan-naar-jeg-en-speciallaege"' in html
    assert 'id="hvad-er-omvisitering"' in html


def test_faq_anchors_stay_unique_for_repeated_questions():
    page = FaqPageFactory(
        items=[
            ("item", {"question": "Hvorfor?", "anchor": "", "answer": markdown_body("A")}),
            ("item", {"question": "Hvorfor?", "anchor": "", "answer": markdown_body("B")}),
        ]
    )
    assert [q["anchor"] for q in page.questions()] == ["hvorfor", "hvorfor-2"]


def test_audit_page_shows_purpose_indicators_and_period(client):
    page = AuditMaterialPageFactory(
        period_start=datetime.date(2026, 9, 1), period_end=datetime.date(2026, 11, 30)
    )
    html = client.get(page.url).content.decode()
    assert "At se på egen praksis." in html
    assert "Andel med CRP" in html
    assert "1. september 2026" in html and "30. november 2026" in html


def test_review_page_shows_the_four_sections_in_order(client):
    page = ThinkSmartReviewPageFactory()
    html = client.get(page.url).content.decode()
    positions = [
        html.index(h) for h in ["Nuværende praksis", "Evidens", "Anbefaling", "Forventede konsekvenser"]
    ]
    assert positions == sorted(positions)


@pytest.mark.parametrize("factory", PAGE_FACTORIES)
def test_page_past_review_warns_the_reader_next_to_the_title(client, factory):
    today = timezone.localdate()
    page = factory(
        last_reviewed=today.replace(year=today.year - 2), next_review=today.replace(year=today.year - 1)
    )
    html = client.get(page.url).content.decode()
    warning = html.index("har overskredet sin revisionsdato")
    # Right after the title, before the summary and the content (not after the whole page).
    assert html.index("<h1>") < warning < html.index(page.summary)
    assert html.count("har overskredet sin revisionsdato") == 1


def test_page_within_its_review_date_shows_no_warning(client):
    today = timezone.localdate()
    page = GuidelinePageFactory(last_reviewed=today, next_review=today.replace(year=today.year + 1))
    assert "har overskredet sin revisionsdato" not in client.get(page.url).content.decode()


def test_angle_brackets_in_a_guideline_are_shown_as_written(client):
    """Clinical text is never silently changed: what looks like a tag is escaped, not dropped."""
    page = GuidelinePageFactory(
        general_practice_body=markdown_body("Dosis <i.v.> 5 mg, Hb <6 og <b>fed</b>?")
    )
    main = client.get(page.url).content.decode().split("<main", 1)[1]
    assert "Dosis &lt;i.v.&gt; 5 mg, Hb &lt;6 og &lt;b&gt;fed&lt;/b&gt;?" in main

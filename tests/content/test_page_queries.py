"""The public pages cost a few queries, however many pages there are, and never show stale data.

An anonymous visitor on a warmed cache: the section listing and the guideline page make at most
eight queries each (issue 16), and the number does not grow with the pages in the section or
the values they are classified by. The listing and the classification come from the cache
(``content.selectors``), which every publish, unpublish, move, delete, taxonomy edit and view
restriction forgets (``content.freshness``): the tests below check each of those.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from content.models import Sector, Topic
from portal.accounts.models import Specialty

from .factories import CasePageFactory, GuidelinePageFactory, section
from .test_sections import classify

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 8


def _queries(client, url, **params) -> int:
    client.get(url, params)  # warm: the cache, content types, site root paths
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def _many(n, start=0):
    for i in range(start, start + n):
        classify(
            GuidelinePageFactory(title=f"Retningslinje {i:02}"),
            specialties=["geriatri", "kardiologi"][: 1 + i % 2],
            sectors=["almen-praksis", "sygehus"],
            topics=[f"emne-{i}", "demens"],
        )


@pytest.mark.parametrize("params", [{}, {"speciale": "geriatri"}, {"emne": "demens", "sektor": "sygehus"}])
def test_the_section_listing_stays_within_budget_however_many_pages(client, params):
    _many(2)
    few = _queries(client, section().url, **params)
    _many(25, start=2)
    CasePageFactory(parent=section(), title="Et forløb")  # a second page type in the section
    many = _queries(client, section().url, **params)
    assert many <= few and many <= QUERY_BUDGET, (few, many)


def test_the_guideline_page_stays_within_budget_however_many_values(client):
    _many(2)
    page = GuidelinePageFactory(title="Demens")
    classify(page, specialties=["geriatri"], sectors=["sygehus"], topics=["demens"])
    few = _queries(client, page.url)
    classify(
        page,
        specialties=list(Specialty.objects.values_list("slug", flat=True)),
        sectors=["almen-praksis", "sygehus"],
        topics=[f"emne-{i}" for i in range(12)],
    )
    _many(20, start=2)
    many = _queries(client, page.url)
    assert many <= few and many <= QUERY_BUDGET, (few, many)


def test_the_listing_entries_show_what_the_pages_show(client):
    page = classify(GuidelinePageFactory(title="Demens"), specialties=["geriatri", "neurologi"])
    html = client.get(section().url).content.decode()
    assert f'<a href="{page.url}">Demens</a>' in html
    assert "Retningslinje · Intern medicin: geriatri · Neurologi" in html


def test_a_published_page_appears_at_once_and_an_unpublished_one_goes(client):
    classify(GuidelinePageFactory(title="Demens"))
    client.get(section().url)  # cached
    new = classify(GuidelinePageFactory(title="KOL"))
    assert "KOL" in client.get(section().url).content.decode()
    new.unpublish()
    assert "KOL" not in client.get(section().url).content.decode()


def test_a_changed_classification_shows_at_once_on_the_page_and_the_listing(client):
    page = classify(GuidelinePageFactory(title="Demens"), specialties=["geriatri"], topics=["demens"])
    assert "speciale=geriatri" in client.get(page.url).content.decode()
    client.get(section().url)  # cached
    classify(page, specialties=["neurologi"], topics=["demens"])
    html = client.get(page.url).content.decode()
    assert "speciale=neurologi" in html and "speciale=geriatri" not in html
    assert "Intern medicin: geriatri" not in client.get(section().url).content.decode()


def test_renamed_vocabulary_shows_at_once(client):
    page = classify(GuidelinePageFactory(title="Demens"), sectors=["sygehus"], topics=["demens"])
    client.get(page.url)  # cached
    client.get(section().url)
    sector = Sector.objects.get(slug="sygehus")
    sector.name = "Hospital"
    sector.save()
    topic = Topic.objects.get(slug="demens")
    topic.name = "Demenssygdomme"
    topic.save()
    html = client.get(page.url).content.decode()
    assert ">Hospital</a>" in html and ">Demenssygdomme</a>" in html


def test_a_moved_page_leaves_its_old_section(client):
    page = classify(GuidelinePageFactory(title="Flyttes"))
    other = section("andre", "Andre")
    client.get(section().url)  # cached
    page.move(other, pos="last-child")
    assert "Flyttes" not in client.get(section().url).content.decode()
    assert "Flyttes" in client.get(other.url).content.decode()


def test_a_deleted_page_leaves_the_listing(client):
    page = classify(GuidelinePageFactory(title="Slettes"))
    client.get(section().url)  # cached
    page.delete()
    assert "Slettes" not in client.get(section().url).content.decode()


def test_a_page_made_private_leaves_the_public_listing_at_once(client):
    page = classify(GuidelinePageFactory(title="Kun for indloggede"))
    assert "Kun for indloggede" in client.get(section().url).content.decode()
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert "Kun for indloggede" not in client.get(section().url).content.decode()


def test_the_breadcrumb_trail_runs_from_the_home_page_to_the_parent(client):
    page = GuidelinePageFactory(title="Demens")
    html = client.get(page.url).content.decode()
    trail = html[html.index('class="breadcrumbs"') : html.index("</nav>", html.index('class="breadcrumbs"'))]
    assert trail.index("Samspil") < trail.index("Retningslinjer") < trail.index("Demens")
    assert 'aria-current="page">Demens<' in trail
    assert 'class="breadcrumbs"' not in client.get("/").content.decode()  # no trail of one

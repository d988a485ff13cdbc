"""Section index pages filter their children by specialty, sector and topic, with facet counts."""

import pytest

from content.models import Sector, Topic
from content.selectors import SectionFilter, section_listing
from portal.accounts.models import Specialty

from .factories import CasePageFactory, GuidelinePageFactory, section

pytestmark = pytest.mark.django_db


def classify(page, *, specialties=(), sectors=(), topics=()):
    page.specialties.set(Specialty.objects.filter(slug__in=specialties))
    page.sectors.set(Sector.objects.filter(slug__in=sectors))
    page.topics.set(
        [Topic.objects.get_or_create(slug=t, defaults={"name": t.capitalize()})[0] for t in topics]
    )
    page.save_revision().publish()
    return page


@pytest.fixture
def guidelines():
    return {
        "demens": classify(GuidelinePageFactory(title="Demens"), specialties=["geriatri", "neurologi"],
                           sectors=["almen-praksis", "sygehus"], topics=["demens"]),
        "kol": classify(GuidelinePageFactory(title="KOL"), specialties=["lungesygdomme"],
                        sectors=["almen-praksis", "sygehus"], topics=["aandenoed"]),
        "hjerte": classify(GuidelinePageFactory(title="Hjertesvigt"), specialties=["kardiologi"],
                           sectors=["sygehus"], topics=["aandenoed"]),
    }  # fmt: skip


def titles(response):
    return [p.title for p in response.context["results"]]


def test_no_filter_lists_all_live_children_alphabetically(client, guidelines):
    draft = GuidelinePageFactory(title="Kladde", live=False)
    response = client.get(section().url)
    assert titles(response) == ["Demens", "Hjertesvigt", "KOL"]
    assert draft.title not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"speciale": "geriatri"}, ["Demens"]),
        ({"sektor": "almen-praksis"}, ["Demens", "KOL"]),
        ({"emne": "aandenoed"}, ["Hjertesvigt", "KOL"]),
        ({"emne": "aandenoed", "sektor": "almen-praksis"}, ["KOL"]),
        ({"speciale": "findes-ikke"}, []),
        ({"speciale": "<script>alert(1)</script>"}, ["Demens", "Hjertesvigt", "KOL"]),
        ({"speciale": "x" * 10_000}, []),
    ],
)
def test_filters(client, guidelines, query, expected):
    response = client.get(section().url, query)
    assert response.status_code == 200
    assert titles(response) == expected


def test_facet_counts_ignore_their_own_choice_but_apply_the_others(guidelines):
    listing = section_listing(section=section(), chosen=SectionFilter(topic="aandenoed"))
    specialties = {f.slug: f.count for f in listing.facets["specialty"]}
    assert specialties == {"lungesygdomme": 1, "kardiologi": 1}
    topics = {f.slug: (f.count, f.chosen) for f in listing.facets["topic"]}
    assert topics == {"demens": (1, False), "aandenoed": (2, True)}


def test_other_page_types_in_the_same_section_are_listed(client, guidelines):
    case = CasePageFactory(title="Et godt forløb", parent=section())
    classify(case, specialties=["geriatri"])
    assert titles(client.get(section().url, {"speciale": "geriatri"})) == ["Demens", "Et godt forløb"]


def test_listing_query_count_does_not_grow_with_pages(client, guidelines):
    """Neither on an empty cache (the listing is built) nor on a warm one (it is read)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cold_and_warm():
        counts = []
        cache.clear()
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(section().url)
            counts.append(len(queries))
        return counts, response

    client.get(section().url)  # content types, site root paths
    (cold_few, warm_few), _response = cold_and_warm()
    for n in range(10):
        classify(GuidelinePageFactory(title=f"Flere {n}"), specialties=["geriatri"], topics=["demens"])
    (cold_many, warm_many), response = cold_and_warm()
    assert cold_many <= cold_few and warm_many <= warm_few < cold_few
    assert len(response.context["results"]) == 13


def test_bad_page_number_falls_back_to_a_valid_page(client, guidelines):
    for value in ["0", "-1", "abc", "999999"]:
        assert client.get(section().url, {"side": value}).status_code == 200


def test_facet_values_that_narrow_nothing_are_hidden(client, guidelines):
    # All three guidelines have the sector "sygehus"; only two have "almen-praksis".
    listing = section_listing(section=section(), chosen=SectionFilter())
    assert [f.slug for f in listing.facets["sector"]] == ["almen-praksis"]
    html = client.get(section().url).content.decode()
    assert "Sygehus (3)" not in html and "Almen praksis (2)" in html


def test_a_facet_whose_every_value_narrows_nothing_disappears_but_a_chosen_value_stays(client, guidelines):
    # With "almen-praksis" chosen, both remaining guidelines are on "sygehus" too.
    listing = section_listing(section=section(), chosen=SectionFilter(sector="almen-praksis"))
    assert [(f.slug, f.chosen) for f in listing.facets["sector"]] == [("almen-praksis", True)]
    only_demens = section_listing(section=section(), chosen=SectionFilter(specialty="geriatri"))
    assert [(f.slug, f.chosen) for f in only_demens.facets["specialty"]] == [
        ("geriatri", True),
        ("kardiologi", False),
        ("lungesygdomme", False),
        ("neurologi", False),
    ]
    assert only_demens.facets["topic"] == [] and only_demens.facets["sector"] == []


def test_the_count_is_in_clinicians_words_with_danish_plurals(client, guidelines):
    assert '<p role="status">3 retningslinjer</p>' in client.get(section().url).content.decode()
    response = client.get(section().url, {"speciale": "geriatri"})
    assert '<p role="status">1 retningslinje</p>' in response.content.decode()
    cases = CasePageFactory(title="Et godt forløb").get_parent()
    assert '<p role="status">1 godt eksempel</p>' in client.get(cases.url).content.decode()


def test_a_section_mixing_page_types_counts_pages(client, guidelines):
    classify(CasePageFactory(title="Et godt forløb", parent=section()), specialties=["geriatri"])
    assert '<p role="status">4 sider</p>' in client.get(section().url).content.decode()

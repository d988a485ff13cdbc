"""The outreach directory in the site search: an entry is found by its name, kind, area or
description, on both backends, is removed when deactivated or deleted, and nothing of an order
(the request, the CPR number) ever reaches an index."""

import pytest

from portal.outreach import services
from search import backends
from search.backends import database_backend
from search.indexing import rebuild_database_index
from search.query import SearchRequest
from tests.outreach.factories import VALID_CPR, outreach_world

pytestmark = pytest.mark.django_db


def titles(query: str, backend=None) -> list[str]:
    search = backend.search if backend is not None else backends.search
    return [hit.title for hit in search(SearchRequest(query=query)).hits]


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        w = outreach_world()
        w.blood.description = "Bioanalytikere tager blodprøver i hjemmet hos sengeliggende borgere."
        w.blood.save()
    return w


def test_an_entry_is_found_with_its_page_and_type(world):
    result = database_backend().search(SearchRequest(query="sengeliggende"))
    assert [hit.title for hit in result.hits] == ["Mobil blodprøvetagning"]
    hit = result.hits[0]
    assert hit.url == f"/udgaaende-funktioner/{world.blood.pk}/" and hit.page_id is None
    assert hit.type == "outreach" and str(hit.type_name) == "udgående funktion"
    # By kind and area too: the acute nurse covers Favrskov.
    assert "Akutsygeplejerske" in titles("favrskov", database_backend())


def test_the_search_page_links_to_the_entry(world, client):
    page = client.get("/soeg/", {"q": "sengeliggende"}).content.decode()
    assert f'href="/udgaaende-funktioner/{world.blood.pk}/"' in page


def test_deactivating_or_deleting_an_entry_removes_it(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world.blood.active = False
        world.blood.save()
    assert titles("sengeliggende", database_backend()) == []
    with django_capture_on_commit_callbacks(execute=True):
        world.blood.active = True
        world.blood.save()
    assert titles("sengeliggende", database_backend()) == ["Mobil blodprøvetagning"]
    with django_capture_on_commit_callbacks(execute=True):
        world.acute.delete()
    assert "Akutsygeplejerske" not in titles("akutsygeplejerske", database_backend())


def test_a_changed_area_is_indexed(world, django_capture_on_commit_callbacks):
    assert "Mobil blodprøvetagning" not in titles("samsø", database_backend())
    with django_capture_on_commit_callbacks(execute=True):
        world.blood.municipalities.add(world.island)
    assert "Mobil blodprøvetagning" in titles("samsø", database_backend())


def test_a_rebuild_keeps_the_entries_and_no_order_is_ever_indexed(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.outreach_order_create(
            orderer=world.gp,
            organisation=world.practice,
            service=world.blood,
            postcode="8000",
            request_text="Kaliumkontrol hos Quistgaard",
            callback_phone="1234",
            patient_cpr=VALID_CPR,
        )
    assert rebuild_database_index() >= 2
    backend = database_backend()
    assert titles("sengeliggende", backend) == ["Mobil blodprøvetagning"]
    for secret in ("Quistgaard", "kaliumkontrol", VALID_CPR, VALID_CPR[:6]):
        assert titles(secret, backend) == [], secret


def test_the_engine_finds_and_forgets_an_entry(engine, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        w = outreach_world()
        w.blood.description = "Bioanalytikere tager blodprøver hos sengeliggende borgere."
        w.blood.save()
    result = engine.search(SearchRequest(query="sengeliggende"))
    assert [hit.title for hit in result.hits] == ["Mobil blodprøvetagning"]
    assert result.hits[0].url == f"/udgaaende-funktioner/{w.blood.pk}/" and result.hits[0].type == "outreach"
    with django_capture_on_commit_callbacks(execute=True):
        w.blood.active = False
        w.blood.save()
    assert engine.search(SearchRequest(query="sengeliggende")).hits == []
    # A rebuild of the engine's index brings the active entries along.
    engine.rebuild()
    assert "Akutsygeplejerske" in [
        hit.title for hit in engine.search(SearchRequest(query="akutsygeplejerske")).hits
    ]

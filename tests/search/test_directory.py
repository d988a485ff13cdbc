"""The collaboration directory in the site search (issue 15): a consultant's name, a department,
a hospital or a board seat finds the directory page, on both backends; unpublishing removes it;
a linked user's e-mail and phone are shown on the page but never indexed."""

import pytest

from content.models import HospitalConsultant, KapBoardMember
from search import backends
from search.backends import database_backend
from search.indexing import rebuild_database_index
from search.query import SearchRequest
from tests.accounts.factories import DepartmentFactory, HospitalFactory
from tests.content.factories_directory import (
    board_member,
    consultant,
    directory_page,
    hospital_consultant,
    practice_consultant_user,
)

pytestmark = pytest.mark.django_db


def titles(query: str, backend=None) -> list[str]:
    search = backend.search if backend is not None else backends.search
    return [hit.title for hit in search(SearchRequest(query=query)).hits]


@pytest.fixture
def directory(django_capture_on_commit_callbacks):
    hospital = HospitalFactory(name="Regionshospitalet Randers")
    lund = practice_consultant_user(
        first_name="Birgitte",
        last_name="Lundqvist",
        email="bl.kontakt@eksempelpost.test",
        phone="+45 12 34 56 78",
    )
    with django_capture_on_commit_callbacks(execute=True):
        page = directory_page(
            title="Praksiskonsulenter i Midt",
            consultants=[
                consultant(
                    "Anders Krogsgaard",
                    department=DepartmentFactory(name="Hjerteafdelingen", parent=hospital),
                ),
                consultant(user=lund, department=DepartmentFactory(name="Ældremedicin", parent=hospital)),
            ],
            board=[
                board_member("Karen Vintersborg", KapBoardMember.Represents.HOSPITAL, organisation=hospital)
            ],
            hospital_consultants=[
                hospital_consultant(
                    "Thomas Ravnsholt", hospital=hospital, responsibility=HospitalConsultant.TRAINING
                )
            ],
        )
    return page


@pytest.mark.parametrize(
    "query", ["Krogsgaard", "Lundqvist", "hjerteafdelingen", "Vintersborg", "Ravnsholt", "Randers"]
)
def test_a_name_a_department_or_a_hospital_finds_the_directory(directory, query):
    result = database_backend().search(SearchRequest(query=query))
    assert [hit.title for hit in result.hits] == ["Praksiskonsulenter i Midt"]
    hit = result.hits[0]
    assert hit.url == directory.url and hit.type == "collaborationdirectory"
    assert str(hit.type_name) == "samarbejdsoversigt"


def test_the_search_page_links_to_the_directory(directory, client):
    page = client.get("/soeg/", {"q": "Krogsgaard"}).content.decode()
    assert f'href="{directory.url}"' in page


def test_a_linked_users_contact_is_not_indexed(directory):
    for secret in ("eksempelpost", "bl.kontakt@eksempelpost.test", "12345678"):
        assert titles(secret, database_backend()) == [], secret


def test_unpublishing_removes_it_and_a_rebuild_keeps_it(directory, django_capture_on_commit_callbacks):
    assert rebuild_database_index() >= 1
    assert titles("Krogsgaard", database_backend()) == ["Praksiskonsulenter i Midt"]
    with django_capture_on_commit_callbacks(execute=True):
        directory.unpublish()
    assert titles("Krogsgaard", database_backend()) == []


def test_a_new_consultant_is_found_after_publishing(directory, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        directory.consultants.add(consultant("Sofie Thorbjørnsen", department=DepartmentFactory()))
        directory.save_revision().publish()
    assert titles("Thorbjørnsen", database_backend()) == ["Praksiskonsulenter i Midt"]


def test_the_engine_finds_the_directory_and_forgets_it(engine, directory, django_capture_on_commit_callbacks):
    # The fixture published before the engine was configured: bring it over as a reindex would.
    engine.rebuild()
    for query in ("Krogsgaard", "Lundqvist", "hjerteafdelingen"):
        hits = engine.search(SearchRequest(query=query)).hits
        assert [hit.title for hit in hits] == ["Praksiskonsulenter i Midt"], query
        assert hits[0].url == directory.url and hits[0].type == "collaborationdirectory"
    assert engine.search(SearchRequest(query="eksempelpost")).hits == []
    with django_capture_on_commit_callbacks(execute=True):
        directory.unpublish()
    assert engine.search(SearchRequest(query="Krogsgaard")).hits == []


def test_a_linked_user_renamed_is_found_by_the_new_name(directory, django_capture_on_commit_callbacks):
    user = directory.consultants.exclude(user=None).get().user
    with django_capture_on_commit_callbacks(execute=True):
        user.last_name = "Lundgaardsen"
        user.save()
    assert titles("Lundgaardsen", database_backend()) == ["Praksiskonsulenter i Midt"]
    assert titles("Lundqvist", database_backend()) == []

"""The collaboration directory (issue 15): practice consultants per area and department, the KAP
unit's board, the consultants at each hospital. Validation of the links to users, the public
page grouped by area and department, a constant number of queries, baking and the demo."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from content import baking
from content.baking.targets import Target
from content.models import CollaborationDirectoryPage, HospitalConsultant, KapBoardMember
from content.navigation import knowledge_sections
from tests.accounts.factories import (
    DepartmentFactory,
    HealthCouncilAreaFactory,
    HospitalFactory,
    KapUnitFactory,
    MembershipFactory,
    UserFactory,
)
from tests.accounts.login import verified_login

from .factories_directory import (
    board_member,
    consultant,
    directory_page,
    hospital_consultant,
    practice_consultant_user,
)

pytestmark = pytest.mark.django_db


# --- Validation ------------------------------------------------------------------------------


def test_a_linked_user_without_the_practice_consultant_role_is_refused_in_danish():
    gp = UserFactory()
    MembershipFactory(user=gp)  # a GP in a practice
    entry = consultant(user=gp)
    with translation.override("da"), pytest.raises(ValidationError) as error:
        entry.full_clean(exclude=["page"])
    assert error.value.message_dict["user"] == ["Brugeren har ikke rollen praksiskonsulent."]


def test_a_practice_consultant_user_may_be_linked_and_then_her_own_contact_is_shown():
    user = practice_consultant_user(first_name="Birgitte", last_name="Lund", phone="+45 11 22 33 44")
    entry = consultant("Gammelt navn", user=user, phone="+45 99 99 99 99", email="gammel@example.org")
    entry.full_clean(exclude=["page"])
    assert (entry.display_name, entry.display_phone, entry.display_email) == (
        "Birgitte Lund",
        "+45 11 22 33 44",
        user.email,
    )


def test_without_a_user_the_entry_shows_its_own_fields_and_needs_a_name():
    entry = consultant("Anders Krogh", phone="+45 78 45 00 10", email="ak@example.org")
    entry.full_clean(exclude=["page"])
    assert (entry.display_name, entry.display_phone, entry.display_email) == (
        "Anders Krogh",
        "+45 78 45 00 10",
        "ak@example.org",
    )
    with translation.override("da"), pytest.raises(ValidationError) as error:
        consultant("").full_clean(exclude=["page"])
    assert "name" in error.value.message_dict


def test_a_department_a_hospital_and_a_kap_unit_must_be_of_their_kind():
    hospital = HospitalFactory()
    with pytest.raises(ValidationError) as error:
        consultant("A", department=hospital).full_clean(exclude=["page"])
    assert "department" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        hospital_consultant("B", hospital=DepartmentFactory()).full_clean(exclude=["page"])
    assert "hospital" in error.value.message_dict
    page = CollaborationDirectoryPage(title="D", slug="d", kap_unit=hospital)
    with pytest.raises(ValidationError) as error:
        page.full_clean(exclude=["path", "depth"])
    assert "kap_unit" in error.value.message_dict


def test_the_board_seat_of_the_practice_responsible_consultant_needs_the_role_other_seats_do_not():
    official = UserFactory()
    board_member("", represents=KapBoardMember.Represents.REGION, user=official).full_clean(exclude=["page"])
    seat = board_member("", represents=KapBoardMember.Represents.PRACTICE_CONSULTANT, user=official)
    with pytest.raises(ValidationError) as error:
        seat.full_clean(exclude=["page"])
    assert "user" in error.value.message_dict
    with pytest.raises(ValidationError):
        hospital_consultant("", user=official).full_clean(exclude=["page"])


def test_the_admin_refuses_a_wrong_role_with_the_danish_message(client):
    """The editor's form: the entry's clean runs in Wagtail's inline form, nothing is saved."""
    from django.urls import reverse

    editor = UserFactory(is_superuser=True, is_staff=True)
    verified_login(client, editor)
    page = directory_page(consultants=[consultant("Anders Krogh")])
    gp = UserFactory()
    entry = page.consultants.get()
    data = {
        "title": page.title,
        "slug": page.slug,
        "intro": "",
        "kap_unit": "",
        "consultants-TOTAL_FORMS": "1",
        "consultants-INITIAL_FORMS": "1",
        "consultants-MIN_NUM_FORMS": "0",
        "consultants-MAX_NUM_FORMS": "1000",
        "consultants-0-id": str(entry.pk),
        "consultants-0-ORDER": "1",
        "consultants-0-department": str(entry.department_id),
        "consultants-0-area": "",
        "consultants-0-user": str(gp.pk),
        "consultants-0-name": "Anders Krogh",
        "consultants-0-phone": "",
        "consultants-0-email": "",
        "consultants-0-note": "",
        "consultants-0-DELETE": "",
    }
    for prefix in ("board_members", "hospital_consultants"):
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    revisions = page.revisions.count()
    with translation.override("da"):
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[page.pk]), data, HTTP_ACCEPT_LANGUAGE="da"
        )
    assert response.status_code == 200  # the form again, not the redirect of a save
    assert "Brugeren har ikke rollen praksiskonsulent." in response.content.decode()
    assert page.revisions.count() == revisions
    assert page.consultants.get().user_id is None


# --- The public page -------------------------------------------------------------------------


@pytest.fixture
def world():
    north, aarhus = HealthCouncilAreaFactory(name="Sundhedsråd Nord"), HealthCouncilAreaFactory(name="Aarhus")
    auh = HospitalFactory(name="Aarhus Universitetshospital", health_council_area=aarhus)
    aauh = HospitalFactory(name="Aalborg Universitetshospital", health_council_area=north)
    geriatri = DepartmentFactory(name="Geriatri", parent=auh)
    kardiologi = DepartmentFactory(name="Kardiologi", parent=auh)
    urologi = DepartmentFactory(name="Urologi", parent=aauh)
    lund = practice_consultant_user(
        first_name="Birgitte", last_name="Lund", phone="+45 11 22 33 44", email="bl@samspil.test"
    )
    page = directory_page(
        kap_unit=KapUnitFactory(name="KAP-enheden Midt", phone="+45 70 70 70 70"),
        consultants=[
            consultant("Anders Krogh", department=kardiologi, note="Tirsdage"),
            consultant(user=lund, department=geriatri),
            consultant("Mette Skov", department=urologi),
            # Placed in another area by the editor: the department's own area is overridden.
            consultant("Jens Bach", department=DepartmentFactory(name="Psykiatri", parent=auh), area=north),
        ],
        board=[
            board_member("Karen Vinther", KapBoardMember.Represents.REGION),
            board_member("Niels Dam", KapBoardMember.Represents.PLO),
            board_member("", KapBoardMember.Represents.PRACTICE_CONSULTANT, user=lund),
        ],
        hospital_consultants=[
            hospital_consultant("Thomas Ravn", hospital=auh, responsibility=HospitalConsultant.TRAINING),
            hospital_consultant("", user=lund, hospital=auh, responsibility=HospitalConsultant.PRACTICE),
        ],
    )
    return page


def test_the_page_groups_consultants_by_area_and_department(world, client):
    groups = [
        (area.name, [(d.name, [p.display_name for p in people]) for d, people in departments])
        for area, departments in world.consultant_groups()
    ]
    assert groups == [
        ("Aarhus", [("Geriatri", ["Birgitte Lund"]), ("Kardiologi", ["Anders Krogh"])]),
        ("Sundhedsråd Nord", [("Psykiatri", ["Jens Bach"]), ("Urologi", ["Mette Skov"])]),
    ]
    html = client.get(world.url, HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert (
        html.index("Aarhus</h3>")
        < html.index("Geriatri")
        < html.index("Kardiologi")
        < html.index("Sundhedsråd Nord</h3>")
    )
    assert 'href="tel:+4511223344"' in html and 'href="mailto:bl@samspil.test"' in html
    assert "Tirsdage" in html


def test_the_page_shows_the_board_and_the_hospital_consultants_in_danish(world, client):
    html = client.get(world.url, HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "KAP-enheden Midt" in html and "Bestyrelsen" in html
    assert "Regionen" in html and "Karen Vinther" in html and "PLO" in html
    assert "Konsulenter på sygehusene" in html
    practice = html.index("Praksisansvarlig konsulent")
    assert practice < html.index("Uddannelsesansvarlig konsulent fra almen praksis")  # practice first
    assert "Thomas Ravn" in html


def test_the_directory_is_in_the_main_menu(world, client):
    assert world.title in [item.title for item in knowledge_sections()]


def _queries(client, url) -> int:
    client.get(url)  # warm: menus, content types, site root paths
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_with_2_or_10_entries_of_each_kind(client):
    def page_with(n, slug):
        auh = HospitalFactory()
        people = [practice_consultant_user() for _ in range(n)]
        return directory_page(
            slug=slug,
            kap_unit=KapUnitFactory(),
            consultants=[
                consultant(user=people[i], department=DepartmentFactory(parent=auh)) for i in range(n)
            ],
            board=[board_member(f"Medlem {i}", organisation=auh) for i in range(n)],
            hospital_consultants=[hospital_consultant("", user=people[i], hospital=auh) for i in range(n)],
        )

    few = _queries(client, page_with(2, "faa").url)
    many = _queries(client, page_with(10, "mange").url)
    assert few == many, (few, many)
    # Wagtail's routing (site, page, ancestors, restrictions: 6), the three lists, the KAP unit.
    assert many <= 10


# --- Baking ----------------------------------------------------------------------------------


def test_the_directory_is_baked_as_the_anonymous_page(world, settings, tmp_path, client):
    settings.BAKE_ROOT = str(tmp_path / "baked")
    visitor = UserFactory(first_name="Zebulon", last_name="Privatsen")
    client.force_login(visitor)
    client.get(world.url)
    baking.bake_all()
    html = (tmp_path / "baked" / Target(world.url).relative_file()).read_text()
    assert "Birgitte Lund" in html and "Anders Krogh" in html
    assert "Zebulon" not in html and visitor.email not in html


def test_publishing_the_directory_rebakes_it(world, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.BAKE_ROOT = str(tmp_path / "baked")
    with django_capture_on_commit_callbacks(execute=True):
        world.consultants.add(consultant("Ny Konsulent", department=DepartmentFactory()))
        world.save_revision().publish()
    assert "Ny Konsulent" in (tmp_path / "baked" / Target(world.url).relative_file()).read_text()


# --- Demo ------------------------------------------------------------------------------------


def test_the_demo_has_a_directory_with_people_in_every_list(settings, client):
    settings.SAMSPIL_CREATE_DEMO_USERS = True
    call_command("load_demo_content", stdout=StringIO())
    call_command("load_demo_content", stdout=StringIO())  # again: nothing doubled
    page = CollaborationDirectoryPage.objects.live().get()
    assert page.consultants.count() >= 4 and page.board_members.count() == 6
    assert page.hospital_consultants.count() == 4
    assert page.consultants.filter(user__email="pko@samspil.test").exists()
    html = client.get(page.url).content.decode()
    assert "Birgitte Lund" in html and "Sundhedsråd Aarhus" in html


def test_the_editor_adds_a_directory_under_the_home_page(client):
    from .factories import home

    verified_login(client, UserFactory(is_superuser=True, is_staff=True))
    response = client.get(f"/admin/pages/add/content/collaborationdirectorypage/{home().pk}/")
    assert response.status_code == 200
    assert "consultants-TOTAL_FORMS" in response.content.decode()


def test_a_linked_users_new_phone_is_rebaked_but_a_login_rebakes_nothing(
    world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.BAKE_ROOT = str(tmp_path / "baked")
    baking.bake_all()
    user = world.consultants.exclude(user=None).get().user
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        user.last_login = user.date_joined
        user.save(update_fields=["last_login"])
    assert callbacks == []
    with django_capture_on_commit_callbacks(execute=True):
        user.phone = "+45 99 88 77 66"
        user.save()
    assert "+45 99 88 77 66" in (tmp_path / "baked" / Target(world.url).relative_file()).read_text()

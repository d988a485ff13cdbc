"""The outreach pages: the look-up by postcode (public, the practice's postcode by default), an
entry, the order form (Danish 400s, nothing half-saved), the lists and acknowledging."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from portal.accounts.roles import Role
from portal.outreach.models import OutreachOrder, OutreachService
from tests.accounts.factories import KapUnitFactory
from tests.accounts.login import verified_login

from .factories import VALID_CPR, member, outreach_world, service

pytestmark = pytest.mark.django_db
DIRECTORY = "/udgaaende-funktioner/"


def listed(page: str, name: str) -> bool:
    """Whether the look-up lists the entry (its name as a link), not merely mentions the word."""
    return f">{name}</a>" in page


def test_the_look_up_lists_the_services_reaching_a_postcode_by_kind(client):
    w = outreach_world()
    page = client.get(DIRECTORY, {"postnummer": "8370"}).content.decode()
    assert "8370 Hadsten" in page and "Favrskov" in page
    assert listed(page, "Mobil blodprøvetagning") and listed(page, "Akutsygeplejerske")
    # Grouped by kind, in the directory's order of kinds.
    assert page.index(">Mobil blodprøvetagning</a>") < page.index(">Akutsygeplejerske</a>")
    assert page.index("Mobil blodprøvetagning (hjemmeprøver)</h3>") < page.index(
        ">Mobil blodprøvetagning</a>"
    )
    page = client.get(DIRECTORY, {"postnummer": "8450"}).content.decode()
    assert not listed(page, "Mobil blodprøvetagning") and listed(page, "Akutsygeplejerske")
    page = client.get(DIRECTORY, {"postnummer": "8305"}).content.decode()
    assert "Ingen udgående funktion" in page
    assert not listed(page, w.blood.name)


def test_a_postcode_outside_the_list_is_still_reached_by_a_listed_range(client):
    w = outreach_world()
    w.blood.postcodes = "8370, 9990-9999"
    w.blood.save()
    page = client.get(DIRECTORY, {"postnummer": "9995"}).content.decode()
    assert listed(page, "Mobil blodprøvetagning")


@pytest.mark.parametrize("value", ["80", "abcd", "80000", "８０００"])
def test_a_bad_postcode_is_a_danish_400(client, value):
    outreach_world()
    response = client.get(DIRECTORY, {"postnummer": value})
    assert response.status_code == 400
    assert "postnummer" in response.content.decode().lower()


def test_the_gps_practice_postcode_is_the_default(client):
    w = outreach_world()
    verified_login(client, w.gp)
    page = client.get(DIRECTORY).content.decode()
    assert "8000 Aarhus C" in page and listed(page, "Mobil blodprøvetagning")
    verified_login(client, w.other_gp)  # her practice has no postcode: an empty form
    page = client.get(DIRECTORY).content.decode()
    assert not listed(page, "Mobil blodprøvetagning")


def test_an_entry_shows_how_to_order_and_offers_the_form_only_to_those_who_may(client):
    w = outreach_world()
    url = reverse("outreach:service", args=[w.blood.pk])
    page = client.get(url).content.decode()
    assert "+45 70 10 20 30" in page and "Log ind for at bestille" in page
    verified_login(client, w.gp)
    assert reverse("outreach:order_new", args=[w.blood.pk]) in client.get(url).content.decode()
    verified_login(client, w.other_specialist)
    assert reverse("outreach:order_new", args=[w.blood.pk]) not in client.get(url).content.decode()
    w.blood.active = False
    w.blood.save()
    assert client.get(url).status_code == 404


def _post(client, w, **data):
    form = {
        "organisation": w.practice.pk,
        "postcode": "8200",
        "cpr": VALID_CPR,
        "request": "Hjemmeprøve: CRP.",
        "callback_phone": "+45 86 00 00 01",
        "client_token": str(uuid.uuid4()),
        **data,
    }
    return client.post(reverse("outreach:order_new", args=[w.blood.pk]), form)


def test_the_gp_orders_and_the_staff_see_and_acknowledge_it(client):
    w = outreach_world()
    verified_login(client, w.gp)
    form = client.get(reverse("outreach:order_new", args=[w.blood.pk]) + "?postnummer=8200").content.decode()
    assert 'value="8200"' in form and "+45 86 00 00 01" in form
    response = _post(client, w)
    assert response.status_code == 302
    order = OutreachOrder.objects.get()
    assert VALID_CPR not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "010190-XXXX" in page and VALID_CPR not in page
    verified_login(client, w.service_secretary)
    worklist = client.get(reverse("outreach:orders")).content.decode()
    assert str(order.public_id) in worklist and "Bestilt, afventer" in worklist
    response = client.post(reverse("outreach:acknowledge", args=[order.public_id]))
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.state == OutreachOrder.State.ACKNOWLEDGED and order.acknowledged_by == w.service_secretary
    again = client.post(reverse("outreach:acknowledge", args=[order.public_id]))
    assert again.status_code == 400 and "allerede modtaget" in again.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"postcode": "8450"}, "dækker ikke postnummer 8450"),
        ({"cpr": "3213901234"}, "ikke en gyldig dato"),
        ({"request": ""}, "Dette felt er påkrævet"),
        ({"postcode": "8x00"}, "fire cifre"),
    ],
)
def test_bad_input_is_a_danish_400_with_nothing_saved(client, data, message):
    w = outreach_world()
    verified_login(client, w.gp)
    response = _post(client, w, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not OutreachOrder.objects.exists()


def test_a_double_submit_makes_one_order(client):
    w = outreach_world()
    verified_login(client, w.gp)
    token = str(uuid.uuid4())
    first, second = _post(client, w, client_token=token), _post(client, w, client_token=token)
    assert first["Location"] == second["Location"] and OutreachOrder.objects.count() == 1


def test_ordering_a_phone_only_service_or_someone_elses_practice_is_404(client):
    w = outreach_world()
    verified_login(client, w.gp)
    assert client.get(reverse("outreach:order_new", args=[w.acute.pk])).status_code == 404
    assert _post(client, w, organisation=w.other_practice.pk).status_code == 400  # not a choice
    verified_login(client, w.practice_secretary)
    assert client.get(reverse("outreach:order_new", args=[w.blood.pk])).status_code == 404
    assert not OutreachOrder.objects.exists()


def test_the_equal_access_report_shows_which_municipalities_lack_which_kind(client):
    outreach_world()
    admin = member(KapUnitFactory(), Role.PRACTICE_CONSULTANT)
    verified_login(client, admin)
    page = client.get(reverse("outreach:equal_access")).content.decode()
    assert "Sundhedsråd Østjylland" in page and "Samsø" in page and "Herning" in page
    # Favrskov has the blood-sampling unit in part (8370 of 8370 and 8450) and the acute nurse in full.
    favrskov = page[page.index(">Favrskov<") :]
    favrskov = favrskov[: favrskov.index("</tr>")]
    assert favrskov.count("samspil-cover--partial") == 1 and favrskov.count("samspil-cover--full") == 1
    samso = page[page.index(">Samsø<") :]
    assert samso[: samso.index("</tr>")].count("samspil-cover--none") == len(OutreachService.Kind.choices)


def test_the_report_is_for_administrators_and_practice_consultants_only(client):
    w = outreach_world()
    for user in (w.gp, w.nurse, w.service_secretary):
        verified_login(client, user)
        assert client.get(reverse("outreach:equal_access")).status_code == 404
    client.logout()
    assert client.get(reverse("outreach:equal_access")).status_code == 302  # to the login


def test_the_report_costs_the_same_queries_for_more_services(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = outreach_world()
    verified_login(client, member(KapUnitFactory(), Role.PRACTICE_CONSULTANT))
    url = reverse("outreach:equal_access")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(6):
        service(w.other_department, kind=OutreachService.Kind.FLEX_CLINIC, municipalities=[w.city, w.north],
                postcodes=f"{8300 + index}")  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_lookup_and_lists_cost_the_same_queries_for_more_rows(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = outreach_world()
    verified_login(client, w.gp)
    _post(client, w)
    urls = [DIRECTORY + "?postnummer=8200", reverse("outreach:orders")]
    counts = []
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts.append(len(queries))
    for index in range(5):
        service(
            w.department, kind=OutreachService.Kind.FLEX_CLINIC, municipalities=[w.city], name=f"Flex {index}"
        )
        _post(client, w)
    for url, before in zip(urls, counts, strict=True):
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        assert len(queries) == before, url
    verified_login(client, w.service_secretary)
    assert client.get(reverse("outreach:orders")).content.decode().count("samspil-outreach-row--ordered") == 6


def test_the_module_is_offered_in_the_header_and_on_the_overview(client):
    w = outreach_world()
    _post(Client(), w)  # not logged in: refused, nothing made
    verified_login(client, w.gp)
    _post(client, w)
    verified_login(client, w.nurse)
    page = client.get(reverse("overview")).content.decode()
    assert "samspil-nav-outreach" in page
    assert "Bestillinger til jeres udgående funktion" in page and "Mobil blodprøvetagning" in page
    assert client.get(reverse("overview_badge")).json()["count"] >= 1

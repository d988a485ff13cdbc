"""The investigation pages: catalogue, ordering with a free time or drop-in, the lists, the order
page with the responsibility statement, the department's steps and the GP's acknowledgement;
hostile input is a Danish 400 with nothing saved; every order page is logged."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.audit.models import AccessLogEntry
from portal.bookings.models import Booking, Resource, Slot
from portal.patients.models import PatientReference
from portal.referrals.models import InvestigationOrder
from tests.accounts.login import verified_login

from .diagnostics_factories import diagnostics_world, order, with_result

pytestmark = pytest.mark.django_db

CPR = "070761-4285"


def _post_order(client, d, investigation, **fields):
    data = {
        "practice": d.w.practice.pk,
        "cpr": CPR,
        "clinical_question": "Palpitationer.\n  Dosis <i.v.> 5 mg.",
    }
    if not investigation.drop_in:
        data["slot"] = str(d.slots[0].public_id)
    return client.post(reverse("referrals:diagnostics_new", args=[investigation.pk]), data | fields)


def test_the_catalogue_shows_each_hospitals_investigations_and_next_free_times(client):
    d = diagnostics_world()
    verified_login(client, d.w.gp)
    page = client.get(reverse("referrals:diagnostics_catalogue")).content.decode()
    assert "Holter-monitorering 24 t" in page and "Drop-in røntgen af thorax" in page
    assert "Næste ledige tider" in page and "Hverdage 8-15" in page
    assert str(d.w.other_department.parent) in page


def test_a_gp_orders_a_holter_with_a_free_time_and_sees_the_order(client):
    d = diagnostics_world()
    verified_login(client, d.w.gp)
    form = client.get(reverse("referrals:diagnostics_new", args=[d.holter.pk])).content.decode()
    assert str(d.slots[0].public_id) in form and "Bær løstsiddende tøj." in form
    response = _post_order(client, d, d.holter)
    o = InvestigationOrder.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "referrals:diagnostics_order", args=[o.public_id]
    )
    assert CPR not in response.url and "0707" not in response.url
    assert o.booking.slot == d.slots[0] and o.clinical_question == "Palpitationer.\n  Dosis <i.v.> 5 mg."
    page = client.get(response.url).content.decode()
    assert "070761-XXXX" in page and CPR not in page
    assert "beholder behandlingsansvaret" in page
    assert "Dosis &lt;i.v.&gt; 5 mg." in page  # escaped, not stripped
    listing = client.get(reverse("referrals:diagnostics_orders")).content.decode()
    assert "Holter-monitorering 24 t" in listing and "070761" not in listing


def test_a_drop_in_order_has_no_time(client):
    d = diagnostics_world()
    verified_login(client, d.w.gp)
    assert _post_order(client, d, d.xray).status_code == 302
    assert InvestigationOrder.objects.get().booking is None


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"cpr": "12345"}, "CPR"),
        ({"cpr": "321399-1234"}, ""),
        ({"slot": "not-a-uuid"}, "ledige tider"),
        ({"slot": ""}, "påkrævet"),
        ({"clinical_question": "x" * 2001}, "2000"),
        ({"clinical_question": "   "}, ""),
        ({"practice": "999999"}, ""),
    ],
)
def test_hostile_or_oversized_input_is_a_danish_400_and_nothing_is_saved(client, fields, message):
    d = diagnostics_world()
    verified_login(client, d.w.gp)
    response = _post_order(client, d, d.holter, **fields)
    assert response.status_code == 400
    assert message.lower() in response.content.decode().lower()
    assert not InvestigationOrder.objects.exists() and not Booking.objects.exists()
    assert not PatientReference.objects.exists()


def test_a_slot_of_another_resource_or_in_the_past_is_a_400(client):
    d = diagnostics_world()
    other = Resource.objects.create(organisation=d.w.department, kind="investigation", name="Spirometri")
    foreign = Slot.objects.create(
        resource=other,
        starts_at=timezone.now() + timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=1, hours=1),
    )
    past = Slot.objects.create(
        resource=d.holter.resource,
        starts_at=timezone.now() - timedelta(hours=2),
        ends_at=timezone.now() - timedelta(hours=1),
    )
    verified_login(client, d.w.gp)
    for slot, message in ((foreign, "ledige tider"), (past, "passeret")):
        response = _post_order(client, d, d.holter, slot=str(slot.public_id))
        assert response.status_code == 400 and message in response.content.decode()
    assert not InvestigationOrder.objects.exists() and not Booking.objects.exists()


def test_an_unknown_or_inactive_investigation_is_404(client):
    d = diagnostics_world()
    verified_login(client, d.w.gp)
    assert client.get(reverse("referrals:diagnostics_new", args=[999999])).status_code == 404
    d.xray.active = False
    d.xray.save()
    assert _post_order(client, d, d.xray).status_code == 404


def test_only_a_gp_reaches_the_order_form(client):
    d = diagnostics_world()
    for user in (d.w.practice_secretary, d.cardiologist):
        verified_login(client, user)
        assert client.get(reverse("referrals:diagnostics_new", args=[d.holter.pk])).status_code == 404


def test_the_department_records_performed_and_result_and_the_gp_acknowledges(client):
    d = diagnostics_world()
    o = order(d)
    url = reverse("referrals:diagnostics_order", args=[o.public_id])
    verified_login(client, d.cardiology_secretary)
    assert (
        "Holter-monitorering 24 t" in client.get(reverse("referrals:diagnostics_department")).content.decode()
    )
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("referrals:diagnostics_performed", args=[o.public_id]), {"performed_at": when}
    )
    assert response.status_code == 302
    # A secretary does not give the result notice.
    assert (
        client.post(reverse("referrals:diagnostics_result", args=[o.public_id]), {"notice": "x"}).status_code
        == 404
    )
    verified_login(client, d.cardiologist)
    response = client.post(
        reverse("referrals:diagnostics_result", args=[o.public_id]), {"notice": "Paroksystisk AF <3 ep.>"}
    )
    assert response.status_code == 302
    verified_login(client, d.w.gp)
    page = client.get(url).content.decode()
    assert "Paroksystisk AF &lt;3 ep.&gt;" in page and "samspil-form-acknowledge" in page
    assert client.post(reverse("referrals:diagnostics_acknowledge", args=[o.public_id])).status_code == 302
    o.refresh_from_db()
    assert o.state == "acknowledged" and o.acknowledged_by == d.w.gp
    assert "Fulgt op af" in client.get(url).content.decode()


def test_a_performed_time_in_the_future_is_a_danish_400(client):
    d = diagnostics_world()
    o = order(d)
    verified_login(client, d.cardiologist)
    when = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("referrals:diagnostics_performed", args=[o.public_id]), {"performed_at": when}
    )
    assert response.status_code == 400 and "fremtiden" in response.content.decode()
    response = client.post(
        reverse("referrals:diagnostics_performed", args=[o.public_id]), {"performed_at": "igår"}
    )
    assert response.status_code == 400
    o.refresh_from_db()
    assert o.state == "booked"


def test_an_oversized_result_notice_is_a_400(client):
    d = diagnostics_world()
    o = order(d)
    verified_login(client, d.cardiologist)
    client.post(
        reverse("referrals:diagnostics_performed", args=[o.public_id]),
        {"performed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    response = client.post(reverse("referrals:diagnostics_result", args=[o.public_id]), {"notice": "x" * 501})
    assert response.status_code == 400
    o.refresh_from_db()
    assert o.state == "performed" and o.result_notice == ""


def test_every_order_page_is_a_logged_read(client):
    d = diagnostics_world()
    o = order(d)
    verified_login(client, d.w.practice_secretary)
    before = AccessLogEntry.objects.filter(action="view", object_type="referrals.investigationorder").count()
    client.get(reverse("referrals:diagnostics_order", args=[o.public_id]))
    client.get(reverse("referrals:diagnostics_order", args=[o.public_id]))
    assert (
        AccessLogEntry.objects.filter(action="view", object_type="referrals.investigationorder").count()
        == before + 2
    )


def test_overdue_result_notices_are_listed_for_the_practice(client):
    d = diagnostics_world()
    o = with_result(d, order(d))
    InvestigationOrder.objects.filter(pk=o.pk).update(result_at=timezone.now() - timedelta(days=10))
    verified_login(client, d.w.practice_secretary)
    page = client.get(reverse("referrals:diagnostics_orders")).content.decode()
    assert "samspil-overdue-results" in page and "ikke fulgt op" in page


def test_the_referrals_overview_links_to_the_orders(client):
    d = diagnostics_world()
    verified_login(client, d.w.gp)
    assert (
        reverse("referrals:diagnostics_orders") in client.get(reverse("referrals:overview")).content.decode()
    )


def test_a_department_member_is_sent_to_the_department_list(client):
    d = diagnostics_world()
    verified_login(client, d.cardiologist)
    response = client.get(reverse("referrals:diagnostics_orders"))
    assert response.status_code == 302 and response.url == reverse("referrals:diagnostics_department")

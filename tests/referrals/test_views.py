"""The referral pages: refer, decide, veto, the GP sees a re-route at once; bad input is a Danish 400."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.audit.models import AccessLogEntry
from portal.referrals import services
from portal.referrals.fhir import TASK_STATUSES
from portal.referrals.models import Referral
from tests.accounts.login import verified_login

from .factories import CPR, dialogue_with_gp_answer, refer, world

pytestmark = pytest.mark.django_db


def _url(name, referral):
    return reverse(f"referrals:{name}", kwargs={"public_id": referral.public_id})


def test_a_gp_refers_by_diagnosis_and_the_cpr_never_reaches_the_url(client):
    w = world()
    verified_login(client, w.gp)
    response = client.post(
        reverse("referrals:new"),
        {
            "practice": w.practice.pk,
            "cpr": "070761-4285",
            "urgency": "routine",
            "clinical_text": "Dyspnø <NYHA 3>",
            "diagnosis_code": "j44.1",
            "diagnosis_text": "KOL",
            "destination_kind": "department",
            "destination": w.department.pk,
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert CPR not in response["Location"] and "0707" not in response["Location"]
    assert referral.diagnosis_code == "J44.1" and referral.clinical_text == "Dyspnø <NYHA 3>"
    page = client.get(response["Location"])
    assert "070761-XXXX" in page.content.decode() and "Dyspnø &lt;NYHA 3&gt;" in page.content.decode()


def test_central_visitation_is_the_areas(client):
    w = world()
    verified_login(client, w.gp)
    client.post(
        reverse("referrals:new"),
        {
            "practice": w.practice.pk,
            "cpr": CPR,
            "urgency": "routine",
            "clinical_text": "Uklart",
            "diagnosis_code": "R53",
            "diagnosis_text": "Træthed",
            "destination_kind": "central_visitation",
        },
    )
    referral = Referral.objects.get()
    assert referral.destination == w.central and referral.destination_kind == "central_visitation"
    verified_login(client, w.visitator)
    assert "Træthed" in client.get(reverse("referrals:central")).content.decode()


def test_a_gp_refers_by_package_with_the_checklist(client):
    w = world()
    verified_login(client, w.gp)
    url = reverse("referrals:new_package", kwargs={"package_id": w.package.pk})
    assert "Spirometri" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "practice": w.practice.pk,
            "cpr": CPR,
            "urgency": "subacute",
            "clinical_text": "Åndenød",
            "checklist": ["EKG"],
        },
    )
    assert response.status_code == 302
    assert Referral.objects.get().checklist_ticked == ["EKG"]


@pytest.mark.parametrize(
    "field,value",
    [
        ("clinical_text", "x" * 10_001),
        ("diagnosis_code", "KOL"),
        ("cpr", "999999-9999"),
        ("diagnosis_text", "y" * 201),
    ],
)
def test_hostile_or_oversized_input_is_a_danish_400_and_nothing_is_saved(client, field, value):
    w = world()
    verified_login(client, w.gp)
    data = {
        "practice": w.practice.pk,
        "cpr": CPR,
        "urgency": "routine",
        "clinical_text": "Tekst",
        "diagnosis_code": "J44",
        "diagnosis_text": "KOL",
        "destination_kind": "department",
        "destination": w.department.pk,
    }
    response = client.post(reverse("referrals:new"), data | {field: value}, HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 400
    html = response.content.decode()
    assert "form-error-message" in html or "alert-error" in html
    assert Referral.objects.count() == 0
    assert not AccessLogEntry.objects.filter(object_type="referrals.referral").exists()


def test_a_department_reroutes_and_the_gp_sees_why_at_once(client):
    w = world()
    referral = refer(w)
    verified_login(client, w.specialist)
    response = client.post(
        _url("reroute", referral),
        {
            "to_department": w.other_department.pk,
            "reason_code": "wrong-specialty",
            "reason": "Mistanke om hjertesvigt",
            "alternative": "Ekko inden for 14 dage",
        },
    )
    assert response.status_code == 302
    verified_login(client, w.gp)
    overview = client.get(reverse("referrals:overview")).content.decode()
    assert "Hjertesygdomme" in overview and "Omvisiteret" in overview
    page = client.get(_url("referral", referral)).content.decode()
    assert "Mistanke om hjertesvigt" in page and "Ekko inden for 14 dage" in page


def test_an_empty_or_oversized_reroute_reason_is_a_400_and_changes_nothing(client):
    w = world()
    referral = refer(w)
    verified_login(client, w.specialist)
    for reason in ("", "r" * 1001):
        response = client.post(
            _url("reroute", referral),
            {"to_department": w.other_department.pk, "reason_code": "other", "reason": reason},
        )
        assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.destination == w.department and referral.events.count() == 1


def test_return_is_not_offered_before_the_gp_answered_and_is_a_400_when_forced(client):
    w = world()
    referral = refer(w)
    verified_login(client, w.specialist)
    page = client.get(_url("referral", referral)).content.decode()
    assert "samspil-form-return" not in page and "samspil-return-blocked" in page
    response = client.post(
        _url("return", referral), {"reason_code": "wrong-level", "reason": "Ses i praksis"}
    )
    assert response.status_code == 400
    assert Referral.objects.get(pk=referral.pk).state == "received"
    dialogue_with_gp_answer(w, referral)
    assert "samspil-form-return" in client.get(_url("referral", referral)).content.decode()


def test_after_the_veto_the_department_is_offered_no_reroute(client):
    w = world()
    referral = refer(w)
    verified_login(client, w.gp)
    assert client.post(_url("veto", referral), {"reason": ""}).status_code == 400
    assert client.post(_url("veto", referral), {"reason": "SAT 86 %"}).status_code == 302
    verified_login(client, w.specialist)
    page = client.get(_url("referral", referral)).content.decode()
    assert "samspil-veto-notice" in page and "samspil-form-reroute" not in page
    assert (
        client.post(
            _url("reroute", referral),
            {"to_department": w.other_department.pk, "reason_code": "other", "reason": "x"},
        ).status_code
        == 404
    )


def test_the_page_logs_each_view():
    w = world()
    referral = refer(w)
    from django.test import Client

    client = Client()
    verified_login(client, w.specialist)
    before = AccessLogEntry.objects.filter(action="view", object_type="referrals.referral").count()
    client.get(_url("referral", referral))
    client.get(_url("referral", referral))
    assert (
        AccessLogEntry.objects.filter(action="view", object_type="referrals.referral").count() == before + 2
    )


def test_the_decision_exports_as_a_fhir_task_without_the_cpr(client):
    w = world()
    w.department.sor_code = "123456789012"
    w.department.save()
    referral = refer(w)
    services.referral_reroute(
        referral=referral,
        actor=w.specialist,
        to_department=w.other_department,
        reason_code="wrong-specialty",
        reason="Hjerte",
        alternative="Ekko",
    )
    verified_login(client, w.gp)
    response = client.get(_url("fhir", referral))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/fhir+json")
    task = json.loads(response.content)
    assert task["resourceType"] == "Task" and task["intent"] == "order"
    assert task["status"] in TASK_STATUSES and task["status"] != "rejected"
    assert task["businessStatus"]["coding"][0]["code"] == "rerouted"
    assert task["statusReason"]["coding"][0]["code"] == "wrong-specialty"
    assert task["focus"]["reference"].startswith("urn:uuid:") and task["for"]["reference"].startswith(
        "urn:uuid:"
    )
    assert {"valueString": "Ekko", "type": {"text": "alternative-offer"}} in task["output"]
    assert CPR not in response.content.decode() and "070761" not in response.content.decode()
    assert task["owner"]["display"].startswith("Hjertesygdomme")
    assert AccessLogEntry.objects.filter(action="export", object_type="referrals.referral").count() == 1


def test_every_state_exports_a_status_from_the_value_set():
    from portal.referrals.fhir import STATUS

    assert set(STATUS) == set(Referral.State)
    assert all(status in TASK_STATUSES and status != "rejected" for status, _b in STATUS.values())


def test_worklist_overdue_first_and_quality_view(client):
    w = world()
    old = refer(w, now=timezone.now() - timedelta(days=10))
    new = refer(w)
    services.referral_veto(referral=new, actor=w.gp, reason="Akut")
    verified_login(client, w.specialist)
    page = client.get(reverse("referrals:worklist")).content.decode()
    assert page.index(_url("referral", old)) < page.index(_url("referral", new))
    quality = client.get(reverse("referrals:quality")).content.decode()
    assert "1 veto" in quality and "Akut" not in quality  # the reason stays on the referral
    assert client.get(reverse("referrals:quality"), {"dage": "x"}).status_code == 400


def test_the_visitation_numbers_page(client):
    w = world()
    verified_login(client, w.gp)
    page = client.get(reverse("referrals:visitation")).content.decode()
    assert "70 11 31 31" in page and "Central visitation" in page


def test_quality_counts_reroutes_per_department_and_hours_to_the_first_decision():
    from portal.referrals.selectors import quality

    w = world()
    start = timezone.now() - timedelta(hours=10)
    first = refer(w, now=start)
    services.referral_reroute(
        referral=first,
        actor=w.specialist,
        to_department=w.other_department,
        reason_code="other",
        reason="x",
        now=start + timedelta(hours=2),
    )
    services.referral_accept(
        referral=first,
        actor=w.other_specialist,
        appointment_start=timezone.now() + timedelta(days=1),
        now=start + timedelta(hours=6),
    )
    departments, vetoes = quality(since=start - timedelta(hours=1))
    rows = {row.organisation: row for row in departments}
    assert (rows[w.department].received, rows[w.department].rerouted) == (1, 1)
    assert rows[w.department].decision["median"] == pytest.approx(2.0)
    assert (rows[w.other_department].received, rows[w.other_department].rerouted) == (1, 0)
    assert rows[w.other_department].decision["median"] == pytest.approx(4.0)
    assert vetoes == []

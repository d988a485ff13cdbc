"""Audit rounds: starting, registering per practice, closing, and who may do what."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from portal.accounts.roles import Role
from portal.auditrounds import services
from portal.auditrounds.models import AuditRound, IndicatorResult, PracticeRegistration
from portal.outbox.models import OutboxEmail
from tests.accounts.factories import DepartmentFactory, MembershipFactory, UserFactory
from tests.accounts.login import verified_login
from tests.auditrounds.factories import (
    PERIOD,
    cluster_of,
    guideline,
    kit,
    member,
    published,
    start,
    two_indicators,
)
from tests.authz import assert_authorisation_matrix, http_ok, perm

pytestmark = pytest.mark.django_db


def test_a_gp_starts_a_round_that_copies_the_kits_indicators_and_guideline_version():
    the_guideline = guideline()
    the_kit = kit(audits=the_guideline, indicators=two_indicators())
    cluster, practices, gps = cluster_of(2)
    audit_round = start(gps[0], cluster, the_kit)

    assert [i["name"] for i in audit_round.indicators] == ["Andel med antibiotika", "Antal konsultationer"]
    assert [i["measure"] for i in audit_round.indicators] == ["proportion", "count"]
    assert audit_round.guideline_revision_id == the_kit.guideline_revision_id
    assert audit_round.status == AuditRound.Status.OPEN and audit_round.started_by == gps[0]
    # Both GPs are told, once each, with a link and no figures.
    emails = OutboxEmail.objects.filter(key__startswith=f"auditrounds.started:{audit_round.pk}:")
    assert sorted(e.to for e in emails) == sorted([gp.email] for gp in gps)


def test_the_round_says_when_the_guideline_has_changed_since_the_kit_was_made(client):
    the_guideline = guideline()
    cluster, practices, gps = cluster_of(1)
    audit_round = start(gps[0], cluster, kit(audits=the_guideline))
    verified_login(client, gps[0])
    url = reverse("auditrounds:detail", args=[audit_round.pk])
    assert "samspil-guideline-changed" not in client.get(url).content.decode()
    published(the_guideline)
    page = client.get(url).content.decode()
    assert "Retningslinjen er ændret, siden dette auditmateriale blev lavet." in page


def test_a_secretary_registers_but_only_a_gp_starts_a_round(client):
    cluster, practices, gps = cluster_of(1)
    secretary = member(practices[0], Role.MEDICAL_SECRETARY)
    with pytest.raises(PermissionDenied):
        start(secretary, cluster, kit())
    audit_round = start(gps[0], cluster, kit())
    values = {audit_round.indicators[0]["id"]: (1, 4)}
    services.audit_registration_save(
        actor=secretary, audit_round=audit_round, practice=practices[0], values=values
    )
    assert IndicatorResult.objects.get().numerator == 1


def test_registering_through_the_form_saves_every_indicator_or_nothing(client):
    cluster, practices, gps = cluster_of(1)
    audit_round = start(gps[0], cluster, kit(indicators=two_indicators()))
    proportion, count = (i["id"] for i in audit_round.indicators)
    verified_login(client, gps[0])
    url = reverse("auditrounds:register", args=[audit_round.pk, practices[0].pk])
    page = client.get(url).content.decode()
    assert "ingen navne, CPR-numre eller andre patientdata" in page

    response = client.post(
        url, {f"{proportion}-numerator": "12", f"{proportion}-denominator": "10", f"{count}-count": "40"}
    )
    assert response.status_code == 400
    assert "Tælleren kan ikke være større end nævneren." in response.content.decode()
    assert not PracticeRegistration.objects.exists()

    response = client.post(url, {f"{proportion}-numerator": "-1", f"{proportion}-denominator": "x"})
    assert response.status_code == 400
    assert not IndicatorResult.objects.exists()

    response = client.post(
        url, {f"{proportion}-numerator": "3", f"{proportion}-denominator": "10", f"{count}-count": "40"}
    )
    assert response.status_code == 302
    assert sorted(IndicatorResult.objects.values_list("numerator", "denominator")) == [(3, 10), (40, None)]

    # Editing replaces the practice's numbers; it never adds a second registration.
    client.post(
        url, {f"{proportion}-numerator": "4", f"{proportion}-denominator": "10", f"{count}-count": "41"}
    )
    assert PracticeRegistration.objects.count() == 1
    assert sorted(IndicatorResult.objects.values_list("numerator", flat=True)) == [4, 41]


def test_the_service_refuses_a_half_registration_and_out_of_range_numbers():
    cluster, practices, gps = cluster_of(1)
    audit_round = start(gps[0], cluster, kit(indicators=two_indicators()))
    proportion, count = (i["id"] for i in audit_round.indicators)
    for values in (
        {proportion: (1, 2)},  # the count is missing
        {proportion: (3, 2), count: (1, None)},
        {proportion: (1, 2), count: (10**9, None)},
        {proportion: (1, 2), count: (1, None), "unknown": (1, 1)},
    ):
        with pytest.raises(ValidationError):
            services.audit_registration_save(
                actor=gps[0], audit_round=audit_round, practice=practices[0], values=values
            )
    assert not PracticeRegistration.objects.exists()


def test_a_practice_registers_only_for_itself_and_not_after_the_round_is_closed(client):
    cluster, practices, gps = cluster_of(2)
    audit_round = start(gps[0], cluster, kit())
    indicator = audit_round.indicators[0]["id"]
    with pytest.raises(PermissionDenied):
        services.audit_registration_save(
            actor=gps[0], audit_round=audit_round, practice=practices[1], values={indicator: (1, 2)}
        )
    verified_login(client, gps[0])
    assert (
        client.get(reverse("auditrounds:register", args=[audit_round.pk, practices[1].pk])).status_code == 404
    )

    # Only the GP who started it closes it; then nothing changes any more.
    verified_login(client, gps[1])
    assert client.post(reverse("auditrounds:close", args=[audit_round.pk])).status_code == 404
    verified_login(client, gps[0])
    response = client.post(reverse("auditrounds:close", args=[audit_round.pk]))
    assert response.status_code == 302
    audit_round.refresh_from_db()
    assert audit_round.status == AuditRound.Status.CLOSED
    with pytest.raises(ValidationError):
        services.audit_registration_save(
            actor=gps[0], audit_round=audit_round, practice=practices[0], values={indicator: (1, 2)}
        )
    assert (
        client.get(reverse("auditrounds:register", args=[audit_round.pk, practices[0].pk])).status_code == 404
    )


def test_starting_from_the_kit_page_link_prefills_the_kit_and_period(client):
    cluster, practices, gps = cluster_of(1)
    the_kit = kit()
    verified_login(client, gps[0])
    url = reverse("auditrounds:start")
    page = client.get(f"{url}?kit={the_kit.pk}").content.decode()
    assert f'value="{the_kit.pk}" selected' in page
    assert PERIOD[0].isoformat() in page

    response = client.post(
        url,
        {"cluster": cluster.pk, "kit": the_kit.pk, "period_start": "2026-11-30", "period_end": "2026-09-01"},
    )
    assert response.status_code == 400
    assert "Perioden kan ikke slutte, før den begynder." in response.content.decode()
    assert not AuditRound.objects.exists()

    response = client.post(
        url,
        {"cluster": cluster.pk, "kit": the_kit.pk, "period_start": "2026-09-01", "period_end": "2026-11-30"},
    )
    audit_round = AuditRound.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "auditrounds:detail", args=[audit_round.pk]
    )


def test_the_authorisation_matrix_of_a_round():
    client_factory = Client
    cluster, practices, gps = cluster_of(2)
    other_cluster, other_practices, other_gps = cluster_of(1)
    secretary = member(practices[0], Role.MEDICAL_SECRETARY)
    specialist = UserFactory()
    MembershipFactory(user=specialist, organisation=DepartmentFactory(), role=Role.HOSPITAL_SPECIALIST)
    audit_round = start(gps[0], cluster, kit())

    def register_page(practice):
        return http_ok(client_factory, lambda r: reverse("auditrounds:register", args=[r.pk, practice.pk]))

    assert_authorisation_matrix(
        users={
            "starter": gps[0],
            "colleague_gp": gps[1],
            "secretary": secretary,
            "other_cluster_gp": other_gps[0],
            "specialist": specialist,
        },
        objects={"round": audit_round},
        actions={
            "view": perm("auditrounds.view_auditround"),
            "page": http_ok(client_factory, lambda r: reverse("auditrounds:detail", args=[r.pk])),
            "csv": http_ok(client_factory, lambda r: reverse("auditrounds:export", args=[r.pk, "csv"])),
            "reg_own": perm("auditrounds.register_auditround"),
            "reg_p0": register_page(practices[0]),
            "reg_p1": register_page(practices[1]),
            "close": perm("auditrounds.close_auditround"),
        },
        allowed={
            *{
                (who, "round", a)
                for who in ("starter", "colleague_gp", "secretary")
                for a in ("view", "page", "csv", "reg_own")
            },
            ("starter", "round", "reg_p0"),
            ("secretary", "round", "reg_p0"),
            ("colleague_gp", "round", "reg_p1"),
            ("starter", "round", "close"),
        },
    )


def test_only_gps_of_the_cluster_may_start_a_round_there():
    cluster, practices, gps = cluster_of(1)
    other_cluster, _, other_gps = cluster_of(1)
    secretary = member(practices[0], Role.MEDICAL_SECRETARY)
    assert_authorisation_matrix(
        users={"gp": gps[0], "secretary": secretary, "other_gp": other_gps[0]},
        objects={"cluster": cluster},
        actions={"start": perm("auditrounds.start_auditround")},
        allowed={("gp", "cluster", "start")},
    )


def test_the_reminder_goes_to_the_clusters_gps_a_week_before_the_end_once(settings):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    today = timezone.localdate()
    cluster, practices, gps = cluster_of(2)
    soon = start(gps[0], cluster, kit(), period=(today - timedelta(days=30), today + timedelta(days=6)))
    start(gps[0], cluster, kit(), period=(today, today + timedelta(days=30)))  # not yet
    closed = start(gps[0], cluster, kit(), period=(today, today + timedelta(days=3)))
    services.audit_round_close(actor=gps[0], audit_round=closed)

    call_command("auditrounds_remind")
    call_command("auditrounds_remind")
    reminders = OutboxEmail.objects.filter(key__startswith="auditrounds.ending:")
    assert sorted(e.key for e in reminders) == sorted(
        f"auditrounds.ending:{soon.period_end.isoformat()}:{soon.pk}:to:{gp.pk}" for gp in gps
    )

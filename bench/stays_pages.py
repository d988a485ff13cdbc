"""Focused-stay coordinator pages at national scale: 1,500 trainees, 1,800 host practices and a
published year in five regions (most stays over and evaluated both ways), through Django's test
client on a throwaway SQLite file (or DATABASE_URL).

For the coordinator of the largest region: the start page, the region board, the published run,
the pair-rule form, the yearly report (as kept, and as first read after a change) and the learning
objectives, each p50/p95 wall clock, CPU per request and queries. The goal in issue 13:
coordinator pages p95 ≤ 50 ms.

    .venv/bin/python bench/stays_pages.py       # or: make bench-stays-pages
    DATABASE_URL=sqlite:////tmp/stays-bench.sqlite3 .venv/bin/python bench/stays_pages.py  # kept, built once
    BENCH_ROUNDS=50 BENCH_TRAINEES=300 BENCH_PRACTICES=360 .venv/bin/python bench/stays_pages.py
"""

import os
import random
from datetime import date, timedelta

from common import client_for, forget_clients, measure, print_header, print_row, setup_django

setup_django()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from portal.accounts.models import HealthCouncilArea, Membership, Organisation, Region, Specialty, User  # noqa: E402
from portal.accounts.roles import Role  # noqa: E402
from portal.stays import report_cache  # noqa: E402
from portal.stays.models import (  # noqa: E402
    Assignment,
    HostOffer,
    HostPeriod,
    LearningObjective,
    MatchingRun,
    ObjectiveScore,
    RegionCoordinator,
    StayEvaluation,
    StayNeed,
)

TRAINEES = int(os.environ.get("BENCH_TRAINEES", "1500"))
PRACTICES = int(os.environ.get("BENCH_PRACTICES", "1800"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "100"))
# Shares of trainees and practices per region: the capital region the largest.
REGIONS = [
    ("hovedstaden", 0.32),
    ("sjaelland", 0.15),
    ("syddanmark", 0.21),
    ("midtjylland", 0.23),
    ("nordjylland", 0.09),
]


def _split(total: int) -> list[int]:
    counts = [int(total * share) for _, share in REGIONS]
    counts[0] += total - sum(counts)
    return counts


def build(rng: random.Random):
    today = timezone.localdate()
    year_start = date(today.year, 1, 5) - timedelta(days=date(today.year, 1, 5).weekday())
    specialties = list(Specialty.objects.filter(focused_stay=True))
    objectives = LearningObjective.objects.bulk_create(
        LearningObjective(specialty=s, title=f"Læringsmål {i} i {s.name}", position=i)
        for s in specialties
        for i in range(3)
    )
    goals_of = {s.pk: [o for o in objectives if o.specialty_id == s.pk] for s in specialties}
    secretariat = Organisation.objects.create(kind="secretariat", name="Bench-sekretariat")
    coordinators = []
    for (slug, _share), trainees, practices in zip(REGIONS, _split(TRAINEES), _split(PRACTICES), strict=True):
        region = Region.objects.create(name=f"Bench {slug}", slug=f"bench-{slug}")
        area = HealthCouncilArea.objects.create(name=f"Bench {slug}", slug=f"bench-{slug}", region=region)
        hospital = Organisation.objects.create(
            kind="hospital", name=f"Bench {slug} hospital", health_council_area=area
        )
        departments = Organisation.objects.bulk_create(
            Organisation(kind="department", name=f"{s.name} ({slug})", parent=hospital, specialty=s)
            for s in specialties
        )
        coordinator = User.objects.create(
            email=f"koordinator@{slug}.bench", first_name="Koordinator", last_name=slug
        )
        Membership.objects.create(user=coordinator, organisation=secretariat, role=Role.TRAINING_COORDINATOR)
        RegionCoordinator.objects.create(user=coordinator, region=region)
        coordinators.append(coordinator)
        base = Organisation.objects.count()
        clinics = Organisation.objects.bulk_create(
            Organisation(
                kind="general_practice",
                name=f"Lægehuset {slug} {i}",
                yder_number=f"{base * 7 + i:06d}"[-6:],
                health_council_area=area,
            )
            for i in range(practices)
        )
        gps = User.objects.bulk_create(
            User(email=f"gp{i}@{slug}.bench", first_name="Læge", last_name=f"{slug} {i}")
            for i in range(practices)
        )
        Membership.objects.bulk_create(
            Membership(user=u, organisation=p, role=Role.GP) for u, p in zip(gps, clinics, strict=True)
        )
        offers = HostOffer.objects.bulk_create(
            HostOffer(
                practice=p,
                region=region,
                area=area,
                supervisor=u,
                practice_type="partnership",
                latitude=56 + rng.random(),
                longitude=9 + rng.random(),
                notes="Parkering i gården.",
            )
            for u, p in zip(gps, clinics, strict=True)
        )
        through = HostOffer.specialties.through
        through.objects.bulk_create(
            through(hostoffer_id=o.pk, specialty_id=s.pk) for o in offers for s in rng.sample(specialties, 3)
        )
        periods = []
        for o in offers:
            for _ in range(rng.randint(1, 3)):
                first = year_start + timedelta(weeks=rng.randrange(48))
                periods.append(
                    HostPeriod(
                        offer=o,
                        starts_on=first,
                        ends_on=first + timedelta(weeks=rng.randint(2, 8), days=-3),
                        capacity=rng.choice([1, 1, 2]),
                    )
                )
        HostPeriod.objects.bulk_create(periods)
        people = User.objects.bulk_create(
            User(email=f"ul{i}@{slug}.bench", first_name="Uddannelseslæge", last_name=f"{slug} {i}")
            for i in range(trainees)
        )
        homes = [rng.choice(departments) for _ in people]
        Membership.objects.bulk_create(
            Membership(user=u, organisation=d, role=Role.TRAINEE) for u, d in zip(people, homes, strict=True)
        )
        run = MatchingRun.objects.create(
            region=region,
            run_by=coordinator,
            started_at=timezone.now(),
            status="optimal",
            published_at=timezone.now(),
            published_by=coordinator,
        )
        needs, stays = [], []
        for u, d in zip(people, homes, strict=True):
            start = year_start + timedelta(weeks=rng.randrange(50))
            placed = rng.random() < 0.9
            needs.append(
                StayNeed(
                    trainee=u,
                    department=d,
                    region=region,
                    specialty_id=d.specialty_id,
                    earliest_start=start,
                    latest_end=start + timedelta(weeks=4, days=-3),
                    state="assigned" if placed else "open",
                )
            )
        StayNeed.objects.bulk_create(needs)
        StayNeed.objectives.through.objects.bulk_create(
            StayNeed.objectives.through(stayneed_id=n.pk, learningobjective_id=g.pk)
            for n in needs
            for g in goals_of[n.specialty_id]
        )
        now = timezone.now()
        for n in needs:
            if n.state != "assigned":
                continue
            stays.append(
                Assignment(
                    run=run,
                    need=n,
                    offer=rng.choice(offers),
                    starts_on=n.earliest_start,
                    ends_on=n.earliest_start + timedelta(weeks=2, days=-3),
                    length_weeks=2,
                    distance_km=rng.uniform(2, 80),
                    state="confirmed",
                    practice_confirmed_at=now,
                    trainee_confirmed_at=now,
                )
            )
        Assignment.objects.bulk_create(stays)
        evaluations = []
        for a in stays:
            if a.ends_on < today:
                evaluations.append(
                    StayEvaluation(
                        assignment=a, direction="of_practice", author=a.need.trainee, score=rng.randint(2, 5)
                    )
                )
                evaluations.append(
                    StayEvaluation(
                        assignment=a, direction="of_stay", author=a.offer.supervisor, score=rng.randint(2, 5)
                    )
                )
        StayEvaluation.objects.bulk_create(evaluations)
        ObjectiveScore.objects.bulk_create(
            ObjectiveScore(evaluation=e, objective=g, score=rng.randint(1, 5))
            for e in evaluations
            if e.direction == "of_stay"
            for g in goals_of[e.assignment.need.specialty_id]
        )
    return coordinators[0]


def main():
    call_command("migrate", verbosity=0)
    # On a reused database (DATABASE_URL to a kept file) the national year is built once.
    coordinator = User.objects.filter(email="koordinator@hovedstaden.bench").first()
    if coordinator is None:
        coordinator = build(random.Random(13))  # noqa: S311 - a reproducible instance
    forget_clients()
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    region = Region.objects.get(slug="bench-hovedstaden")
    run = MatchingRun.objects.get(region=region)
    needs = StayNeed.objects.filter(region=region).count()
    offers = HostOffer.objects.filter(region=region).count()
    stays = Assignment.objects.filter(need__region=region).count()
    evaluations = StayEvaluation.objects.filter(assignment__need__region=region).count()
    print(
        f"{TRAINEES} trainees, {PRACTICES} practices; the largest region: {needs} needs, {offers} offers, "
        f"{stays} stays, {evaluations} evaluations ({connection.vendor})"
    )
    client = client_for(coordinator)
    base = "/fokuserede-ophold"
    pages = [
        ("home", f"{base}/"),
        ("region", f"{base}/koordinering/{region.slug}/"),
        ("run", f"{base}/koordinering/{region.slug}/koersel/{run.public_id}/"),
        ("rule", f"{base}/koordinering/{region.slug}/regler/"),
        ("report", f"{base}/koordinering/{region.slug}/rapport/"),
        ("objectives", f"{base}/laeringsmaal/"),
    ]
    print_header("page", width=12, path_width=70, with_cpu=True)
    for name, path in pages:
        print_row(name, path, *measure(client, path, rounds=ROUNDS, with_cpu=True), width=12, path_width=70)
    # The report keeps its region-wide figures until a stay changes; its first read after a
    # change computes them again.
    report = dict(pages)["report"]
    figures = measure(client, report, rounds=ROUNDS, with_cpu=True, before_each=report_cache.forget)
    print_row("report 1st", report, *figures, width=12, path_width=70)


if __name__ == "__main__":
    main()

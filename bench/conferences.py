"""Conference benchmark: "who is on now" and the conference dashboard through Django.

At 10,000 conference specialists with 5 years of duty periods (one period a day per
department, round the clock in turns) and 200,000 conferences. Run with
`make bench-conferences` (SQLite in a temporary file) or with DATABASE_URL pointing at an
empty PostgreSQL database. BENCH_SPECIALISTS, BENCH_YEARS, BENCH_CONFERENCES and
BENCH_ROUNDS change the scale. The goal in issue 11: p95 ≤ 30 ms.
"""

import os
import random
import time
import uuid
from datetime import timedelta

from common import analyze, client_for, forget_clients, measure, print_header, print_row, setup_django

setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from portal.accounts.models import HealthCouncilArea, Membership, Organisation, Region, Specialty, User  # noqa: E402
from portal.accounts.roles import Role  # noqa: E402
from portal.conferences.models import Conference, ConferenceNote, DutyPeriod  # noqa: E402

SPECIALISTS = int(os.environ.get("BENCH_SPECIALISTS", "10000"))
YEARS = int(os.environ.get("BENCH_YEARS", "5"))
CONFERENCES = int(os.environ.get("BENCH_CONFERENCES", "200000"))
AREAS = 21  # the Danish health council areas
SPECIALTIES = 20
PER_DEPARTMENT = max(-(-SPECIALISTS // (AREAS * SPECIALTIES)), 1)  # specialists taking turns
PRACTICES_PER_AREA = 80
BATCH = 5000


def build_world():
    region = Region.objects.create(name="Bench-region", slug="bench-region")
    areas = [
        HealthCouncilArea.objects.create(name=f"Bench-område {i}", slug=f"bench-omraade-{i}", region=region)
        for i in range(AREAS)
    ]
    specialties = list(Specialty.objects.order_by("pk")[:SPECIALTIES])
    hospitals = Organisation.objects.bulk_create(
        Organisation(kind="hospital", name=f"Benchhospital {i}", health_council_area=area)
        for i, area in enumerate(areas)
    )
    departments = Organisation.objects.bulk_create(
        Organisation(kind="department", name=f"{s.name} {h.name}", parent=h, specialty=s)
        for h in hospitals
        for s in specialties
    )
    practices = Organisation.objects.bulk_create(
        Organisation(
            kind="general_practice",
            name=f"Lægehus {a}-{i}",
            yder_number=f"{300000 + a * 1000 + i}",
            health_council_area=area,
        )
        for a, area in enumerate(areas)
        for i in range(PRACTICES_PER_AREA)
    )
    gps = User.objects.bulk_create(
        User(email=f"gp{i}@bench.test", first_name="Læge", last_name=str(i)) for i in range(len(practices))
    )
    specialists = User.objects.bulk_create(
        (
            User(email=f"spec{i}@bench.test", first_name="Speciallæge", last_name=str(i))
            for i in range(len(departments) * PER_DEPARTMENT)
        ),
        batch_size=BATCH,
    )
    Membership.objects.bulk_create(
        [Membership(user=u, organisation=o, role=Role.GP) for u, o in zip(gps, practices, strict=True)]
        + [
            Membership(
                user=specialists[d * PER_DEPARTMENT + k],
                organisation=department,
                role=Role.HOSPITAL_SPECIALIST,
                is_conference_specialist=True,
            )
            for d, department in enumerate(departments)
            for k in range(PER_DEPARTMENT)
        ],
        batch_size=BATCH,
    )
    return areas, departments, practices, gps, specialists


def build_rosters(departments, specialists, *, today):
    """One period a day per department, four years back and one ahead, the specialists in turns."""
    first = today - timedelta(days=365 * (YEARS - 1))
    days = 365 * YEARS
    made = 0
    with transaction.atomic():  # one commit, not one per department
        made = _build_rosters(departments, specialists, first=first, days=days)
    print()
    return made


def _build_rosters(departments, specialists, *, first, days):
    made = 0
    for d, department in enumerate(departments):
        area_id = department.parent.health_council_area_id
        periods = [
            DutyPeriod(
                specialist=specialists[d * PER_DEPARTMENT + day % PER_DEPARTMENT],
                department=department,
                specialty_id=department.specialty_id,
                health_council_area_id=area_id,
                starts_at=first + timedelta(days=day),
                ends_at=first + timedelta(days=day + 1),
                phone="78 45 00 00",
                video_url="https://video.bench.test/rum",
            )
            for day in range(days)
        ]
        DutyPeriod.objects.bulk_create(periods, batch_size=BATCH)
        made += len(periods)
        print(f"  {made:,} duty periods", end="\r", flush=True)
    return made


def build_conferences(departments, practices, gps, specialists, *, now):
    rng = random.Random(11)  # noqa: S311 -- reproducible test data, not secrets
    made = 0
    while made < CONFERENCES:
        n = min(BATCH, CONFERENCES - made)
        conferences = []
        for i in range(n):
            a = rng.randrange(AREAS)
            p = a * PRACTICES_PER_AREA + rng.randrange(PRACTICES_PER_AREA)
            d = a * SPECIALTIES + rng.randrange(SPECIALTIES)
            department = departments[d]
            requested = now - timedelta(minutes=rng.randrange(60 * 24 * 365 * (YEARS - 1)))
            roll = rng.random()
            status = "requested" if roll < 0.01 else "open" if roll < 0.03 else "closed"
            conferences.append(
                Conference(
                    public_id=uuid.uuid4(),
                    kind="direct",
                    initiated_by="practice",
                    topic=f"Konference {made + i}",
                    urgency="today",
                    mode="video",
                    status=status,
                    practice=practices[p],
                    department=department,
                    specialty_id=department.specialty_id,
                    health_council_area_id=department.parent.health_council_area_id,
                    requester=gps[p],
                    gp=gps[p],
                    specialist=specialists[d * PER_DEPARTMENT + rng.randrange(PER_DEPARTMENT)],
                    requested_at=requested,
                    accepted_at=None if status == "requested" else requested + timedelta(minutes=10),
                    closed_at=requested + timedelta(minutes=40) if status == "closed" else None,
                )
            )
        with transaction.atomic():
            Conference.objects.bulk_create(conferences, batch_size=1000)
            notes = []
            for c in conferences:
                if c.status != "closed":
                    continue
                written = c.closed_at + timedelta(hours=1)
                if rng.random() < 0.95:
                    notes.append(
                        ConferenceNote(
                            conference=c,
                            kind="note",
                            author=c.specialist,
                            author_name="S",
                            text="Notat",
                            written_at=written,
                        )
                    )
                if rng.random() < 0.9:
                    notes.append(
                        ConferenceNote(
                            conference=c,
                            kind="resume",
                            author=c.gp,
                            author_name="L",
                            text="Resumé",
                            written_at=written,
                        )
                    )
            ConferenceNote.objects.bulk_create(notes, batch_size=1000)
        made += n
        print(f"  {made:,} conferences", end="\r", flush=True)
    print()
    analyze()


def main():
    call_command("migrate", verbosity=0)
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    if Conference.objects.filter(topic__startswith="Konference ").exists():  # a database filled before
        forget_clients()
        print(f"{Conference.objects.count():,} conferences on {connection.vendor}, reused")
    else:
        begin = time.perf_counter()
        areas, departments, practices, gps, specialists = build_world()
        departments = list(
            Organisation.objects.filter(kind="department").select_related("parent").order_by("pk")
        )
        build_rosters(departments, specialists, today=today)
        build_conferences(departments, practices, gps, specialists, now=timezone.now())
        print(
            f"{len(specialists):,} specialists, {DutyPeriod.objects.count():,} duty periods, "
            f"{Conference.objects.count():,} conferences on {connection.vendor} "
            f"built in {time.perf_counter() - begin:.0f} s"
        )
    gp = User.objects.get(email="gp0@bench.test")
    # The specialist with the most conferences: the heaviest dashboard.
    busiest = Conference.objects.values("specialist").annotate(n=Count("pk")).order_by("-n").first()
    specialist = User.objects.get(pk=busiest["specialist"])
    specialty = Specialty.objects.order_by("pk").first()
    print_header(with_cpu=True)
    for who, user, path in (
        ("gp", gp, f"/konferencer/vagt/?speciale={specialty.slug}"),
        ("gp", gp, "/konferencer/"),
        (f"specialist ({busiest['n']})", specialist, "/konferencer/"),
    ):
        print_row(who, path, *measure(client_for(user), path, with_cpu=True))


if __name__ == "__main__":
    main()

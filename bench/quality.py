"""Quality-cluster benchmark: the cluster view, its export and one chart at a realistic size.

A health council area of BENCH_AREA_PRACTICES practices (500), one cluster of
BENCH_CLUSTER_PRACTICES of them (50), and a year of finished activity between every practice
and a department (BENCH_PER_MONTH threads each way, referrals and half as many conferences per
practice and month: 4 gives about 24,000 threads and 24,000 referrals a year), built with the
same generator as the demo (portal.quality.activity).

Then, logged in as a GP of one of the cluster's practices with a verified second factor, p50/p95
wall clock, CPU per request and queries of the cluster page, its CSV and XLSX, one chart, and the
area's page: every one of them reads the whole area's year.

    .venv/bin/python bench/quality.py       # or: make bench-quality
    BENCH_ROUNDS=20 BENCH_AREA_PRACTICES=100 .venv/bin/python bench/quality.py   # a quick look
    DATABASE_URL=postgres://… .venv/bin/python bench/quality.py   # an empty database; filled once
"""

import os
import time

from common import client_for, forget_clients, measure, print_header, print_row, setup_django

setup_django()

from django.core.management import call_command  # noqa: E402

from portal.accounts.models import HealthCouncilArea, Membership, Organisation, Region, Specialty, User  # noqa: E402
from portal.accounts.roles import Role  # noqa: E402
from portal.quality.activity import activity_create  # noqa: E402
from portal.quality.models import QualityCluster  # noqa: E402

AREA_PRACTICES = int(os.environ.get("BENCH_AREA_PRACTICES", "500"))
CLUSTER_PRACTICES = int(os.environ.get("BENCH_CLUSTER_PRACTICES", "50"))
PER_MONTH = int(os.environ.get("BENCH_PER_MONTH", "4"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "50"))
SLUG = "bench-klynge"


def build() -> QualityCluster:
    cluster = QualityCluster.objects.filter(slug=SLUG).first()
    if cluster is not None:
        return cluster
    region = Region.objects.create(name="Benchregion", slug="benchregion")
    area = HealthCouncilArea.objects.create(
        name="Bench-sundhedsråd", slug="bench-sundhedsraad", region=region
    )
    hospital = Organisation.objects.create(
        kind=Organisation.Kind.HOSPITAL, name="Benchhospitalet", health_council_area=area
    )
    department = Organisation.objects.create(
        kind=Organisation.Kind.DEPARTMENT,
        name="Kardiologi",
        parent=hospital,
        specialty=Specialty.objects.first(),
    )
    practices = Organisation.objects.bulk_create(
        Organisation(
            kind=Organisation.Kind.GENERAL_PRACTICE,
            name=f"Benchpraksis {i:04d}",
            health_council_area=area,
            yder_number=f"{900000 + i:06d}",
        )
        for i in range(AREA_PRACTICES)
    )
    users = User.objects.bulk_create(
        User(email=f"bench-gp-{i}@samspil.test", first_name="Læge", last_name=str(i))
        for i in range(AREA_PRACTICES)
    )
    Membership.objects.bulk_create(
        Membership(user=u, organisation=p, role=Role.GP) for u, p in zip(users, practices, strict=True)
    )
    specialist = User.objects.create(
        email="bench-specialist@samspil.test", first_name="Karen", last_name="Kardiolog"
    )
    Membership.objects.create(user=specialist, organisation=department, role=Role.HOSPITAL_SPECIALIST)
    cluster = QualityCluster.objects.create(name="Benchklyngen", slug=SLUG, health_council_area=area)
    cluster.practices.add(*practices[:CLUSTER_PRACTICES])
    began = time.perf_counter()
    made = activity_create(
        practices=practices,
        department=department,
        gps={p.pk: u for p, u in zip(practices, users, strict=True)},
        specialist=specialist,
        per_month=PER_MONTH,
    )
    print(
        f"built: {AREA_PRACTICES} practices, cluster of {CLUSTER_PRACTICES}; "
        f"{made.messages} answered messages, "
        f"{made.referrals} referrals, {made.conferences} conferences in {time.perf_counter() - began:.0f} s",
        flush=True,
    )
    return cluster


def main():
    call_command("migrate", verbosity=0)
    cluster = build()
    forget_clients()
    gp = User.objects.filter(memberships__organisation__in=cluster.practices.all()).order_by("pk").first()
    client = client_for(gp)
    base = f"/kvalitet/klynge/{cluster.slug}/"
    paths = [
        base,
        base + "eksport.csv",
        base + "eksport.xlsx",
        base + "graf/hospital_reply_median.svg",
        f"/kvalitet/omraade/{cluster.health_council_area.slug}/",
    ]
    print_header(with_cpu=True, path_width=48)
    for path in paths:
        p50, p95, queries, cpu = measure(client, path, rounds=ROUNDS, with_cpu=True)
        print_row("cluster GP", path, p50, p95, queries, cpu, path_width=48)


if __name__ == "__main__":
    main()

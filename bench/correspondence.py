"""Inbox benchmark: p50/p95 of the inbox pages through Django at 100,000 threads.

Run with `make bench-correspondence` (SQLite in a temporary file) or with
DATABASE_URL pointing at an empty PostgreSQL database. BENCH_THREADS sets the
scale (default 100,000), BENCH_ROUNDS the requests per page (default 200).
The goal in issue 5: inbox p95 ≤ 50 ms.
"""

import os
import random
import time
import uuid
from datetime import UTC, datetime, timedelta

from common import analyze, client_for, forget_clients, measure, print_header, print_row, setup_django

setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from portal.accounts.models import HealthCouncilArea, Membership, Organisation, Region, Specialty, User  # noqa: E402
from portal.accounts.roles import Role  # noqa: E402
from portal.correspondence.models import Category, Message, Participant, Side, Thread  # noqa: E402
from portal.correspondence.projection import inbox_entries_refresh  # noqa: E402

THREADS = int(os.environ.get("BENCH_THREADS", "100000"))
PRACTICES = 400
DEPARTMENTS = 40
BATCH = 5000


def build_world():
    region = Region.objects.create(name="Bench-region", slug="bench-region")
    area = HealthCouncilArea.objects.create(name="Bench-område", slug="bench-omraade", region=region)
    hospital = Organisation.objects.create(kind="hospital", name="Benchhospital", health_council_area=area)
    specialties = list(Specialty.objects.all()[:DEPARTMENTS])
    departments = [
        Organisation.objects.create(
            kind="department",
            name=f"Afdeling {i}",
            parent=hospital,
            specialty=specialties[i % len(specialties)],
        )
        for i in range(DEPARTMENTS)
    ]
    practices = Organisation.objects.bulk_create(
        Organisation(
            kind="general_practice",
            name=f"Lægehus {i}",
            yder_number=f"{200000 + i}",
            health_council_area=area,
        )
        for i in range(PRACTICES)
    )
    gps = User.objects.bulk_create(
        User(email=f"gp{i}@bench.test", first_name="Læge", last_name=str(i)) for i in range(PRACTICES)
    )
    specialists = User.objects.bulk_create(
        User(email=f"spec{i}@bench.test", first_name="Speciallæge", last_name=str(i))
        for i in range(DEPARTMENTS)
    )
    Membership.objects.bulk_create(
        [Membership(user=u, organisation=o, role=Role.GP) for u, o in zip(gps, practices, strict=True)]
        + [
            Membership(user=u, organisation=o, role=Role.HOSPITAL_SPECIALIST)
            for u, o in zip(specialists, departments, strict=True)
        ]
    )
    return practices, departments, gps, specialists


def build_threads(practices, departments, gps, specialists):
    rng = random.Random(7)  # noqa: S311 -- reproducible test data, not secrets
    start = datetime(2026, 1, 5, 8, tzinfo=UTC)
    made = 0
    while made < THREADS:
        n = min(BATCH, THREADS - made)
        threads, plans = [], []
        for i in range(n):
            p = rng.randrange(PRACTICES)
            d = rng.randrange(DEPARTMENTS)
            at = start + timedelta(minutes=3 * (made + i))
            answered = rng.random() < 0.6
            closed = answered and rng.random() < 0.5
            threads.append(
                Thread(
                    public_id=uuid.uuid4(),
                    conversation_id=uuid.uuid4(),
                    subject=f"Spørgsmål {made + i}",
                    category=rng.choice(Category.values[:-1]),
                    opened_by=gps[p],
                    sender_organisation=practices[p],
                    addressed_specialty_id=departments[d].specialty_id,
                    recipient_organisation=departments[d],
                    assignee=specialists[d] if answered else None,
                    status="closed" if closed else "open",
                    closed_at=at + timedelta(days=2) if closed else None,
                    awaiting="" if closed else (Side.SENDER if answered else Side.RECIPIENT),
                    due_at=None if closed else at + timedelta(days=3),
                    created_at=at,
                    last_message_at=at + timedelta(hours=5 if answered else 0),
                )
            )
            plans.append((p, d, at, answered))
        with transaction.atomic():
            Thread.objects.bulk_create(threads, batch_size=1000)
            messages, participants = [], []
            for thread, (p, d, at, answered) in zip(threads, plans, strict=True):
                messages.append(
                    Message(
                        public_id=uuid.uuid4(),
                        thread=thread,
                        side=Side.SENDER,
                        author=gps[p],
                        author_name=f"Læge {p}",
                        organisation=practices[p],
                        body="Spørgsmål",
                        body_html="<p>Spørgsmål</p>",
                        created_at=at,
                        answered_at=at + timedelta(hours=5) if answered else None,
                        answered_by_organisation=departments[d] if answered else None,
                    )
                )
                participants.append(Participant(thread=thread, user=gps[p], side=Side.SENDER))
                if answered:
                    messages.append(
                        Message(
                            public_id=uuid.uuid4(),
                            thread=thread,
                            side=Side.RECIPIENT,
                            author=specialists[d],
                            author_name=f"Speciallæge {d}",
                            organisation=departments[d],
                            body="Svar",
                            body_html="<p>Svar</p>",
                            created_at=at + timedelta(hours=5),
                        )
                    )
                    participants.append(Participant(thread=thread, user=specialists[d], side=Side.RECIPIENT))
            Message.objects.bulk_create(messages, batch_size=1000)
            Participant.objects.bulk_create(participants, batch_size=1000)
            inbox_entries_refresh([t.pk for t in threads])  # bulk_create sends no save signals
        made += n
        print(f"  {made:,} threads", end="\r", flush=True)
    print()
    analyze()


def main():
    call_command("migrate", verbosity=0)
    if Thread.objects.exists():  # DATABASE_URL at a database this script filled before
        gps = [User.objects.get(email="gp0@bench.test")]
        specialists = [User.objects.get(email="spec0@bench.test")]
        forget_clients()
        print(f"{Thread.objects.count():,} threads on {connection.vendor}, reused")
    else:
        begin = time.perf_counter()
        practices, departments, gps, specialists = build_world()
        build_threads(practices, departments, gps, specialists)
        print(f"{THREADS:,} threads on {connection.vendor} built in {time.perf_counter() - begin:.0f} s")
    print_header()
    for who, user in (("specialist", specialists[0]), ("gp", gps[0])):
        client = client_for(user)
        for box in ("afventer-mig", "afventer-dem", "organisation", "overskredet", "lukkede"):
            path = f"/korrespondance/?visning={box}"
            p50, p95, queries = measure(client, path)
            print_row(who, path, p50, p95, queries)
        thread = Thread.objects.filter(participants__user=user).first()
        path = f"/korrespondance/{thread.public_id}/"
        p50, p95, queries = measure(client, path)
        print_row(who, "/korrespondance/<tråd>/", p50, p95, queries)


if __name__ == "__main__":
    main()

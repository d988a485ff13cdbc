"""Booking benchmark: 20 concurrent bookers on the same popular slots, and free-slot look-ups at scale.

Part 1 builds a hospital region's worth of bookable times (BENCH_RESOURCES resources over
BENCH_DAYS days, BENCH_FILL of the seats already booked). Part 2 releases BENCH_CLIENTS threads
at once, each with its own database connection, on BENCH_POPULAR popular slots of capacity 3:
half book directly, half hold and confirm, as the pages do. It reports bookings/s and proves
that no slot ended with more active bookings than seats (a query over the whole table, not the
threads' own tally). Part 3 measures the free-slot look-up (the selector and the /tider/ledige/
page) p50/p95 and its query count.

Run with `make bench-bookings` (SQLite in a temporary file, where the writers queue on the
database lock) or with DATABASE_URL pointing at a PostgreSQL database, where they queue on the
slot's row lock: the case the test suite and this benchmark are about.
"""

import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
_TMP = tempfile.mkdtemp(prefix="samspil-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_TMP}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.exceptions import ValidationError  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.db.models import Count, F, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from portal.accounts.models import HealthCouncilArea, Membership, Organisation, Region, Specialty, User  # noqa: E402
from portal.accounts.roles import Role  # noqa: E402
from portal.bookings import selectors, services  # noqa: E402
from portal.bookings.models import Booking, Resource, Slot  # noqa: E402

RESOURCES = int(os.environ.get("BENCH_RESOURCES", "120"))
DAYS = int(os.environ.get("BENCH_DAYS", "90"))
FILL = float(os.environ.get("BENCH_FILL", "0.6"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "20"))
POPULAR = int(os.environ.get("BENCH_POPULAR", "30"))
POPULAR_CAPACITY = 3
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))
SLOTS_PER_DAY = 12  # 08:00-14:00 in half hours
BATCH = 5000


def build_world():
    region = Region.objects.create(name="Bench-region", slug="bench-region")
    area = HealthCouncilArea.objects.create(name="Bench-område", slug="bench-omraade", region=region)
    hospital = Organisation.objects.create(kind="hospital", name="Benchhospital", health_council_area=area)
    specialties = list(Specialty.objects.order_by("pk")[:20])
    departments = Organisation.objects.bulk_create(
        Organisation(kind="department", name=f"Bench {s.name}", parent=hospital, specialty=s)
        for s in specialties
    )
    practices = Organisation.objects.bulk_create(
        Organisation(kind="general_practice", name=f"Benchpraksis {i}", yder_number=f"{500000 + i}",
                     health_council_area=area)
        for i in range(CLIENTS)
    )  # fmt: skip
    gps = User.objects.bulk_create(
        User(email=f"bookgp{i}@bench.test", first_name="Læge", last_name=str(i)) for i in range(CLIENTS)
    )
    Membership.objects.bulk_create(
        Membership(user=u, organisation=p, role=Role.GP) for u, p in zip(gps, practices, strict=True)
    )
    kinds = list(Resource.Kind.values)
    resources = Resource.objects.bulk_create(
        Resource(organisation=departments[i % len(departments)], kind=kinds[i % len(kinds)],
                 name=f"Ressource {i}")
        for i in range(RESOURCES)
    )  # fmt: skip
    rng = random.Random(12)  # noqa: S311 - test data, not secrets
    start = timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0) + timedelta(days=1)
    made = 0
    for resource in resources:
        slots = [
            Slot(
                resource=resource,
                starts_at=start + timedelta(days=d, minutes=30 * k),
                ends_at=start + timedelta(days=d, minutes=30 * (k + 1)),
                capacity=1,
            )
            for d in range(DAYS)
            if (start + timedelta(days=d)).weekday() < 5
            for k in range(SLOTS_PER_DAY)
        ]
        with transaction.atomic():
            Slot.objects.bulk_create(slots, batch_size=BATCH)
            Booking.objects.bulk_create(
                (
                    Booking(slot=s, seat=1, booked_by=gps[i % CLIENTS], organisation=practices[i % CLIENTS])
                    for i, s in enumerate(slots)
                    if rng.random() < FILL
                ),
                batch_size=BATCH,
            )
        made += len(slots)
        print(f"  {made:,} slots", end="\r", flush=True)
    print()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def popular_slots() -> list[Slot]:
    """Fresh popular slots for this run, at times no earlier run used."""
    resource = Resource.objects.order_by("pk").first()
    offset = timedelta(days=400, minutes=30 * random.randrange(10**4))  # noqa: S311
    base = timezone.now().replace(second=0, microsecond=0) + offset
    return Slot.objects.bulk_create(
        Slot(
            resource=resource,
            starts_at=base + timedelta(minutes=30 * i),
            ends_at=base + timedelta(minutes=30 * (i + 1)),
            capacity=POPULAR_CAPACITY,
        )
        for i in range(POPULAR)
    )


def race(slots, gps, practices):
    """Every client tries every popular slot in its own random order until all are full."""
    barrier = threading.Barrier(CLIENTS)
    outcomes = [Counter() for _ in range(CLIENTS)]

    def client(i):
        rng = random.Random(i)  # noqa: S311
        order = slots[:]
        rng.shuffle(order)
        try:
            barrier.wait()
            for slot in order:
                try:
                    if i % 2:
                        hold = services.hold_place(slot=slot, user=gps[i], organisation=practices[i])
                        services.hold_confirm(hold=hold, user=gps[i])
                    else:
                        services.booking_create(slot=slot, user=gps[i], organisation=practices[i])
                    outcomes[i]["booked"] += 1
                except ValidationError:
                    outcomes[i]["full"] += 1
        except Exception as error:  # noqa: BLE001 - counted and reported: a 500 in real life
            outcomes[i][f"error: {type(error).__name__}: {error}"] += 1
        finally:
            connections.close_all()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    begin = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(outcomes, Counter()), time.perf_counter() - begin


def overbooked_slots() -> int:
    """Slots anywhere in the table with more active bookings than seats: must be 0."""
    return (
        Slot.objects.annotate(active=Count("bookings", filter=Q(bookings__status="booked")))
        .filter(active__gt=F("capacity"))
        .count()
    )


def measure(call):
    call()
    timings = []
    for _ in range(ROUNDS):
        begin = time.perf_counter()
        call()
        timings.append((time.perf_counter() - begin) * 1000)
    with CaptureQueriesContext(connection) as queries:
        call()
    timings.sort()
    return statistics.median(timings), timings[max(int(len(timings) * 0.95) - 1, 0)], len(queries)


def client_for(user):
    device = TOTPDevice.objects.create(user=user, name="Bench", confirmed=True)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def main():
    call_command("migrate", verbosity=0)
    if Resource.objects.filter(name="Ressource 0").exists():
        TOTPDevice.objects.filter(name="Bench").delete()
        print(f"{Slot.objects.count():,} slots on {connection.vendor}, reused")
    else:
        begin = time.perf_counter()
        build_world()
        print(
            f"{Resource.objects.count():,} resources, {Slot.objects.count():,} slots, "
            f"{Booking.objects.count():,} bookings on {connection.vendor} "
            f"built in {time.perf_counter() - begin:.0f} s"
        )
    gps = list(User.objects.filter(email__startswith="bookgp").order_by("pk")[:CLIENTS])
    practices = [gp.memberships.get().organisation for gp in gps]
    slots = popular_slots()
    outcomes, seconds = race(slots, gps, practices)
    booked = Booking.objects.filter(slot__in=slots, status="booked").count()
    errors = {k: v for k, v in outcomes.items() if k.startswith("error")}
    print(
        f"{CLIENTS} clients x {POPULAR} popular slots of {POPULAR_CAPACITY} seats: "
        f"{outcomes['booked']} booked, {outcomes['full']} refused as full, {len(errors)} errors "
        f"in {seconds:.2f} s = {outcomes['booked'] / seconds:.0f} bookings/s, "
        f"{(outcomes['booked'] + outcomes['full']) / seconds:.0f} attempts/s"
    )
    overbooked = overbooked_slots()
    print(f"seats booked on the popular slots: {booked} of {POPULAR * POPULAR_CAPACITY}; "
          f"slots with more bookings than seats in the whole table: {overbooked}")  # fmt: skip
    assert not errors, errors
    assert booked == outcomes["booked"] == POPULAR * POPULAR_CAPACITY, (booked, outcomes)
    assert overbooked == 0

    department = Resource.objects.order_by("pk").first().organisation
    now = timezone.now()
    print(f"{'look-up':58} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for label, call in (
        ("free_slots(kind, 14 days, all owners)",
         lambda: selectors.free_slots(kind="investigation", starts_before=now + timedelta(days=14))),
        ("free_slots(kind, 14 days, one department)",
         lambda: selectors.free_slots(kind="subacute_outpatient", organisation=department,
                                      starts_before=now + timedelta(days=14))),
        ("free_slots(72 hours, all kinds)",
         lambda: selectors.free_slots(starts_before=now + timedelta(hours=72))),
    ):  # fmt: skip
        p50, p95, queries = measure(call)
        print(f"{label:58} {p50:8.1f} {p95:8.1f} {queries:8d}")
    client = client_for(gps[0])
    for path in ("/tider/ledige/?type=investigation", "/tider/"):
        p50, p95, queries = measure(lambda path=path: client.get(path))
        assert client.get(path).status_code == 200
        print(f"{'GET ' + path:58} {p50:8.1f} {p95:8.1f} {queries:8d}")


if __name__ == "__main__":
    main()

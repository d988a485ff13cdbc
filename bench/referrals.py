"""Referral benchmark: the GP overview and the department worklist at 500,000 referrals.

Builds a country's worth of referrals over 5 years: 21 health council areas, each with a
hospital of 20 departments, a subacute cross-disciplinary clinic and a central visitation,
and BENCH_REFERRALS / 1,000 practices (so a practice has about 1,000 referrals over the 5
years). Referrals older than two months are mostly decided (accepted, some returned after a
dialogue), a few are forgotten open; the last two months hold every state. Each referral has
its events and responsibility periods; half of the accepted ones were handed over to the
department, and recent ones have open handover proposals. One department, the busiest in
the country, receives BENCH_BUSY_SHARE of all referrals (25,000 at the default scale): its
worklist is the heaviest there is. Patients come from a pool of BENCH_PATIENTS (CPR
encryption is the slow part of creating one), reused across referrals.

Then it measures through Django's test client, logged in with a verified second factor,
p50/p95 of /henvisninger/ (the GP overview) and /henvisninger/afdeling/ (the worklist),
first and tenth page of 50 rows, the selector alone beside each page (the rest is the view
and the template), and the queries per request. The goal in issue 12: p95 ≤ 50 ms.

Run with `make bench-referrals` (SQLite in a temporary file) or with DATABASE_URL pointing
at an empty PostgreSQL database (a filled one is reused). BENCH_REFERRALS and BENCH_ROUNDS
scale it down for a quick check.
"""

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
_TMP = tempfile.mkdtemp(prefix="samspil-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_TMP}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from portal.accounts.models import HealthCouncilArea, Membership, Organisation, Region, Specialty, User  # noqa: E402
from portal.accounts.roles import Role  # noqa: E402
from portal.patients.crypto import blind_index, encrypt_cpr  # noqa: E402
from portal.patients.models import PatientReference  # noqa: E402
from portal.referrals import selectors  # noqa: E402
from portal.referrals.models import (  # noqa: E402
    AreaVisitation,
    Referral,
    ReferralEvent,
    ResponsibilityHandover,
    ResponsibilityPeriod,
    SymptomPackage,
)
from portal.referrals.views import PAGE_SIZE  # noqa: E402

REFERRALS = int(os.environ.get("BENCH_REFERRALS", "500000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))
PATIENTS = int(os.environ.get("BENCH_PATIENTS", "20000"))
BUSY_SHARE = float(os.environ.get("BENCH_BUSY_SHARE", "0.05"))
YEARS = 5
AREAS = 21  # the Danish health council areas
SPECIALTIES = 20
PRACTICES = max(REFERRALS // 1000, AREAS)
BATCH = 5000
MARK = "Bench-henvisning"  # in clinical_text: how a filled database is recognised

S = Referral.State
K = ReferralEvent.Kind
URGENCY_DAYS = {"subacute": 1, "urgent": 3, "routine": 5}  # calendar days for the working days
# The last two months: every state. Before that: decided, save the few forgotten open ones.
RECENT_STATES = [
    (S.RECEIVED, 0.22),
    (S.REROUTED, 0.05),
    (S.DIALOGUE, 0.08),
    (S.PREVISITATION, 0.05),
    (S.VETO, 0.01),
    (S.RETURNED, 0.04),
    (S.ACCEPTED, 0.55),
]
OLD_STATES = [
    (S.RECEIVED, 0.001),
    (S.DIALOGUE, 0.002),
    (S.PREVISITATION, 0.001),
    (S.RETURNED, 0.04),
    (S.ACCEPTED, 0.956),
]


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
    # Per area: the specialties' departments, then the clinic, then the central visitation.
    departments = Organisation.objects.bulk_create(
        [
            Organisation(kind="department", name=f"{s.name} {h.name}", parent=h, specialty=s)
            for h in hospitals
            for s in specialties
        ]
        + [
            Organisation(kind="department", name=f"{label} {h.name}", parent=h, specialty=specialties[0])
            for h in hospitals
            for label in ("Tværfagligt ambulatorium", "Central visitation")
        ]
    )
    n_spec = AREAS * SPECIALTIES
    by_area = [
        departments[a * SPECIALTIES : (a + 1) * SPECIALTIES]
        + [departments[n_spec + 2 * a], departments[n_spec + 2 * a + 1]]
        for a in range(AREAS)
    ]
    AreaVisitation.objects.bulk_create(
        AreaVisitation(
            health_council_area=area,
            acute_admission_phone="70 11 31 31",
            subacute_admission_phone="70 11 31 32",
            subacute_outpatient_phone="70 11 31 33",
            psychiatry_acute_phone="70 11 31 34",
            psychiatry_subacute_phone="70 11 31 35",
            central_visitation=by_area[a][-1],
        )
        for a, area in enumerate(areas)
    )
    packages = SymptomPackage.objects.bulk_create(
        SymptomPackage(name=f"Bench-pakke {a}", clinic=by_area[a][-2], checklist="Spirometri\nEKG")
        for a in range(AREAS)
    )
    practices = Organisation.objects.bulk_create(
        Organisation(kind="general_practice", name=f"Lægehus {i}", yder_number=f"{600000 + i}",
                     health_council_area=areas[i % AREAS])
        for i in range(PRACTICES)
    )  # fmt: skip
    gps = User.objects.bulk_create(
        User(email=f"rgp{i}@bench.test", first_name="Læge", last_name=str(i)) for i in range(PRACTICES)
    )
    specialists = User.objects.bulk_create(
        User(email=f"rspec{i}@bench.test", first_name="Speciallæge", last_name=str(i))
        for i in range(len(departments))
    )
    Membership.objects.bulk_create(
        [Membership(user=u, organisation=o, role=Role.GP) for u, o in zip(gps, practices, strict=True)]
        + [
            Membership(user=u, organisation=o, role=Role.HOSPITAL_SPECIALIST)
            for u, o in zip(specialists, departments, strict=True)
        ],
        batch_size=BATCH,
    )
    return by_area, packages, practices, gps, {d.pk: s for d, s in zip(departments, specialists, strict=True)}


def build_patients() -> list[int]:
    """A pool of patients with distinct, well-formed CPR numbers (birth dates 1930-1999)."""
    made = []
    for start in range(0, PATIENTS, BATCH):
        patients = []
        for n in range(start, min(start + BATCH, PATIENTS)):
            day, month, year, serial = 1 + n % 28, 1 + (n // 28) % 12, 30 + (n // 336) % 70, n // 23520
            cpr = f"{day:02d}{month:02d}{year:02d}{serial:04d}"
            patients.append(PatientReference(cpr_encrypted=encrypt_cpr(cpr), cpr_index=blind_index(cpr)))
        made += [p.pk for p in PatientReference.objects.bulk_create(patients)]
    return made


def _pick(rng, weighted):
    roll = rng.random()
    for value, weight in weighted:
        roll -= weight
        if roll < 0:
            return value
    return weighted[-1][0]


def build_referrals(by_area, packages, practices, gps, specialist_of, patient_ids, *, now):
    rng = random.Random(12)  # noqa: S311 - reproducible test data, not secrets
    span = 60 * 24 * 365 * YEARS
    busiest = by_area[0][0]
    # Departments within an area are not equally busy: the first specialties take most.
    weights = [1 / (k + 1) for k in range(SPECIALTIES)]
    made = 0
    while made < REFERRALS:
        n = min(BATCH, REFERRALS - made)
        referrals, plans = [], []
        for _ in range(n):
            p = rng.randrange(PRACTICES)
            a = p % AREAS
            practice, gp = practices[p], gps[p]
            created = now - timedelta(minutes=rng.randrange(span))
            age = now - created
            state = _pick(rng, RECENT_STATES if age < timedelta(days=60) else OLD_STATES)
            urgency = _pick(rng, [("subacute", 0.15), ("urgent", 0.25), ("routine", 0.6)])
            roll = rng.random()
            fields = {"basis": "diagnosis", "diagnosis_code": "J44.1", "diagnosis_text": "KOL"}
            if roll < BUSY_SHARE:
                kind, destination = "department", busiest
            elif roll < BUSY_SHARE + 0.1:
                kind, destination = "subacute_clinic", by_area[a][-2]
                fields = {"basis": "package", "symptom_package": packages[a], "checklist_ticked": ["EKG"]}
            elif roll < BUSY_SHARE + 0.2:
                kind, destination = "central_visitation", by_area[a][-1]
            else:
                kind, destination = "department", rng.choices(by_area[a][:SPECIALTIES], weights)[0]
            first = destination
            if state == S.REROUTED or (state == S.ACCEPTED and rng.random() < 0.1):
                # From the central visitation to the department, or from a wrong department.
                central = by_area[a][-1]
                first = central if destination != central else by_area[a][rng.randrange(SPECIALTIES)]
            # The steps after the referral, minutes apart in hours and days.
            t = created
            steps = [(K.REFERRED, t, practice, first)]
            if first != destination:
                t += timedelta(hours=rng.randrange(2, 48))
                steps.append((K.REROUTED, t, first, destination))
            due = t + timedelta(days=URGENCY_DAYS[urgency])
            extra = {}
            if state in (S.DIALOGUE, S.RETURNED):
                t += timedelta(hours=rng.randrange(1, 48))
                steps.append((K.DIALOGUE, t, destination, None))
            if state == S.PREVISITATION:
                t += timedelta(hours=rng.randrange(1, 24))
                steps.append((K.PREVISITATION, t, destination, None))
            if state == S.VETO:
                t += timedelta(hours=rng.randrange(1, 24))
                steps.append((K.VETO, t, practice, destination))
                extra |= {"vetoed_at": t}
                due = t
            if state == S.RETURNED:
                t += timedelta(days=rng.randrange(1, 5))
                steps.append((K.RETURNED, t, destination, practice))
                extra |= {"decided_at": t}
            if state == S.ACCEPTED:
                t += timedelta(hours=rng.randrange(1, 72))
                start = t + timedelta(days=rng.randrange(1, 40))
                steps.append((K.ACCEPTED, t, destination, None))
                extra |= {"decided_at": t, "appointment_start": start}
            responsible, handover = practice, None
            if state == S.ACCEPTED and rng.random() < 0.5:
                t += timedelta(hours=rng.randrange(1, 48))
                if t > now - timedelta(days=3) and rng.random() < 0.5:
                    handover = ("open", t)  # proposed by the GP, not yet acknowledged
                    steps.append((K.HANDOVER_PROPOSED, t, practice, destination))
                else:
                    handover = ("done", t)
                    steps.append((K.HANDOVER_PROPOSED, t, practice, destination))
                    steps.append((K.HANDOVER_ACKNOWLEDGED, t + timedelta(hours=2), destination, None))
                    responsible = destination
                    t += timedelta(hours=2)
            t = min(t, now)
            referrals.append(
                Referral(
                    patient_id=patient_ids[rng.randrange(len(patient_ids))],
                    practice=practice,
                    author=gp,
                    clinical_text=f"{MARK}: tiltagende åndenød gennem 3 måneder.",
                    urgency=urgency,
                    destination_kind=kind,
                    destination=destination,
                    state=state,
                    responsible_organisation=responsible,
                    created_at=created,
                    last_step_at=t,
                    decision_due_at=due,
                    **fields,
                    **extra,
                )
            )
            plans.append((steps, handover, gp))
        with transaction.atomic():
            Referral.objects.bulk_create(referrals, batch_size=1000)
            events, periods, handovers = [], [], []
            for referral, (steps, handover, gp) in zip(referrals, plans, strict=True):
                for kind, at, org, to in steps:
                    actor = gp if org == referral.practice else specialist_of[org.pk]
                    events.append(
                        ReferralEvent(
                            referral=referral,
                            kind=kind,
                            at=min(at, referral.last_step_at),
                            actor=actor,
                            actor_name=f"{actor.first_name} {actor.last_name}",
                            organisation=org,
                            to_organisation=to,
                        )
                    )
                if handover and handover[0] == "done":
                    periods.append(
                        ResponsibilityPeriod(
                            referral=referral,
                            organisation=referral.practice,
                            started_at=referral.created_at,
                            ended_at=referral.last_step_at,
                        )
                    )
                    periods.append(
                        ResponsibilityPeriod(
                            referral=referral,
                            organisation=referral.destination,
                            started_at=referral.last_step_at,
                        )
                    )
                else:
                    periods.append(
                        ResponsibilityPeriod(
                            referral=referral, organisation=referral.practice, started_at=referral.created_at
                        )
                    )
                if handover:
                    handovers.append(
                        ResponsibilityHandover(
                            referral=referral,
                            from_organisation=referral.practice,
                            to_organisation=referral.destination,
                            proposed_by=gp,
                            proposed_at=handover[1],
                            acknowledged_by=specialist_of[referral.destination_id]
                            if handover[0] == "done"
                            else None,
                            acknowledged_at=referral.last_step_at if handover[0] == "done" else None,
                        )
                    )
            ReferralEvent.objects.bulk_create(events, batch_size=1000)
            ResponsibilityPeriod.objects.bulk_create(periods, batch_size=1000)
            ResponsibilityHandover.objects.bulk_create(handovers, batch_size=1000)
        made += n
        print(f"  {made:,} referrals", end="\r", flush=True)
    print()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as after any bulk load


def client_for(user):
    device = TOTPDevice.objects.create(user=user, name="Bench", confirmed=True)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _p50_p95(timings):
    timings = sorted(timings)
    return statistics.median(timings), timings[max(int(len(timings) * 0.95) - 1, 0)]


def measure(call):
    """Wall-clock and CPU p50/p95 in ms over ROUNDS calls after a warm-up, and the queries of one call.

    The CPU time is this process's own (Python, templates and, on SQLite, the database): on a
    machine shared with other work it stays near what an idle one would take, while the wall
    clock also counts the waits for a core. PostgreSQL's own time is in neither but the wall clock.
    """
    call()
    wall, cpu = [], []
    for _ in range(ROUNDS):
        begin, begin_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - begin) * 1000)
        cpu.append((time.process_time() - begin_cpu) * 1000)
    with CaptureQueriesContext(connection) as queries:
        call()
    return (*_p50_p95(wall), *_p50_p95(cpu), len(queries))


def get_ok(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response


def main():
    call_command("migrate", verbosity=0)
    if Referral.objects.filter(clinical_text__startswith=MARK).exists():  # a database filled before
        TOTPDevice.objects.filter(name="Bench").delete()
        print(f"{Referral.objects.count():,} referrals on {connection.vendor}, reused")
    else:
        begin = time.perf_counter()
        by_area, packages, practices, gps, specialist_of = build_world()
        patient_ids = build_patients()
        print(f"  {len(patient_ids):,} patients in {time.perf_counter() - begin:.0f} s")
        build_referrals(by_area, packages, practices, gps, specialist_of, patient_ids, now=timezone.now())
        print(
            f"{Referral.objects.count():,} referrals, {ReferralEvent.objects.count():,} events, "
            f"{ResponsibilityPeriod.objects.count():,} responsibility periods, "
            f"{ResponsibilityHandover.objects.count():,} handovers, {len(practices):,} practices "
            f"on {connection.vendor} built in {time.perf_counter() - begin:.0f} s"
        )
    gp = User.objects.get(email="rgp0@bench.test")
    practice = gp.memberships.get().organisation
    busiest = Organisation.objects.get(
        name=f"{Specialty.objects.order_by('pk').first().name} Benchhospital 0"
    )
    specialist = User.objects.get(memberships__organisation=busiest)
    central = Organisation.objects.get(name="Central visitation Benchhospital 0")
    visitator = User.objects.get(memberships__organisation=central)
    in_practice = Referral.objects.filter(practice=practice).count()
    open_in = {
        org.pk: Referral.objects.filter(destination=org, state__in=Referral.OPEN).count()
        for org in (busiest, central)
    }
    print(
        f"GP's practice: {in_practice:,} referrals; busiest department: "
        f"{Referral.objects.filter(destination=busiest).count():,} referrals, {open_in[busiest.pk]} open; "
        f"central visitation: {open_in[central.pk]} open"
    )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'what':70} {'p50 ms':>8} {'p95 ms':>8} {'cpu p50':>8} {'cpu p95':>8} {'queries':>8}")
    for label, user, path, select in (
        ("GP overview", gp, "/henvisninger/", lambda: list(selectors.practice_overview(gp)[:PAGE_SIZE])),
        ("GP overview, page 10", gp, "/henvisninger/?side=10",
         lambda: list(selectors.practice_overview(gp)[9 * PAGE_SIZE : 10 * PAGE_SIZE])),
        ("department worklist (busiest)", specialist, "/henvisninger/afdeling/",
         lambda: list(selectors.worklist(organisation_ids=[busiest.pk])[:PAGE_SIZE])),
        ("department worklist (busiest), page 10", specialist, "/henvisninger/afdeling/?side=10",
         lambda: list(selectors.worklist(organisation_ids=[busiest.pk])[9 * PAGE_SIZE : 10 * PAGE_SIZE])),
        ("central visitation worklist", visitator, "/henvisninger/central-visitation/",
         lambda: list(selectors.worklist(organisation_ids=[central.pk], central=True)[:PAGE_SIZE])),
    ):  # fmt: skip
        client = client_for(user)
        get_ok(client, path)
        for what, call in (
            (f"  selector: {label}", select),
            (f"GET {path} ({label})", lambda client=client, path=path: get_ok(client, path)),
        ):
            figures = measure(call)
            print(
                f"{what:70} " + " ".join(f"{x:8.1f}" for x in figures[:4]) + f" {figures[4]:8d}", flush=True
            )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()

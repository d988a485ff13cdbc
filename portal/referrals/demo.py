"""Demo referrals for `make run`: the symptom packages, the visitation numbers, and referrals in
every state from the demo GP (laege@samspil.test) to the demo department (Geriatri, Aarhus).

Packages, clinic, central visitation and numbers are loaded always (they are no patient data);
referrals only with demo users. Idempotent: a second run finds what the first made. The CPR
number is fictitious.
"""

import uuid
from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from portal.accounts.models import HealthCouncilArea, Organisation, Specialty, User
from portal.accounts.roles import Role
from portal.bookings.models import Resource
from portal.bookings.services import slot_series_create
from portal.correspondence.services import message_send

from . import selectors, services
from .models import AreaVisitation, Referral, SymptomPackage

DEMO_CPR = "0707611006"
_NS = uuid.UUID("a6f0a4f1-64c4-4d0f-9d0c-3c7d4c2b9e11")

PACKAGES = [
    # (name, description, checklist: one item per line)
    (
        "Åndenød",
        "Uafklaret åndenød uden kendt årsag.",
        "Spirometri\nEKG\nHæmoglobin, CRP, NT-proBNP\nRøntgen af thorax, hvis taget",
    ),
    (
        "Uklare symptomer / mistanke om alvorlig sygdom",
        "Diagnostisk pakkeforløb for patienter med uspecifikke symptomer på alvorlig sygdom.",
        "Blodprøvepakke (hæmatologi, lever, nyre, calcium)\nUrinstix\nMedicinliste\nVægtudvikling",
    ),
    (
        "Svimmelhed",
        "Vedvarende svimmelhed, hvor årsagen er uklar.",
        "Blodtryk liggende og stående\nEKG\nMedicinliste",
    ),
    (
        "Vægttab",
        "Uforklaret vægttab over 5 % på 6 måneder.",
        "Vægtudvikling\nBlodprøvepakke\nHæmoccult eller FIT",
    ),
    (
        "Smerter uden kendt årsag",
        "Langvarige smerter, hvor årsagen ikke er fundet.",
        "Smertebeskrivelse\nBlodprøvepakke\nMedicinliste",
    ),
]

NUMBERS = {
    "sundhedsraad-aarhus": ("78 45 00 00", "78 45 00 01", "78 45 00 02", "78 47 00 00", "78 47 00 01"),
    "sundhedsraad-nordjylland": ("97 64 00 00", "97 64 00 01", "97 64 00 02", "97 64 30 00", "97 64 30 01"),
}


CLINIC_SLOTS_DAYS = 14
CLINIC_RESOURCE = "Subakut ambulant tid, tværfagligt ambulatorium"


def _clinic_slots(clinic: Organisation) -> None:
    """The clinic publishes subacute outpatient times, so a GP referring by package books one."""
    resource = Resource.objects.filter(
        organisation=clinic, kind=Resource.Kind.SUBACUTE_OUTPATIENT, name=CLINIC_RESOURCE
    ).first()
    if resource is None:
        resource = Resource(
            organisation=clinic,
            kind=Resource.Kind.SUBACUTE_OUTPATIENT,
            name=CLINIC_RESOURCE,
            location="Tværfagligt ambulatorium, indgang A",
        )
        resource.full_clean()
        resource.save()
    today = timezone.localdate()
    slot_series_create(
        resource=resource,
        created_by=None,
        first_day=today,
        last_day=today + timedelta(days=CLINIC_SLOTS_DAYS),
        day_start=time(8, 0),
        day_end=time(15, 0),
        slot_minutes=60,
    )


def _department(hospital: Organisation, name: str, specialty_slug: str) -> Organisation:
    org = Organisation.objects.filter(parent=hospital, name=name).first()
    if org is None:
        org = Organisation(
            kind=Organisation.Kind.DEPARTMENT,
            name=name,
            parent=hospital,
            specialty=Specialty.objects.get(slug=specialty_slug),
        )
        org.full_clean()
        org.save()
    return org


@transaction.atomic
def demo_packages_load() -> int:
    """The clinic, central visitation and packages at Aarhus, and the numbers of both areas."""
    hospital = Organisation.objects.filter(
        kind=Organisation.Kind.HOSPITAL, name="Aarhus Universitetshospital"
    ).first()
    if hospital is None:
        return 0
    clinic = _department(hospital, "Tværfagligt ambulatorium", "akutmedicin")
    central = _department(hospital, "Central visitation", "akutmedicin")
    _clinic_slots(clinic)
    for name, description, checklist in PACKAGES:
        SymptomPackage.objects.get_or_create(
            name=name, defaults={"clinic": clinic, "description": description, "checklist": checklist}
        )
    for slug, phones in NUMBERS.items():
        area = HealthCouncilArea.objects.filter(slug=slug).first()
        if area is None:
            continue
        AreaVisitation.objects.get_or_create(
            health_council_area=area,
            defaults={
                "acute_admission_phone": phones[0],
                "subacute_admission_phone": phones[1],
                "subacute_outpatient_phone": phones[2],
                "psychiatry_acute_phone": phones[3],
                "psychiatry_subacute_phone": phones[4],
                "opening_hours": "Døgnet rundt",
                "central_visitation": central if slug == "sundhedsraad-aarhus" else None,
            },
        )
    return len(PACKAGES)


def _member_org(user: User, role: str) -> Organisation | None:
    membership = user.memberships.filter(role=role).select_related("organisation").first()
    return membership.organisation if membership else None


@transaction.atomic
def demo_referrals_load() -> int:
    """One referral in every state; nothing new if the demo GP already has referrals."""
    demo_packages_load()
    gp = User.objects.filter(email="laege@samspil.test").first()
    specialist = User.objects.filter(email="speciallaege@samspil.test").first()
    if gp is None or specialist is None:
        return 0
    if Referral.objects.filter(author=gp).exists():
        return Referral.objects.filter(author=gp).count()
    practice = _member_org(gp, Role.GP)
    department = _member_org(specialist, Role.HOSPITAL_SPECIALIST)
    cardiology = Organisation.objects.filter(
        parent=department.parent, specialty__slug="kardiologi", kind=Organisation.Kind.DEPARTMENT
    ).first()
    now = timezone.now()

    def refer(label: str, text: str, code="R26.8", diagnosis="Faldtendens", **fields) -> Referral:
        referral, _ = services.referral_create(
            author=gp,
            practice=practice,
            basis=fields.pop("basis", Referral.Basis.DIAGNOSIS),
            urgency=fields.pop("urgency", Referral.Urgency.ROUTINE),
            clinical_text=text,
            patient_cpr=DEMO_CPR,
            destination=department,
            diagnosis_code=code,
            diagnosis_text=diagnosis,
            client_token=uuid.uuid5(_NS, label),
            now=now - timedelta(days=3),
            **fields,
        )
        return referral

    refer("received", "88-årig med tre fald på en måned. Ønsker geriatrisk udredning.")
    accepted = refer(
        "accepted", "Kognitiv svækkelse, MMSE 22. Udredning ønskes.", code="F03", diagnosis="Demens"
    )
    services.referral_accept(referral=accepted, actor=specialist, appointment_start=now + timedelta(days=6))
    rerouted = refer(
        "rerouted", "Synkope ved anstrengelse, systolisk mislyd.", code="R55", diagnosis="Synkope"
    )
    if cardiology is not None:
        services.referral_reroute(
            referral=rerouted,
            actor=specialist,
            to_department=cardiology,
            reason_code="wrong-specialty",
            reason="Synkope ved anstrengelse og mislyd: mistanke om aortastenose; kardiologi først.",
            alternative="Ekko i Kardiologi inden for 14 dage; derefter ser vi patienten, hvis behov.",
        )
    dialogue = refer(
        "dialogue", "Polyfarmaci, 14 præparater. Medicingennemgang?", code="Z91.1", diagnosis="Polyfarmaci"
    )
    services.referral_dialogue_request(
        referral=dialogue, actor=specialist, message="Kan en konference om medicinen klare det i stedet?"
    )
    previsit = refer("previsitation", "Vægttab og træthed.", code="R63.4", diagnosis="Vægttab")
    services.referral_previsitation_note(
        referral=previsit, actor=specialist, note="Patienten ringet op: blodprøver tages hos egen læge først."
    )
    returned = refer("returned", "Let hukommelsesbesvær.", code="R41.3", diagnosis="Hukommelsesbesvær")
    returned = services.referral_dialogue_request(
        referral=returned, actor=specialist, message="Kan vi aftale opfølgning i praksis med MMSE om 6 mdr.?"
    )
    message_send(thread=returned.dialogue_thread, author=gp, body="Ja, det er fint; jeg følger op.")
    services.referral_return(
        referral=returned,
        actor=specialist,
        reason_code="wrong-level",
        reason="Aftalt i dialogen: opfølgning i almen praksis.",
        advice="Ny MMSE om 6 måneder; henvis igen ved fald under 24.",
    )
    vetoed = refer(
        "veto", "Svær åndenød, SAT 88 %.", code="R06.0", diagnosis="Dyspnø", urgency=Referral.Urgency.SUBACUTE
    )
    services.referral_veto(referral=vetoed, actor=gp, reason="SAT 88 % i hvile; skal ses i FAM i dag.")
    package = SymptomPackage.objects.filter(name="Åndenød").first()
    if package is not None:
        refer(
            "package",
            "Tiltagende åndenød gennem 3 måneder, ikke-ryger.",
            basis=Referral.Basis.PACKAGE,
            urgency=Referral.Urgency.SUBACUTE,
            symptom_package=package,
            checklist_ticked=package.checklist_items[:2],
        )
    if package is not None:
        _booked_package_referral(gp, practice, package)
    handover = refer(
        "handover", "Palliativ patient, ønsker at dø hjemme.", code="C34.9", diagnosis="Lungekræft"
    )
    services.handover_propose(referral=handover, actor=gp, to_organisation=department)
    return Referral.objects.filter(author=gp).count()


def _booked_package_referral(gp: User, practice: Organisation, package: SymptomPackage) -> None:
    """Åndenød to the clinic with the first free subacute time within 72 hours booked with it
    (none free, e.g. over a long holiday: the referral goes without, as in real life)."""
    slots = selectors.subacute_slots(package.clinic)
    services.referral_create(
        author=gp,
        practice=practice,
        basis=Referral.Basis.PACKAGE,
        urgency=Referral.Urgency.SUBACUTE,
        clinical_text="Åndenød ved let anstrengelse gennem 4 uger, NT-proBNP let forhøjet.",
        patient_cpr=DEMO_CPR,
        symptom_package=package,
        checklist_ticked=package.checklist_items,
        client_token=uuid.uuid5(_NS, "package-booked"),
        slot=slots[0] if slots else None,
    )

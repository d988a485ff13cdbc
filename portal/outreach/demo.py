"""Demo outreach directory for the demo areas (Sundhedsråd Aarhus and Nordjylland): their
municipalities and main postcodes, the demo practices' postcodes, eight services with gaps that
the equal-access report shows (Samsø, the Djurs municipalities, Jammerbugt and Rebild lack most),
and, with demo users, one order from the demo GP awaiting the blood-sampling unit.

Idempotent: everything is found again by its code, number or name; the order is made once.
Runs after ``demo_organisations_load`` and ``demo_users_load``.
"""

import uuid

from django.conf import settings
from django.db import transaction

from portal.accounts.models import HealthCouncilArea, Organisation, User

from . import services
from .models import Municipality, OrganisationPostcode, OutreachOrder, OutreachService, Postcode

Kind = OutreachService.Kind
AARHUS, NORTH = "sundhedsraad-aarhus", "sundhedsraad-nordjylland"
AUH, AAUH = "Aarhus Universitetshospital", "Aalborg Universitetshospital"
BLOOD_SAMPLING_AARHUS = "Mobil blodprøvetagning, Aarhus"
_DEMO_ORDER_TOKEN = uuid.UUID("6f1d7c1e-3b1a-4f55-9a7e-0e9b1c2d4a01")

# (code, municipality, area, [(postcode, town)])
MUNICIPALITIES = [
    ("751", "Aarhus", AARHUS, [("8000", "Aarhus C"), ("8200", "Aarhus N"), ("8210", "Aarhus V"),
                               ("8220", "Brabrand"), ("8240", "Risskov"), ("8260", "Viby J"),
                               ("8270", "Højbjerg")]),
    ("746", "Skanderborg", AARHUS, [("8660", "Skanderborg"), ("8680", "Ry")]),
    ("727", "Odder", AARHUS, [("8300", "Odder")]),
    ("741", "Samsø", AARHUS, [("8305", "Samsø")]),
    ("710", "Favrskov", AARHUS, [("8370", "Hadsten"), ("8450", "Hammel")]),
    ("706", "Syddjurs", AARHUS, [("8400", "Ebeltoft"), ("8410", "Rønde")]),
    ("707", "Norddjurs", AARHUS, [("8500", "Grenaa")]),
    ("851", "Aalborg", NORTH, [("9000", "Aalborg"), ("9200", "Aalborg SV"), ("9220", "Aalborg Øst"),
                              ("9400", "Nørresundby")]),
    ("840", "Rebild", NORTH, [("9520", "Skørping")]),
    ("849", "Jammerbugt", NORTH, [("9440", "Aabybro")]),
]  # fmt: skip

ORGANISATION_POSTCODES = [("Lægerne i Trøjborg", None, "8000"), ("Lægehuset Vestergade", None, "9000")]

# (name, kind, owner (name, hospital or None), phone, order form, hours, municipalities, postcodes,
#  who may order: gp, hospital, home care, citizen, description)
SERVICES = [
    (BLOOD_SAMPLING_AARHUS, Kind.BLOOD_SAMPLING, ("Geriatri", AUH), "+45 78 46 00 10", True,
     "Hverdage 7.30–15.00", ["Aarhus"], "8370", (True, True, True, False),
     "Bioanalytikere tager blodprøver i hjemmet hos borgere, der ikke kan komme til praksis eller "
     "hospital. Bestil inden kl. 12 til næste hverdag."),
    ("Akutsygeplejersker, Aarhus og omegn", Kind.ACUTE_NURSE, ("Akutmedicin", AUH), "+45 78 46 00 20", False,
     "Alle dage 8–22", ["Aarhus", "Skanderborg", "Odder", "Favrskov"], "", (True, True, True, False),
     "Akutsygeplejersken kommer ud ved en forværring og tager prøver i hjemmet (CRP, hæmoglobin, "
     "væsketal) og giver svaret til lægen samme dag."),
    ("Indlæggelse i eget hjem, Geriatri", Kind.HOSPITAL_AT_HOME, ("Geriatri", AUH), "+45 78 46 00 30", False,
     "Døgnet rundt", ["Aarhus"], "", (True, True, False, False),
     "Ældre medicinske patienter behandles hjemme med daglige besøg og lægeligt ansvar hos "
     "Geriatrisk Afdeling. Aftales med bagvagten."),
    ("Socialpsykiatrisk akuttilbud, Aarhus", Kind.SOCIAL_PSYCHIATRIC, (AUH, None), "+45 87 13 00 00", False,
     "Døgnet rundt", ["Aarhus"], "", (True, True, True, True),
     "Direkte nummer for borgere i psykisk krise, pårørende og fagfolk. Ingen visitation."),
    ("Flexklinik, Geriatri", Kind.FLEX_CLINIC, ("Geriatri", AUH), "+45 78 46 00 40", False,
     "Hverdage 8–15", ["Aarhus", "Skanderborg", "Odder", "Favrskov", "Syddjurs"], "",
     (True, True, False, False),
     "Hurtig vurdering af skrøbelige ældre samme eller næste dag uden indlæggelse."),
    ("Følg borgeren til lægen", Kind.FOLLOW_TO_DOCTOR, (AUH, None), "+45 87 13 00 50", False,
     "Hverdage 8–16", ["Aarhus"], "", (True, False, True, True),
     "En støtteperson følger sårbare borgere til lægen og hjem igen. Bestilles senest dagen før."),
    ("Mobil blodprøvetagning, Aalborg", Kind.BLOOD_SAMPLING, ("Geriatri", AAUH), "+45 97 66 00 10", False,
     "Hverdage 8–14", ["Aalborg"], "", (True, True, True, False),
     "Blodprøver i hjemmet for borgere, der ikke kan komme ud."),
    ("Socialpsykiatrisk akutberedskab, Aalborg", Kind.SOCIAL_PSYCHIATRIC, ("Psykiatri", AAUH),
     "+45 97 64 00 00", False, "Døgnet rundt", ["Aalborg"], "", (True, True, True, True),
     "Direkte nummer for borgere i psykisk krise og deres pårørende."),
]  # fmt: skip


def _organisation(name: str, hospital: str | None) -> Organisation | None:
    if hospital is None:
        return Organisation.objects.filter(name=name, parent__isnull=True).first()
    return Organisation.objects.filter(name=name, parent__name=hospital).first()


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def demo_outreach_load() -> int:
    """The geography and the directory; returns the number of services in it."""
    areas = {a.slug: a for a in HealthCouncilArea.objects.filter(slug__in=[AARHUS, NORTH])}
    municipalities = {}
    for code, name, area_slug, postcodes in MUNICIPALITIES:
        if area_slug not in areas:
            continue
        municipality = Municipality.objects.filter(code=code).first() or _save(
            Municipality(code=code, name=name, health_council_area=areas[area_slug])
        )
        municipalities[name] = municipality
        for number, town in postcodes:
            if not Postcode.objects.filter(number=number).exists():
                _save(Postcode(number=number, name=town, municipality=municipality))
    for org_name, hospital, number in ORGANISATION_POSTCODES:
        organisation = _organisation(org_name, hospital)
        postcode = Postcode.objects.filter(number=number).first()
        if (
            organisation
            and postcode
            and not OrganisationPostcode.objects.filter(organisation=organisation).exists()
        ):
            _save(OrganisationPostcode(organisation=organisation, postcode=postcode))
    for name, kind, (owner_name, hospital), phone, order_form, hours, names, postcodes, who, text in SERVICES:
        owner = _organisation(owner_name, hospital)
        if owner is None or OutreachService.objects.filter(name=name).exists():
            continue
        gp, in_hospital, home_care, citizen = who
        service = _save(
            OutreachService(
                kind=kind,
                name=name,
                owner=owner,
                phone=phone,
                order_form=order_form,
                hours=hours,
                postcodes=postcodes,
                description=text,
                orderable_by_gp=gp,
                orderable_by_hospital=in_hospital,
                orderable_by_home_care=home_care,
                orderable_by_citizen=citizen,
            )
        )
        service.municipalities.set([municipalities[n] for n in names if n in municipalities])
    if getattr(settings, "SAMSPIL_CREATE_DEMO_USERS", False):
        _demo_order()
    return OutreachService.objects.filter(active=True).count()


def _demo_order() -> None:
    """The demo GP has ordered a home sample; the geriatric department's staff have it waiting."""
    gp = User.objects.filter(email="laege@samspil.test").first()
    practice = _organisation("Lægerne i Trøjborg", None)
    service = OutreachService.objects.filter(name=BLOOD_SAMPLING_AARHUS).first()
    if (
        not (gp and practice and service)
        or OutreachOrder.objects.filter(client_token=_DEMO_ORDER_TOKEN).exists()
    ):
        return
    services.outreach_order_create(
        orderer=gp,
        organisation=practice,
        service=service,
        postcode="8200",
        request_text="Hjemmeprøve i morgen formiddag: hæmoglobin, CRP, natrium, kalium og kreatinin.",
        callback_phone="+45 86 12 34 56",
        client_token=_DEMO_ORDER_TOKEN,
    )

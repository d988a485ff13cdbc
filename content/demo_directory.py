"""The demo collaboration directory: practice consultants in both demo areas, KAP-enheden Midt's
board and the consultants at the two university hospitals (used by ``load_demo_content``).

The people are fictitious; the demo practice consultant's user is linked where it exists, so the
page shows her own name, phone and e-mail. Safe to run again: an existing page is left as the
editors keep it.
"""

from django.db import transaction

from portal.accounts.models import Organisation, User

from .models import (
    CollaborationDirectoryPage,
    HomePage,
    HospitalConsultant,
    KapBoardMember,
    PracticeConsultant,
)

SLUG = "praksiskonsulenter"
AUH = "Aarhus Universitetshospital"
AAUH = "Aalborg Universitetshospital"
DEMO_PKO_EMAIL = "pko@samspil.test"

# (hospital, department, name, phone, note); None as name: the demo practice consultant's user.
CONSULTANTS = [
    (AUH, "Geriatri", None, "", "Mandage og torsdage"),
    (AUH, "Kardiologi", "Anders Krogh", "+45 78 45 00 10", "Tirsdage i lige uger"),
    (AUH, "Lungesygdomme", "Sofie Thorsen", "+45 78 45 00 11", ""),
    (AAUH, "Urologi", "Mette Skov", "+45 97 66 00 20", ""),
    (AAUH, "Psykiatri", "Jens Bach", "+45 97 66 00 21", "Onsdage"),
]
# (represents, name, organisation)
BOARD = [
    (KapBoardMember.Represents.REGION, "Karen Vinther", None),
    (KapBoardMember.Represents.MUNICIPALITY, "Lars Holt", None),
    (KapBoardMember.Represents.HOSPITAL, "Susanne Friis", AUH),
    (KapBoardMember.Represents.PLO, "Niels Dam", None),
    (KapBoardMember.Represents.DSAM, "Eva Kjær", None),
    (KapBoardMember.Represents.PRACTICE_CONSULTANT, None, None),
]
# (hospital, responsibility, name)
HOSPITAL_CONSULTANTS = [
    (AUH, HospitalConsultant.PRACTICE, None),
    (AUH, HospitalConsultant.TRAINING, "Thomas Ravn"),
    (AAUH, HospitalConsultant.PRACTICE, "Mette Skov"),
    (AAUH, HospitalConsultant.TRAINING, "Ida Bro"),
]
DEMO_PKO_NAME = "Birgitte Lund"


def _person(user, name):
    """The demo consultant's user when there is one, else her (or the given) name written out."""
    if name is None:
        return {"user": user} if user else {"name": DEMO_PKO_NAME}
    return {"name": name}


@transaction.atomic
def demo_directory_load() -> int:
    """The directory page, created if missing; returns the number of people it lists."""
    home = HomePage.objects.first()
    if home is None:
        return 0
    page = CollaborationDirectoryPage.objects.child_of(home).filter(slug=SLUG).first()
    if page is None:
        page = _directory(home)
    return page.consultants.count() + page.board_members.count() + page.hospital_consultants.count()


def _directory(home) -> CollaborationDirectoryPage:
    user = User.objects.filter(email=DEMO_PKO_EMAIL).first()
    hospitals = {o.name: o for o in Organisation.objects.filter(kind=Organisation.Kind.HOSPITAL)}
    departments = {
        (d.parent.name, d.name): d
        for d in Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT).select_related("parent")
    }
    page = CollaborationDirectoryPage(
        title="Praksiskonsulenter",
        slug=SLUG,
        intro=(
            "Praksiskonsulenterne er praktiserende læger, der en del af ugen arbejder på en "
            "sygehusafdeling for at styrke samarbejdet med almen praksis. Her finder du dem pr. "
            "område og afdeling, KAP-enheden og dens bestyrelse, og de praksis- og "
            "uddannelsesansvarlige konsulenter på hvert sygehus."
        ),
        kap_unit=Organisation.objects.filter(
            kind=Organisation.Kind.KAP_UNIT, name="KAP-enheden Midt"
        ).first(),
    )
    page.consultants = [
        PracticeConsultant(
            department=departments[(hospital, department)], phone=phone, note=note, **_person(user, name)
        )
        for hospital, department, name, phone, note in CONSULTANTS
        if (hospital, department) in departments
    ]
    page.board_members = [
        KapBoardMember(represents=represents, organisation=hospitals.get(org), **_person(user, name))
        for represents, name, org in BOARD
    ]
    page.hospital_consultants = [
        HospitalConsultant(hospital=hospitals[hospital], responsibility=responsibility, **_person(user, name))
        for hospital, responsibility, name in HOSPITAL_CONSULTANTS
        if hospital in hospitals
    ]
    home.add_child(instance=page)
    page.save_revision().publish()
    return page

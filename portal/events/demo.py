"""Demo meetings: a meetings page with a coming after-work meeting (the demo GP registered) and
a past one with its minutes, organised by the demo practice consultant. Safe to run again."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from content.models import EventIndexPage, EventPage, HomePage
from portal.accounts.models import User

from .models import Registration

AGENDA_COMING = [
    (
        "16.00",
        "Når patienten kommer hjem: hvad praksis ser de første 14 dage",
        "almen-praksis",
        "Praktiserende læge",
    ),
    (
        "16.30",
        "Udskrivelsen set fra afdelingen: hvad vi når, og hvad vi ikke når",
        "sygehus",
        "Overlæge, geriatri",
    ),
    ("17.00", "Fælles case: 84-årig med hjertesvigt og ny diuretika", "begge", ""),
    ("17.45", "Hvad ændrer vi fra i morgen?", "begge", ""),
]
AGENDA_PAST = [
    ("16.00", "D-vitaminmålinger i praksis: hvor mange, hvorfor", "almen-praksis", "Praksiskonsulent"),
    ("16.30", "Hvad laboratoriet ser, og hvad det koster", "sygehus", "Klinisk biokemiker"),
    ("17.00", "Tænk klogt: hvornår giver målingen en behandlingskonsekvens?", "begge", ""),
]
MINUTES_PAST = (
    "Mødet var enigt om, at rutinemæssig måling af D-vitamin hos raske voksne sjældent ændrer "
    "behandlingen. Praksiskonsulenten udarbejder et udkast til en tænk klogt-gennemgang."
)


def _agenda(items) -> list:
    from datetime import time

    return [
        (
            "item",
            {
                "time": time.fromisoformat(at.replace(".", ":")),
                "title": title,
                "sector": sector,
                "presenter": presenter,
                "description": "",
            },
        )
        for at, title, sector, presenter in items
    ]


def _at(days: int, hour: int):
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, hour, 0))


def _event(index, *, slug, **fields) -> EventPage:
    event = EventPage.objects.child_of(index).filter(slug=slug).first()
    if event is None:
        event = index.add_child(instance=EventPage(slug=slug, **fields))
        event.save_revision().publish()
    return event


@transaction.atomic
def demo_events_load() -> int:
    home = HomePage.objects.first()
    if home is None:
        return 0
    index = EventIndexPage.objects.first()
    if index is None:
        index = home.add_child(
            instance=EventIndexPage(
                title="Møder",
                slug="moeder",
                intro="Fyraftensmøder, fælles casekonferencer og tænk klogt-gennemgange med en dagsorden "
                "for begge sektorer.",
            )
        )
        index.save_revision().publish()
    coming = _event(
        index,
        slug="fyraftensmoede-den-aeldre-patient-efter-udskrivelse",
        title="Fyraftensmøde: den ældre medicinske patient efter udskrivelse",
        kind=EventPage.Kind.AFTER_WORK,
        intro="Praksis og geriatrien gennemgår forløbet fra udskrivelse til første uge hjemme.",
        starts_at=_at(21, 16),
        ends_at=_at(21, 18),
        location="Auditorium A, Aarhus Universitetshospital",
        seats=40,
        agenda=_agenda(AGENDA_COMING),
    )
    past = _event(
        index,
        slug="fyraftensmoede-d-vitamin",
        title="Fyraftensmøde: D-vitamin – måler vi for meget?",
        kind=EventPage.Kind.THINK_SMART,
        intro="En tænk klogt-gennemgang af D-vitaminmålinger hos voksne uden symptomer.",
        starts_at=_at(-14, 16),
        ends_at=_at(-14, 18),
        location="KAP-enheden Midt, mødelokale 2",
        seats=30,
        agenda=_agenda(AGENDA_PAST),
        minutes=[("markdown", MINUTES_PAST)],
    )
    organisers = list(User.objects.filter(email__in=["pko@samspil.test", "redaktoer@samspil.test"]))
    for event in (coming, past):
        if organisers and not event.organisers.exists():
            event.organisers.set(organisers)
            event.save_revision().publish()
    gp = User.objects.filter(email="laege@samspil.test").first()
    if gp is not None:
        Registration.objects.get_or_create(
            event=coming,
            user=gp,
            defaults={"status": Registration.Status.REGISTERED, "registered_at": timezone.now()},
        )
    return EventPage.objects.live().count()

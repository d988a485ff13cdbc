"""Meetings built as editors make them: a meetings index under the home page, pages under it."""

from datetime import timedelta

import factory
import wagtail_factories
from django.utils import timezone

from content.models import EventIndexPage, EventPage
from tests.content.factories import home


def meetings_index() -> EventIndexPage:
    found = EventIndexPage.objects.first()
    if found is not None:
        return found
    index = EventIndexPage(title="Møder", slug="moeder")
    home().add_child(instance=index)
    return index


def agenda(*sectors: str) -> list:
    return [
        ("item", {"title": f"Punkt {i}", "sector": sector, "presenter": "", "description": "", "time": None})
        for i, sector in enumerate(sectors or ("almen-praksis", "sygehus", "begge"))
    ]


class EventPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = EventPage

    title = factory.Sequence(lambda n: f"Fyraftensmøde om KOL {n}")
    parent = factory.LazyFunction(meetings_index)
    intro = "Patientens forløb mellem praksis og sygehus."
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    location = "Auditoriet, Regionshospitalet"
    agenda = factory.LazyFunction(agenda)

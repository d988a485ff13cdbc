"""python manage.py load_demo_content

Fills a believable Danish site: the home page, five sections, the Markdown
files in ``content/demo/`` (guidelines, cases, FAQs, audit kits, tænk klogt
reviews), the collaboration directory (practice consultants, the KAP unit's board), demo
organisations in two health council areas and, with development
settings only, one demo user per role. Safe to run again: it updates, never
duplicates.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from content.demo_directory import demo_directory_load
from content.demo_information import PAGES as INFORMATION_PAGES
from content.services import information_page_ensure, section_ensure, site_home_ensure
from portal.accounts.demo import DEMO_PASSWORD, demo_organisations_load, demo_users_load
from portal.auditrounds.demo import demo_audit_rounds_load
from portal.bookings.demo import demo_bookings_load
from portal.conferences.demo import demo_conferences_load
from portal.correspondence.demo import demo_correspondence_load
from portal.events.demo import demo_events_load
from portal.outreach.demo import demo_outreach_load
from portal.quality.demo import demo_quality_load
from portal.referrals.demo import demo_packages_load, demo_referrals_load
from portal.referrals.diagnostics_demo import demo_diagnostics_load
from portal.stays.demo import demo_stays_load
from portal.support.demo import demo_support_load

DEMO_FOLDER = Path(__file__).resolve().parents[2] / "demo"

SECTIONS = [
    ("retningslinjer", "Retningslinjer",
     "Kliniske retningslinjer med en variant for almen praksis og en for sygehus, side om side."),
    ("gode-eksempler", "Gode eksempler",
     "Forløb på tværs af sektorerne, der lykkedes, og hvad vi lærte af dem."),
    ("spoergsmaal-og-svar", "Spørgsmål og svar",
     "Svar på det, læger i begge sektorer oftest spørger om."),
    ("audit", "Audit", "Auditmateriale til kvalitetsklynger og afdelinger: formål, indikatorer og skemaer."),
    ("taenk-klogt", "Tænk klogt", "Fælles gennemgange af det, vi allerede gør, og hvad vi bør ændre."),
]  # fmt: skip

HOME_INTRO = (
    "Samspil flytter viden mellem almen praksis og sygehus i stedet for at flytte patienter. "
    "Her finder du fælles retningslinjer, gode eksempler, spørgsmål og svar, auditmateriale og "
    "tænk klogt-gennemgange."
)


class Command(BaseCommand):
    help = "Load (or refresh) the demo site: pages, organisations and, in development, demo users."

    def handle(self, *args, **options):
        home = site_home_ensure(title="Samspil", intro=HOME_INTRO)
        for slug, title, intro in SECTIONS:
            section_ensure(home=home, slug=slug, title=title, intro=intro)
        for slug, title, markdown in INFORMATION_PAGES:
            information_page_ensure(home=home, slug=slug, title=title, markdown=markdown)
        call_command("import_markdown", str(DEMO_FOLDER), publish=True, no_progress=True, stdout=self.stdout)
        orgs = demo_organisations_load()
        self.stdout.write(f"Organisationer: {len(orgs)}")
        if getattr(settings, "SAMSPIL_CREATE_DEMO_USERS", False):
            users = demo_users_load(orgs)
            self.stdout.write(f"Demobrugere: {len(users)} (adgangskode: {DEMO_PASSWORD})")
            self.stdout.write(f"Demokorrespondance: {demo_correspondence_load()} tråde")
            self.stdout.write(f"Demokonferencer: {demo_conferences_load()} konferencer")
            self.stdout.write(f"Demotider: {demo_bookings_load()} tider til booking")
            self.stdout.write(f"Demohenvisninger: {demo_referrals_load()} henvisninger")
            self.stdout.write(f"Demoundersøgelser: {demo_diagnostics_load()} bestillinger")
            self.stdout.write(f"Demoakuttider hos egen læge: {demo_support_load()} epikriser")
            self.stdout.write(f"Fokuserede ophold: {demo_stays_load()} behov afventer en praksis")
            self.stdout.write(f"Kvalitetsklynge: {demo_quality_load()} henvisninger i årets tal")
            self.stdout.write(f"Auditrunder i kvalitetsklyngen: {demo_audit_rounds_load()}")
        else:
            self.stdout.write("Demobrugere oprettes ikke med disse indstillinger.")
        self.stdout.write(f"Udgående funktioner: {demo_outreach_load()}")
        self.stdout.write(f"Symptompakker: {demo_packages_load()}")
        self.stdout.write(f"Møder: {demo_events_load()}")
        self.stdout.write(f"Praksiskonsulenter og KAP-enhed: {demo_directory_load()} personer")

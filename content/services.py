"""Writes to the page tree that more than one command needs."""

from django.db import transaction
from wagtail.models import Page, Site

from content.models import HomePage, SectionIndexPage


@transaction.atomic
def site_home_ensure(*, title: str, intro: str = "") -> HomePage:
    """The one HomePage, made the default site's root; Wagtail's welcome page goes.

    Idempotent: an existing HomePage keeps its content.
    """
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        welcome = root.get_children().filter(slug="home").exclude(content_type__model="homepage").first()
        if welcome is not None:
            Site.objects.filter(root_page=welcome).update(root_page=root)
            welcome.delete()
            root.refresh_from_db()
        home = root.add_child(instance=HomePage(title=title, slug="home", intro=intro))
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Samspil"
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    return home


@transaction.atomic
def section_ensure(*, home: HomePage, slug: str, title: str, intro: str = "") -> SectionIndexPage:
    """A published section index under the home page, created if missing."""
    section = SectionIndexPage.objects.child_of(home).filter(slug=slug).first()
    if section is None:
        section = home.add_child(instance=SectionIndexPage(title=title, slug=slug, intro=intro))
        section.save_revision().publish()
    return section


def information_page_ensure(*, home: HomePage, slug: str, title: str, markdown: str, in_footer: bool = True):
    """A published page about the portal under the home page (contact, privacy ...), created if
    missing; an existing page keeps what editors wrote."""
    from .models import InformationPage

    page = InformationPage.objects.child_of(home).filter(slug=slug).first()
    if page is None:
        page = home.add_child(
            instance=InformationPage(
                title=title, slug=slug, show_in_menus=in_footer, body=[("markdown", markdown)]
            )
        )
        page.save_revision().publish()
    return page

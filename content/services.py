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


FAQ_SECTION_SLUG = "spoergsmaal-og-svar"


@transaction.atomic
def faq_draft_create(*, title: str, question: str, answer_markdown: str, summary: str = "", owner=None):
    """An unpublished FAQ page (one question and answer) under the FAQ section, for editors.

    A draft only: ``live=False`` and a saved revision, never published here, so it waits in
    the Wagtail admin's page listing and "Pages awaiting moderation"-style reports until an
    editor reviews and publishes it. Returns None when the site has no FAQ section.
    """
    from content.models import FaqPage
    from content.text import danish_slug

    section = SectionIndexPage.objects.filter(slug=FAQ_SECTION_SLUG).first()
    if section is None:
        return None
    base = danish_slug(title, 60) or "spoergsmaal"
    taken = set(section.get_children().values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    page = FaqPage(title=title[:255], slug=slug, summary=summary[:800], live=False, owner=owner)
    page.items = FaqPage._meta.get_field("items").to_python(
        [
            {
                "type": "item",
                "value": {
                    "question": question[:300],
                    "anchor": "",
                    "answer": [{"type": "markdown", "value": answer_markdown}],
                },
            }
        ]
    )
    section.add_child(instance=page)
    page.save_revision(user=owner, log_action=True)
    return page

"""Writes to the page tree that more than one command needs."""

import datetime

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


@transaction.atomic
def faq_proposal_create(*, question: str, answer: str, owner):
    """An anonymised FAQ draft proposed by a participant of a closed thread or conference, and an
    e-mail to the editors that a draft waits for review (issue 15).

    The page knows nothing of where it came from: no thread or conference, no patient, only the
    participant's reviewed text (the proposer is the draft's owner, as any page's author is).
    The e-mail holds a link to the admin only, not the text. Returns None without an FAQ section.
    """
    from django.conf import settings
    from django.utils import translation
    from django.utils.translation import gettext as _

    from portal.accounts.models import User
    from portal.accounts.roles import Role
    from portal.outbox.services import outbox_email_enqueue

    with translation.override(settings.LANGUAGE_CODE):
        title = " ".join(question.split())
        page = faq_draft_create(
            title=title[:120].rsplit(" ", 1)[0] if len(title) > 120 else title,
            question=question,
            answer_markdown=answer,
            summary=_("Proposed by a participant from a closed correspondence or conference, anonymised."),
            owner=owner,
        )
        if page is None:
            return None
        editors = User.objects.filter(is_active=True, memberships__role=Role.EDITOR).distinct().order_by("pk")
        addresses = [editor.email for editor in editors if editor.email]
        if addresses:
            outbox_email_enqueue(
                key=f"content.faq-proposal:{page.pk}",
                to=addresses,
                subject=_("An FAQ draft waits for review"),
                body="\n\n".join(
                    [
                        _(
                            "A participant has proposed an anonymised FAQ draft from a closed "
                            "correspondence or conference. Review it in the admin before publishing."
                        ),
                        _admin_edit_url(page),
                        _("— Samspil"),
                    ]
                ),
            )
    return page


def _admin_edit_url(page) -> str:
    from django.conf import settings
    from django.urls import reverse

    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wagtailadmin_pages:edit", args=(page.pk,))


@transaction.atomic
def review_reminders_send(*, today=None) -> int:
    """E-mail each page's owner when its review date has come; once per page and review date.

    Run daily (``manage.py review_reminders``). A page whose date passed while the job did not
    run is still reminded: the outbox key (page and date) makes a second run send nothing. A new
    review date after a review gives a new reminder in due time. Pages without an owner with an
    e-mail address are left to the "Pages due for review" report.
    """
    from django.conf import settings
    from django.utils import timezone, translation
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from content.selectors import pages_past_review
    from portal.outbox.services import outbox_email_enqueue

    today = today or timezone.localdate()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for page in pages_past_review(today=today + datetime.timedelta(days=1)):
            owner = page.owner
            if owner is None or not owner.is_active or not owner.email:
                continue
            values = {"title": page.title, "date": date_format(page.next_review, "DATE_FORMAT")}
            outbox_email_enqueue(
                key=f"content.review-due:{page.pk}:{page.next_review.isoformat()}",
                to=[owner.email],
                subject=_("Review due: %(title)s") % values,
                body="\n\n".join(
                    [
                        _("Dear %(name)s,") % {"name": owner.get_full_name() or owner.email},
                        _(
                            "The page “%(title)s” was due for review on %(date)s. Check that it is still "
                            "current, then set the dates of the last and the next review."
                        )
                        % values,
                        _admin_edit_url(page),
                        _("— Samspil"),
                    ]
                ),
            )
            sent += 1
    return sent

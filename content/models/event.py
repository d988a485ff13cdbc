"""Meetings between the sectors: after-work meetings (fyraftensmøder), joint case sessions and
"tænk klogt" reviews run as meetings (issue 15). Public pages in Wagtail; registration, the
waiting list and attendance live behind login in ``portal.events``.

An agenda must give both sectors their part in the patient's course: at least one item from
general practice and one from the hospital. A meeting where one sector lectures the other is
what the collaboration structure is meant to end, so an editor cannot publish one.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from content.blocks import BodyBlock, DocumentLinkBlock
from content.blocks.agenda import AGENDA_SECTOR_CHOICES, GENERAL_PRACTICE, HOSPITAL, AgendaItemBlock


class EventIndexPage(Page):
    """The meetings: coming ones first, then the last year's with their minutes."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.EventPage"]
    max_count = 1
    PAST_DAYS = 365

    class Meta:
        verbose_name = _("meetings index")
        verbose_name_plural = _("meetings indexes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        events = EventPage.objects.child_of(self).live().public()
        context["upcoming"] = list(events.filter(ends_at__gte=now).order_by("starts_at", "pk"))
        context["past"] = list(
            events.filter(ends_at__lt=now, ends_at__gte=now - timedelta(days=self.PAST_DAYS)).order_by(
                "-starts_at", "-pk"
            )
        )
        return context


class EventPage(Page):
    class Kind(models.TextChoices):
        AFTER_WORK = "fyraftensmoede", _("After-work meeting")
        CASE_SESSION = "casekonference", _("Joint case session")
        THINK_SMART = "taenk-klogt", _("Think smart review meeting")

    kind = models.CharField(
        _("kind of meeting"), max_length=20, choices=Kind.choices, default=Kind.AFTER_WORK
    )
    intro = models.TextField(_("introduction"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("place"), max_length=255, blank=True)
    online_url = models.URLField(_("video link"), blank=True)
    seats = models.PositiveIntegerField(
        _("seats"),
        null=True,
        blank=True,
        help_text=_("Empty: no limit. When full, registrations go on a waiting list."),
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"), null=True, blank=True, help_text=_("Empty: when the meeting starts.")
    )
    organisers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="organised_events",
        verbose_name=_("organisers"),
        help_text=_("They see who registered and record attendance."),
    )
    agenda = StreamField([("item", AgendaItemBlock())], verbose_name=_("agenda"))
    materials = StreamField([("document", DocumentLinkBlock())], blank=True, verbose_name=_("materials"))
    minutes = StreamField(BodyBlock(), blank=True, verbose_name=_("minutes"))

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("location"),
                FieldPanel("online_url"),
            ],
            heading=_("Time and place"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("seats"), FieldPanel("registration_closes_at")]),
                FieldPanel("organisers"),
            ],
            heading=_("Registration"),
        ),
        FieldPanel("agenda"),
        FieldPanel("materials"),
        FieldPanel("minutes"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.FilterField("starts_at")]
    parent_page_types = ["content.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The meeting must end after it starts.")
        if self.registration_closes_at and self.starts_at and self.registration_closes_at > self.starts_at:
            errors["registration_closes_at"] = _(
                "Registration must close at the latest when the meeting starts."
            )
        sectors = {item.value["sector"] for item in self.agenda or []}
        if not {GENERAL_PRACTICE, HOSPITAL} <= sectors:
            errors["agenda"] = _(
                "The agenda must cover the patient's course in both sectors: add at least one item "
                "from general practice and one from the hospital."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def closes_at(self):
        return self.registration_closes_at or self.starts_at

    def agenda_items(self):
        return [item.value for item in self.agenda]

    def get_context(self, request, *args, **kwargs):
        from .review import ThinkSmartReviewPage

        context = super().get_context(request, *args, **kwargs)
        context["sector_choices"] = AGENDA_SECTOR_CHOICES
        context["outcome_reviews"] = list(
            ThinkSmartReviewPage.objects.live().public().filter(source_event=self)
        )
        return context

"""The collaboration structure's directory (issue 15): who to call about the cooperation between
general practice and the hospitals.

Practice consultants (praksiskonsulenter, PKO) are general practitioners employed part time by a
hospital department to carry the cooperation; the KAP unit (kvalitet i almen praksis) coordinates
them and has a board with the region, the municipalities, the hospitals, PLO, DSAM and the
practice-responsible consultant; each hospital has a practice-responsible and a
training-responsible general-practice consultant.

One page per directory, with the KAP unit on the page and three lists of orderable entries, so an
editor keeps a region's whole structure in one place and one publish (with its review) changes it
at once; a region with two KAP units gets two pages. Entries link to the organisations and,
optionally, to the person's user: then the name, phone and e-mail shown are the user's own, kept
up to date by the person, and the link is checked against the user's role. Everything on the page
is public contact information chosen by an editor: the page is baked and searchable.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.accounts.roles import Role


class DirectoryContact(models.Model):
    """A named person in the directory: linked to a user, or written out by the editor."""

    # The role a linked user must hold; None: anyone may be linked (a board member from the region).
    required_role: Role | None = None

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
        help_text=_("When linked, the name, phone and e-mail shown are the user's own."),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)

    contact_panels = [
        FieldPanel("user"),
        FieldRowPanel([FieldPanel("name"), FieldPanel("phone"), FieldPanel("email")]),
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if not self.user_id and not self.name.strip():
            raise ValidationError({"name": _("Write the person's name or link the person's user.")})
        role = self.role_required()
        if self.user_id and role and not self.user.has_role(role):
            raise ValidationError({"user": _("This user does not hold the practice consultant role.")})

    @property
    def display_name(self) -> str:
        return (self.user.get_full_name() if self.user_id else "") or self.name

    @property
    def display_phone(self) -> str:
        return (self.user.phone if self.user_id else "") or self.phone

    @property
    def display_email(self) -> str:
        return (self.user.email if self.user_id else "") or self.email

    def role_required(self) -> Role | None:
        return self.required_role


class CollaborationDirectoryPage(Page):
    """The practice consultants per area and department, the KAP unit with its board, and the
    practice- and training-responsible consultants at each hospital."""

    intro = models.TextField(_("introduction"), blank=True)
    kap_unit = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "kap_unit"},
        verbose_name=_("KAP unit"),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        InlinePanel("consultants", heading=_("Practice consultants"), label=_("practice consultant")),
        FieldPanel("kap_unit"),
        InlinePanel("board_members", heading=_("The KAP unit's board"), label=_("board member")),
        InlinePanel(
            "hospital_consultants",
            heading=_("Consultants at the hospitals"),
            label=_("hospital consultant"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("collaboration directory")
        verbose_name_plural = _("collaboration directories")

    # The related rows a page shows; one query per list, however many entries (see get_context).
    CONSULTANT_RELATED = (
        "user",
        "area",
        "department__health_council_area",
        "department__parent__health_council_area",
    )

    def consultant_list(self) -> list:
        return list(self.consultants.select_related(*self.CONSULTANT_RELATED))

    def board_member_list(self) -> list:
        return list(self.board_members.select_related("user", "organisation"))

    def hospital_consultant_list(self) -> list:
        return list(self.hospital_consultants.select_related("user", "hospital"))

    def consultant_groups(self, consultants=None) -> list[tuple]:
        """[(area, [(department, [consultant, …]), …]), …], areas and departments by name."""
        consultants = self.consultant_list() if consultants is None else consultants
        areas: dict = {}
        for consultant in consultants:
            area = consultant.shown_area
            departments = areas.setdefault(area, {})
            departments.setdefault(consultant.department, []).append(consultant)
        return [
            (area, sorted(departments.items(), key=lambda item: str(item[0])))
            for area, departments in sorted(areas.items(), key=lambda item: item[0].name if item[0] else "~")
        ]

    def hospital_groups(self, entries=None) -> list[tuple]:
        """[(hospital, [entry, …]), …]: the practice-responsible consultant first."""
        entries = self.hospital_consultant_list() if entries is None else entries
        hospitals: dict = {}
        for entry in sorted(
            entries, key=lambda e: (e.responsibility != HospitalConsultant.PRACTICE, e.sort_order or 0)
        ):
            hospitals.setdefault(entry.hospital, []).append(entry)
        return sorted(hospitals.items(), key=lambda item: item[0].name)

    def search_body(self) -> list[str]:
        """The words that find this page: every person's name, department, hospital, area and
        what a board member represents. Nothing else of a linked user (no e-mail, no phone)."""
        lines = []
        for consultant in self.consultant_list():
            area = consultant.shown_area
            lines.append(
                " · ".join(
                    filter(None, [consultant.display_name, str(consultant.department), area and area.name])
                )
            )
            if consultant.note:
                lines.append(consultant.note)
        if self.kap_unit_id:
            lines.append(self.kap_unit.name)
        for member in self.board_member_list():
            lines.append(
                " · ".join(
                    filter(
                        None,
                        [
                            member.display_name,
                            str(member.get_represents_display()),
                            member.organisation.name if member.organisation_id else "",
                        ],
                    )
                )
            )
        for entry in self.hospital_consultant_list():
            lines.append(
                " · ".join([entry.display_name, entry.get_responsibility_display(), entry.hospital.name])
            )
        return [str(line) for line in lines]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["consultant_groups"] = self.consultant_groups()
        context["board_members"] = self.board_member_list()
        context["hospital_groups"] = self.hospital_groups()
        return context


def directory_pages_showing(*, user_id: int | None = None, organisation_id: int | None = None) -> set[int]:
    """The live directory pages that show this user's contact or this organisation's name: what
    must be re-baked and re-indexed when the person or the organisation changes."""
    from django.db.models import Q

    ids = set()
    for model, organisation_fields in (
        (PracticeConsultant, ("department",)),
        (KapBoardMember, ("organisation",)),
        (HospitalConsultant, ("hospital",)),
    ):
        condition = Q()
        if user_id is not None:
            condition |= Q(user_id=user_id)
        for name in organisation_fields if organisation_id is not None else ():
            condition |= Q(**{f"{name}_id": organisation_id})
        ids.update(model.objects.filter(condition, page__live=True).values_list("page_id", flat=True))
    if organisation_id is not None:
        live = CollaborationDirectoryPage.objects.live()
        ids.update(live.filter(kap_unit_id=organisation_id).values_list("pk", flat=True))
    return ids


class PracticeConsultant(Orderable, DirectoryContact):
    """A practice consultant (PKO) at one hospital department."""

    required_role = Role.PRACTICE_CONSULTANT

    page = ParentalKey(CollaborationDirectoryPage, on_delete=models.CASCADE, related_name="consultants")
    department = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "department"},
        verbose_name=_("department"),
    )
    area = models.ForeignKey(
        "accounts.HealthCouncilArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("health council area"),
        help_text=_("Empty: the department's own area."),
    )
    note = models.CharField(
        _("note"), max_length=255, blank=True, help_text=_("For example the days the consultant works there.")
    )

    panels = [
        FieldPanel("department"),
        FieldPanel("area"),
        *DirectoryContact.contact_panels,
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("practice consultant")
        verbose_name_plural = _("practice consultants")

    def __str__(self):
        return self.display_name

    @property
    def shown_area(self):
        return self.area if self.area_id else self.department.area


class KapBoardMember(Orderable, DirectoryContact):
    """A member of the KAP unit's board and whom the member represents."""

    class Represents(models.TextChoices):
        REGION = "region", _("The region")
        MUNICIPALITY = "municipality", _("A municipality")
        HOSPITAL = "hospital", _("A hospital")
        PLO = "plo", _("PLO (the general practitioners' organisation)")
        DSAM = "dsam", _("DSAM (the Danish College of General Practitioners)")
        PRACTICE_CONSULTANT = "practice_consultant", _("The practice-responsible consultant")

    page = ParentalKey(CollaborationDirectoryPage, on_delete=models.CASCADE, related_name="board_members")
    represents = models.CharField(_("represents"), max_length=30, choices=Represents.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
        help_text=_("For example the hospital the member comes from."),
    )

    panels = [FieldPanel("represents"), FieldPanel("organisation"), *DirectoryContact.contact_panels]

    class Meta(Orderable.Meta):
        verbose_name = _("board member")
        verbose_name_plural = _("board members")

    def __str__(self):
        return self.display_name

    def role_required(self) -> Role | None:
        # The practice-responsible consultant's seat is held by a practice consultant.
        return Role.PRACTICE_CONSULTANT if self.represents == self.Represents.PRACTICE_CONSULTANT else None


class HospitalConsultant(Orderable, DirectoryContact):
    """The practice-responsible or the training-responsible general-practice consultant at a hospital."""

    PRACTICE = "practice"
    TRAINING = "training"
    RESPONSIBILITIES = [
        (PRACTICE, _("Practice-responsible consultant")),
        (TRAINING, _("Training-responsible general-practice consultant")),
    ]

    required_role = Role.PRACTICE_CONSULTANT

    page = ParentalKey(
        CollaborationDirectoryPage, on_delete=models.CASCADE, related_name="hospital_consultants"
    )
    hospital = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "hospital"},
        verbose_name=_("hospital"),
    )
    responsibility = models.CharField(_("responsibility"), max_length=20, choices=RESPONSIBILITIES)

    panels = [
        FieldRowPanel([FieldPanel("hospital"), FieldPanel("responsibility")]),
        *DirectoryContact.contact_panels,
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("hospital consultant")
        verbose_name_plural = _("hospital consultants")

    def __str__(self):
        return self.display_name

"""The hospital's outreach services (udgående funktioner) and the orders GPs send them.

``OutreachService`` is one entry of the directory: a mobile blood-sampling unit, an acute nurse,
hospital-at-home (indlæggelse i eget hjem), the social-psychiatric emergency service, a flex
clinic or a follow-to-the-doctor scheme, run by an ``Organisation`` (its members are the
service's staff), with who may order it, how (a direct number and/or the portal's order form),
its hours and the area it covers: whole municipalities (kommuner) and/or postcodes.

Organisations in ``accounts`` know their health council area but no postcode, so the
geography a GP looks up by lives here: ``Municipality`` (in a health council area),
``Postcode`` (in a municipality) and ``OrganisationPostcode`` (where a practice sits; its
postcode is the default of the look-up). Administrators keep all of it in the Wagtail admin.

``OutreachOrder`` is a request through the order form, answered within working days
(``portal.core.deadlines``); it may carry a patient through ``portal.patients`` (CPR encrypted,
shown masked, every read in the access log).
"""

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import HealthCouncilArea, Organisation
from portal.patients.models import PatientReference

REQUEST_MAX_LENGTH = 2000
DESCRIPTION_MAX_LENGTH = 4000

postcode_validator = RegexValidator(r"^[0-9]{4}$", _("A postcode is four digits."))
municipality_code_validator = RegexValidator(r"^[0-9]{3}$", _("A municipality code is three digits."))

# "8000-8099, 8200; 8210" : single postcodes and ranges, separated by commas, semicolons or spaces.
_RANGE = re.compile(r"^(\d{4})(?:\s*[-–]\s*(\d{4}))?$", re.ASCII)


def parse_postcode_ranges(text: str) -> list[tuple[int, int]]:
    """``"8000-8099, 8200"`` → ``[(8000, 8099), (8200, 8200)]``; a Danish ValidationError if malformed."""
    ranges = []
    for part in re.split(r"[,;\n]+", text or ""):
        part = part.strip()
        if not part:
            continue
        match = _RANGE.match(part)
        if match is None:
            raise ValidationError(
                _("“%(part)s” is not a postcode or a range of postcodes (such as 8000-8099).")
                % {"part": part}
            )
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if last < first:
            raise ValidationError(_("In “%(part)s” the range ends before it starts.") % {"part": part})
        ranges.append((first, last))
    return ranges


class Municipality(models.Model):
    """A municipality (kommune), in the health council area it belongs to."""

    code = models.CharField(
        _("municipality code"), max_length=3, unique=True, validators=[municipality_code_validator]
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    health_council_area = models.ForeignKey(
        HealthCouncilArea,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("health council area"),
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Postcode(models.Model):
    """A postcode (postnummer) and the municipality it lies in (the main one, where it spans two)."""

    number = models.CharField(_("postcode"), max_length=4, unique=True, validators=[postcode_validator])
    name = models.CharField(_("town"), max_length=100)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="postcodes", verbose_name=_("municipality")
    )

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number} {self.name}"


class OrganisationPostcode(models.Model):
    """Where an organisation sits: a practice's postcode is the default of the GP's look-up."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    postcode = models.ForeignKey(
        Postcode, on_delete=models.PROTECT, related_name="+", verbose_name=_("postcode")
    )

    class Meta:
        verbose_name = _("organisation's postcode")
        verbose_name_plural = _("organisations' postcodes")

    def __str__(self):
        return f"{self.organisation} · {self.postcode}"


class OutreachService(models.Model):
    """One entry of the directory of the hospital's outreach services."""

    class Kind(models.TextChoices):
        BLOOD_SAMPLING = "blood_sampling", _("Mobile blood-sampling unit (home samples)")
        ACUTE_NURSE = "acute_nurse", _("Acute nurse (samples at a worsening)")
        HOSPITAL_AT_HOME = "hospital_at_home", _("Hospital at home")
        SOCIAL_PSYCHIATRIC = "social_psychiatric", _("Social-psychiatric emergency service")
        FLEX_CLINIC = "flex_clinic", _("Flex clinic")
        FOLLOW_TO_DOCTOR = "follow_to_doctor", _("Follow-to-the-doctor scheme for vulnerable citizens")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("run by"),
        help_text=_("Its members are the service's staff: they see and acknowledge the orders."),
    )
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    # Who may order it. The portal's order form is offered to GPs and hospital specialists; the
    # others are told in the entry (they call).
    orderable_by_gp = models.BooleanField(_("GPs may order it"), default=True)
    orderable_by_hospital = models.BooleanField(_("hospital doctors may order it"), default=False)
    orderable_by_home_care = models.BooleanField(_("the municipal home nursing may order it"), default=False)
    orderable_by_citizen = models.BooleanField(_("citizens may contact it themselves"), default=False)
    phone = models.CharField(
        _("direct phone"), max_length=30, blank=True, help_text=_("The number to call to order or reach it.")
    )
    order_form = models.BooleanField(
        _("ordered through the portal's order form"),
        default=False,
        help_text=_("The order reaches the service's staff as a request with a deadline."),
    )
    response_working_days = models.PositiveSmallIntegerField(
        _("answer within (working days)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    hours = models.CharField(_("hours"), max_length=200, help_text=_("For example: every day 8–22."))
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="+", verbose_name=_("municipalities covered")
    )
    postcodes = models.CharField(
        _("postcodes covered"),
        max_length=1000,
        blank=True,
        help_text=_("Postcodes and ranges besides the municipalities, such as 8000-8099, 8200."),
    )
    active = models.BooleanField(_("shown in the directory"), default=True)

    class Meta:
        verbose_name = _("outreach service")
        verbose_name_plural = _("outreach services")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(order_form=True) | ~Q(phone=""), name="outreach_service_can_be_reached"
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        try:
            parse_postcode_ranges(self.postcodes)
        except ValidationError as error:
            errors["postcodes"] = error
        if not self.order_form and not self.phone.strip():
            errors["phone"] = _("Give a direct number, or let the service be ordered through the portal.")
        if self.order_form and self.owner_id and self.owner.kind not in ORDER_FORM_OWNER_KINDS:
            errors["order_form"] = _(
                "Only a service run by a hospital department or a practice has staff to receive orders."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def postcode_ranges(self) -> list[tuple[int, int]]:
        return parse_postcode_ranges(self.postcodes)

    def covers(self, postcode: int, municipality_id: int | None) -> bool:
        """Whether the service reaches this postcode: by its municipality or by a listed range.
        Needs ``municipalities`` prefetched to stay free of queries."""
        if municipality_id is not None and any(m.pk == municipality_id for m in self.municipalities.all()):
            return True
        return any(first <= postcode <= last for first, last in self.postcode_ranges)


# Organisations whose members can staff a worklist (clinicians and secretaries work there).
ORDER_FORM_OWNER_KINDS = frozenset({Organisation.Kind.DEPARTMENT, Organisation.Kind.GENERAL_PRACTICE})


class OutreachOrder(models.Model):
    """An order to an outreach service through the portal, answered by the service's staff."""

    class State(models.TextChoices):
        ORDERED = "ordered", _("Ordered, awaiting the service")
        ACKNOWLEDGED = "acknowledged", _("Received by the service")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(
        OutreachService, on_delete=models.PROTECT, related_name="orders", verbose_name=_("service")
    )
    # The service's organisation when ordered: an administrator moving the service does not move
    # the order away from the staff who have it.
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("service run by")
    )
    orderer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("ordered by")
    )
    ordering_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("ordered from")
    )
    patient = models.ForeignKey(
        PatientReference,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("patient"),
    )
    postcode = models.CharField(
        _("postcode where the service is needed"), max_length=4, validators=[postcode_validator]
    )
    request = models.TextField(_("what is needed"), max_length=REQUEST_MAX_LENGTH)
    callback_phone = models.CharField(_("phone for questions"), max_length=30)
    state = models.CharField(_("state"), max_length=15, choices=State.choices, default=State.ORDERED)
    created_at = models.DateTimeField(_("ordered"), default=timezone.now)
    respond_by = models.DateTimeField(_("answer due"))
    acknowledged_at = models.DateTimeField(_("received"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
    )
    client_token = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("outreach order")
        verbose_name_plural = _("outreach orders")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="acknowledged")
                | (Q(acknowledged_at__isnull=False) & Q(acknowledged_by__isnull=False)),
                name="outreach_acknowledged_has_who_and_when",
            ),
            models.UniqueConstraint(
                fields=["orderer", "client_token"],
                condition=Q(client_token__isnull=False),
                name="outreach_unique_client_token",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "state", "respond_by"], name="outreach_worklist_idx"),
            models.Index(fields=["ordering_organisation", "-created_at"], name="outreach_orderer_idx"),
        ]

    def __str__(self):
        # Never the patient: str() ends up in logs.
        return f"OutreachOrder {self.public_id}"

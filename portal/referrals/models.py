"""Referrals (henvisninger) from general practice to the hospital, with no dead end.

A GP refers a patient by diagnosis (ICD-10 code and text) or by a symptom package
(``SymptomPackage``: åndenød, vægttab, ...) to one of three kinds of destination: a
hospital department, a subacute cross-disciplinary clinic (tværfagligt ambulatorium),
or the area's central elective visitation, whose task is to find where the patient
belongs. Every destination is an ``Organisation`` of kind department; what kind of
destination it is, is stored on the referral.

The decision is a state machine with no terminal rejection (see ``State``). The
receiving side accepts with a time or a time window, re-routes (*omvisitering*: the
referral moves to another department, with a reason and the alternative offered, and
the GP sees it at once), asks for a dialogue (a correspondence thread linked to the
referral), records a pre-visitation note (the hospital called the patient), or returns
the referral to the GP, which it may only do after a dialogue in which the GP wrote.
The GP's *veto* (the patient must be seen in the acute reception, FAM) removes re-route
and return from the receiving side's choices.

Each decision is a ``ReferralEvent`` shaped like the draft MedCom/HL7 FHIR referral
model's Task: status, business status (outcome), reason code and the alternative
offer; ``portal.referrals.fhir`` exports it.

Treatment responsibility (behandlingsansvar) has exactly one holder at any instant,
by construction: ``Referral.responsible_organisation`` is a non-null foreign key. A
handover is a ``ResponsibilityHandover`` proposed by one side and acknowledged by the
other (at most one open proposal per referral, a database constraint); until it is
acknowledged the previous holder keeps it. ``ResponsibilityPeriod`` rows are the
holders' history, at most one current per referral (a database constraint).

URLs carry ``public_id`` (a random UUID), never the primary key and never the CPR.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import HealthCouncilArea, Organisation
from portal.patients.models import PatientReference

CLINICAL_TEXT_MAX_LENGTH = 10_000
DIAGNOSIS_TEXT_MAX_LENGTH = 200
REASON_MAX_LENGTH = 1_000
VETO_REASON_MAX_LENGTH = 300
CHECKLIST_ITEM_MAX_LENGTH = 200

# ICD-10 as WHO writes it (the conferences module accepts the same form).
icd10_validator = RegexValidator(
    r"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$",
    _("Write the ICD-10 code as a letter and two digits, optionally a dot and more, e.g. R06.0."),
)
phone_validator = RegexValidator(r"^[0-9 +()-]{4,30}$", _("Write a telephone number, e.g. 70 11 31 31."))


class SymptomPackage(models.Model):
    """A symptom-based package (pakke): the patient the GP knows is ill, but not in which organ.

    Editors define them (a Wagtail snippet): the cross-disciplinary clinic that receives
    them and what the GP attaches, one checklist item per line.
    """

    name = models.CharField(_("name"), max_length=120, unique=True)
    clinic = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.DEPARTMENT},
        verbose_name=_("cross-disciplinary clinic"),
    )
    description = models.TextField(_("description"), blank=True)
    checklist = models.TextField(
        _("what the GP attaches"), help_text=_("One item per line, e.g. 'Spirometri' or 'EKG'.")
    )
    active = models.BooleanField(_("offered to GPs"), default=True)

    class Meta:
        verbose_name = _("symptom package")
        verbose_name_plural = _("symptom packages")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def checklist_items(self) -> list[str]:
        return [
            line.strip()[:CHECKLIST_ITEM_MAX_LENGTH] for line in self.checklist.splitlines() if line.strip()
        ]

    def clean(self):
        super().clean()
        if self.clinic_id and self.clinic.kind != Organisation.Kind.DEPARTMENT:
            raise ValidationError({"clinic": _("The clinic is a hospital department.")})
        if not self.checklist_items:
            raise ValidationError({"checklist": _("Name at least one thing the GP attaches.")})


class AreaVisitation(models.Model):
    """One visitation number per health council area: where a GP calls, whatever the specialty.

    Administrators keep the numbers (a Wagtail snippet). ``central_visitation`` is the
    department that finds where an elective patient belongs; GPs refer to it by name.
    """

    health_council_area = models.OneToOneField(
        HealthCouncilArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("health council area")
    )
    acute_admission_phone = models.CharField(
        _("acute admissions"), max_length=30, validators=[phone_validator]
    )
    subacute_admission_phone = models.CharField(
        _("subacute admissions"), max_length=30, validators=[phone_validator]
    )
    subacute_outpatient_phone = models.CharField(
        _("subacute outpatient times"), max_length=30, validators=[phone_validator]
    )
    psychiatry_acute_phone = models.CharField(
        _("psychiatry, acute"), max_length=30, validators=[phone_validator]
    )
    psychiatry_subacute_phone = models.CharField(
        _("psychiatry, subacute"), max_length=30, validators=[phone_validator]
    )
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    central_visitation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.DEPARTMENT},
        verbose_name=_("central elective visitation"),
    )

    class Meta:
        verbose_name = _("visitation number")
        verbose_name_plural = _("visitation numbers")
        ordering = ["health_council_area__name"]

    def __str__(self):
        return str(self.health_council_area)


class Referral(models.Model):
    class Basis(models.TextChoices):
        DIAGNOSIS = "diagnosis", _("By diagnosis")
        PACKAGE = "package", _("By symptom package")

    class DestinationKind(models.TextChoices):
        DEPARTMENT = "department", _("Department")
        SUBACUTE_CLINIC = "subacute_clinic", _("Subacute cross-disciplinary clinic")
        CENTRAL_VISITATION = "central_visitation", _("Central elective visitation")

    class Urgency(models.TextChoices):
        SUBACUTE = "subacute", _("Subacute (within 72 hours)")
        URGENT = "urgent", _("Urgent")
        ROUTINE = "routine", _("Routine")

    class State(models.TextChoices):
        """No state means "rejected": the only way back to the GP is ``RETURNED`` after a dialogue."""

        RECEIVED = "received", _("Received, awaiting decision")
        REROUTED = "rerouted", _("Re-routed, awaiting decision")
        DIALOGUE = "dialogue", _("Dialogue with the GP")
        PREVISITATION = "previsitation", _("Pre-visitation (patient called)")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned to the GP after dialogue")
        VETO = "veto", _("Veto: to be seen in the acute reception")

    # States in which the receiving side has still to decide; overdue is counted in these.
    AWAITING_DECISION = (State.RECEIVED, State.REROUTED, State.PREVISITATION, State.VETO)
    # States the hospital can still act in (dialogue included: it waits for the GP, then decides).
    OPEN = (State.RECEIVED, State.REROUTED, State.DIALOGUE, State.PREVISITATION, State.VETO)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        PatientReference, on_delete=models.PROTECT, related_name="+", verbose_name=_("patient")
    )
    practice = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("referring practice")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("referring GP")
    )
    basis = models.CharField(_("referred"), max_length=10, choices=Basis.choices)
    diagnosis_code = models.CharField(
        _("ICD-10 code"), max_length=10, blank=True, validators=[icd10_validator]
    )
    diagnosis_text = models.CharField(_("diagnosis"), max_length=DIAGNOSIS_TEXT_MAX_LENGTH, blank=True)
    symptom_package = models.ForeignKey(
        SymptomPackage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("symptom package"),
    )
    # The checklist items the GP ticked, as the package named them at the time.
    checklist_ticked = models.JSONField(_("attached"), default=list, blank=True)
    clinical_text = models.TextField(_("clinical information"), max_length=CLINICAL_TEXT_MAX_LENGTH)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)

    destination_kind = models.CharField(_("destination kind"), max_length=20, choices=DestinationKind.choices)
    # The current destination: re-routing moves it; the first one is in the history.
    destination = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("destination")
    )
    state = models.CharField(_("state"), max_length=15, choices=State.choices, default=State.RECEIVED)
    # Exactly one holder at any instant: a non-null foreign key cannot hold none or two.
    responsible_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("treatment responsibility")
    )
    # The correspondence thread of the latest dialogue (opened through correspondence.services).
    dialogue_thread = models.ForeignKey(
        "correspondence.Thread",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # The subacute outpatient time the GP booked with the referral (portal.bookings), if any.
    # PROTECT: a booking is never deleted, only cancelled (its status keeps the history), so
    # deleting one still pointed at is a mistake to refuse, not to paper over with SET_NULL,
    # which would also silently erase the evidence of the 72-hour figure. Rebooking points
    # this at the new booking; cancelling leaves the cancelled one here.
    booking = models.ForeignKey(
        "bookings.Booking",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("booked time"),
    )

    created_at = models.DateTimeField(_("referred"), default=timezone.now)
    last_step_at = models.DateTimeField(_("last step"), default=timezone.now)
    decision_due_at = models.DateTimeField(_("decision due"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    appointment_start = models.DateTimeField(_("appointment"), null=True, blank=True)
    appointment_end = models.DateTimeField(_("appointment window ends"), null=True, blank=True)
    vetoed_at = models.DateTimeField(_("veto"), null=True, blank=True)
    client_token = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(basis="diagnosis") & ~Q(diagnosis_code="") & Q(symptom_package__isnull=True))
                | (Q(basis="package") & Q(symptom_package__isnull=False)),
                name="referral_basis_is_complete",
            ),
            models.CheckConstraint(
                condition=~Q(state="accepted") | Q(appointment_start__isnull=False),
                name="referral_accepted_has_time",
            ),
            models.CheckConstraint(
                condition=Q(appointment_end__isnull=True) | Q(appointment_end__gt=F("appointment_start")),
                name="referral_window_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(state="veto") | Q(vetoed_at__isnull=False), name="referral_veto_has_time"
            ),
            models.UniqueConstraint(
                fields=["author", "client_token"],
                condition=Q(client_token__isnull=False),
                name="referral_unique_client_token",
            ),
        ]
        indexes = [
            models.Index(fields=["practice", "-created_at"], name="referral_practice_idx"),
            # The GP overview: a practice's referrals by last step, read in order, no sort
            # (bench/referrals.py).
            models.Index(fields=["practice", "-last_step_at", "-id"], name="referral_practice_step_idx"),
            models.Index(fields=["destination", "state", "decision_due_at"], name="referral_worklist_idx"),
            models.Index(fields=["state", "decision_due_at"], name="referral_overdue_idx"),
        ]

    def __str__(self):
        # Never the patient: str() ends up in logs.
        return f"Referral {self.public_id}"

    @property
    def subject(self) -> str:
        if self.basis == self.Basis.PACKAGE and self.symptom_package_id:
            return str(self.symptom_package)
        return f"{self.diagnosis_code} {self.diagnosis_text}".strip()

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN

    @property
    def awaiting_organisation(self) -> Organisation | None:
        """Who must act now: the GP's practice during a dialogue, the destination while it decides."""
        if self.state == self.State.DIALOGUE:
            return self.practice
        if self.state in self.AWAITING_DECISION:
            return self.destination
        return None

    @property
    def overdue_now(self) -> bool:
        return self.is_overdue()

    def is_overdue(self, now=None) -> bool:
        now = now or timezone.now()
        return bool(
            self.state in self.AWAITING_DECISION and self.decision_due_at and self.decision_due_at < now
        )


class ReferralEvent(models.Model):
    """The referral's history; a decision is an event shaped like a FHIR Task.

    ``reason_code`` and ``alternative`` are the Task's statusReason and the alternative
    offered (output); ``to_organisation`` is the new owner after a re-route or the party a
    handover goes to.
    """

    class Kind(models.TextChoices):
        REFERRED = "referred", _("Referred")
        ACCEPTED = "accepted", _("Accepted")
        REROUTED = "rerouted", _("Re-routed")
        DIALOGUE = "dialogue", _("Dialogue requested")
        PREVISITATION = "previsitation", _("Pre-visitation note")
        RETURNED = "returned", _("Returned to the GP")
        VETO = "veto", _("Veto pressed")
        OVERDUE = "overdue", _("Decision overdue; responsible person told")
        HANDOVER_PROPOSED = "handover_proposed", _("Handover of responsibility proposed")
        HANDOVER_ACKNOWLEDGED = "handover_acknowledged", _("Handover of responsibility acknowledged")
        HANDOVER_WITHDRAWN = "handover_withdrawn", _("Handover proposal withdrawn")

    DECISIONS = (Kind.ACCEPTED, Kind.REROUTED, Kind.DIALOGUE, Kind.PREVISITATION, Kind.RETURNED)

    class Reason(models.TextChoices):
        """Why a referral was re-routed or returned (the Task's statusReason)."""

        WRONG_SPECIALTY = "wrong-specialty", _("Another specialty is right for the patient")
        WRONG_LEVEL = "wrong-level", _("Better handled at another level (e.g. in general practice)")
        INSUFFICIENT_INFORMATION = "insufficient-information", _("Information missing")
        CAPACITY = "capacity", _("Another department can see the patient sooner")
        OTHER = "other", _("Other")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=25, choices=Kind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The name as it was then; "System" for the overdue job.
    actor_name = models.CharField(max_length=301, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason_code = models.CharField(_("reason"), max_length=30, choices=Reason.choices, blank=True)
    text = models.TextField(_("text"), max_length=REASON_MAX_LENGTH, blank=True)
    alternative = models.TextField(_("alternative offered"), max_length=REASON_MAX_LENGTH, blank=True)
    appointment_start = models.DateTimeField(null=True, blank=True)
    appointment_end = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["kind", "at"], name="referral_event_kind_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class ResponsibilityPeriod(models.Model):
    """Who held the treatment responsibility when; at most one current row per referral."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="responsibility_periods")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"], condition=Q(ended_at__isnull=True), name="one_current_responsibility"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="responsibility_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.started_at:%Y-%m-%d %H:%M}"


PLAN_MAX_LENGTH = 5_000
PHONE_AGREEMENT_MAX_LENGTH = 300


class ResponsibilityHandover(models.Model):
    """A proposed handover of treatment responsibility; the other side acknowledges it.

    Two kinds share the one proposal-and-acknowledgement model (issue 14): a referral's handover
    (``referral`` set; the referral's ``responsible_organisation`` is the holder) and a
    *palliative* handover, in which a hospital department proposes, after a phone agreement,
    that the patient's GP practice takes over a palliative patient with the agreed plan
    (``patient``, ``plan`` and ``phone_agreement`` set, no referral). Once the GP acknowledges
    it, the practice holds the responsibility for the palliative course.

    A third kind, *coordinator* (tovholder), hands the GP's coordinating role for a patient with
    complex multimorbidity (``CareCoordinator``): a department involved proposes that the
    patient's practice takes it on, or the practice holding it proposes another practice; only
    the acknowledgement changes the ``CareCoordinator`` row (``coordinator_services``).
    """

    class Kind(models.TextChoices):
        REFERRAL = "referral", _("Referral")
        PALLIATIVE = "palliative", _("Palliative patient")
        COORDINATOR = "coordinator", _("Coordinating GP (tovholder)")

    # Addresses a palliative handover in URLs; referral handovers are reached through the referral.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REFERRAL)
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, null=True, blank=True, related_name="handovers"
    )
    patient = models.ForeignKey(
        PatientReference,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("patient"),
    )
    plan = models.TextField(_("agreed plan"), max_length=PLAN_MAX_LENGTH, blank=True)
    phone_agreement = models.CharField(
        _("phone agreement"), max_length=PHONE_AGREEMENT_MAX_LENGTH, blank=True
    )
    client_token = models.UUIDField(null=True, blank=True, editable=False)
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # A re-route or a new proposal withdraws an open one.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # The last reminder to the receiving side while the proposal waits (``referrals_remind``).
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["proposed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(acknowledged_at__isnull=True, withdrawn_at__isnull=True),
                name="one_open_handover",
            ),
            models.CheckConstraint(
                condition=~Q(from_organisation=F("to_organisation")), name="handover_between_two"
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(withdrawn_at__isnull=True),
                name="handover_acknowledged_or_withdrawn",
            ),
            # A referral's handover belongs to its referral; a palliative one to a patient, with a plan.
            models.CheckConstraint(
                condition=(Q(kind="referral") & Q(referral__isnull=False) & Q(patient__isnull=True))
                | (
                    Q(kind__in=["palliative", "coordinator"])
                    & Q(referral__isnull=True)
                    & Q(patient__isnull=False)
                    & ~Q(plan="")
                ),
                name="handover_kind_subject",
            ),
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(kind="palliative", acknowledged_at__isnull=True, withdrawn_at__isnull=True),
                name="one_open_palliative_handover",
            ),
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(kind="coordinator", acknowledged_at__isnull=True, withdrawn_at__isnull=True),
                name="one_open_coordinator_handover",
            ),
            models.UniqueConstraint(
                fields=["proposed_by", "client_token"],
                condition=Q(client_token__isnull=False),
                name="handover_unique_client_token",
            ),
        ]
        indexes = [
            # The open proposals to an organisation (the worklist and overview banners): a few rows
            # beside a department's thousands of acknowledged ones (bench/referrals.py).
            models.Index(
                fields=["to_organisation", "proposed_at"],
                condition=Q(acknowledged_at__isnull=True, withdrawn_at__isnull=True),
                name="handover_open_to_idx",
            ),
        ]

    def __str__(self):
        return f"{self.from_organisation_id} -> {self.to_organisation_id} {self.proposed_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None and self.withdrawn_at is None


COORDINATOR_NOTE_MAX_LENGTH = 2_000


class CareCoordinator(models.Model):
    """The GP practice that holds the coordinating role (tovholder) for a patient with complex
    multimorbidity, and the hospital departments involved in the patient's care.

    One row per patient. The row is created and its practice changed only by acknowledging a
    ``ResponsibilityHandover`` of kind coordinator (``coordinator_services``); ``note`` is the
    care plan and agreements as the acknowledged proposal carried them. Adding a department is
    not a handover, but is recorded in ``CareCoordinatorEvent``.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.OneToOneField(
        PatientReference, on_delete=models.PROTECT, related_name="+", verbose_name=_("patient")
    )
    practice = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.GENERAL_PRACTICE},
        verbose_name=_("coordinating GP practice"),
    )
    departments = models.ManyToManyField(
        Organisation,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.DEPARTMENT},
        verbose_name=_("departments involved"),
    )
    note = models.TextField(_("care plan and agreements"), max_length=COORDINATOR_NOTE_MAX_LENGTH)
    since = models.DateTimeField(_("coordinating since"))

    class Meta:
        verbose_name = _("coordinating GP (tovholder)")
        verbose_name_plural = _("coordinating GPs (tovholdere)")
        ordering = ["-since", "-pk"]
        indexes = [models.Index(fields=["practice", "-since"], name="coordinator_practice_idx")]

    def __str__(self):
        # Never the patient: str() ends up in logs.
        return f"CareCoordinator {self.public_id}"


class CareCoordinatorEvent(models.Model):
    """The coordinating role's history: who took it on (by which handover) and who added which
    department. Organisation names and times only; the clinical note lives on the row."""

    class Kind(models.TextChoices):
        TAKEN_ON = "taken_on", _("Coordinating role taken on")
        DEPARTMENT_ADDED = "department_added", _("Department added")

    coordinator = models.ForeignKey(CareCoordinator, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=301, blank=True)
    # The practice that took the role on, or the department that was added.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    handover = models.ForeignKey(
        ResponsibilityHandover, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("coordinating GP event")
        verbose_name_plural = _("coordinating GP events")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="taken_on") | Q(handover__isnull=False),
                name="coordinator_taken_on_by_handover",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


# --- Ordering diagnostics (bestilling af undersøgelser) ----------------------------------------
#
# A GP orders a selected hospital investigation (ekkokardiografi, Holter, tåtryk, endoskopier,
# udvalgte MR-scanninger, drop-in røntgen) from a catalogue per hospital, books a free time of
# the department's bookable resource (or sends the patient to drop-in), and keeps the treatment
# responsibility throughout: no handover. The department records when the investigation took
# place and a short result notice (not the full result); the GP acknowledges the notice to show
# it was followed up. Services: ``diagnostics_services``; reads: ``diagnostics_selectors``.

INVESTIGATION_NAME_MAX_LENGTH = 120
PREPARATION_MAX_LENGTH = 2_000
CLINICAL_QUESTION_MAX_LENGTH = 2_000
RESULT_NOTICE_MAX_LENGTH = 500


class InvestigationType(models.Model):
    """An investigation a department offers GPs to order directly (a Wagtail snippet).

    Either bookable (``resource``: the department's bookings resource of kind investigation,
    whose free slots the GP chooses from) or drop-in (no booking; the patient just shows up).
    """

    name = models.CharField(_("name"), max_length=INVESTIGATION_NAME_MAX_LENGTH)
    department = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.DEPARTMENT},
        verbose_name=_("performing department"),
    )
    preparation = models.TextField(
        _("preparation for the patient"),
        max_length=PREPARATION_MAX_LENGTH,
        blank=True,
        help_text=_("What the GP tells the patient, e.g. fasting or clothing."),
    )
    drop_in = models.BooleanField(
        _("drop-in"), default=False, help_text=_("The patient comes without a booked time.")
    )
    resource = models.ForeignKey(
        "bookings.Resource",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "investigation"},
        verbose_name=_("bookable times"),
        help_text=_("The department's bookable resource; empty for drop-in."),
    )
    drop_in_hours = models.CharField(_("drop-in hours"), max_length=200, blank=True)
    active = models.BooleanField(_("offered to GPs"), default=True)

    class Meta:
        verbose_name = _("investigation")
        verbose_name_plural = _("investigations")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="investigation_type_unique_name"),
            models.CheckConstraint(
                condition=(Q(drop_in=True) & Q(resource__isnull=True))
                | (Q(drop_in=False) & Q(resource__isnull=False)),
                name="investigation_type_bookable_or_drop_in",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.department_id and self.department.kind != Organisation.Kind.DEPARTMENT:
            raise ValidationError({"department": _("The performing department is a hospital department.")})
        if self.drop_in and self.resource_id:
            raise ValidationError({"resource": _("A drop-in investigation has no bookable times.")})
        if not self.drop_in and not self.resource_id:
            raise ValidationError({"resource": _("Choose the bookable times, or mark it drop-in.")})
        if self.resource_id:
            if self.resource.kind != "investigation":
                raise ValidationError({"resource": _("Choose a resource of the kind investigation.")})
            if self.resource.organisation_id != self.department_id:
                raise ValidationError({"resource": _("The bookable times must be the department's own.")})


class InvestigationOrder(models.Model):
    """A GP's order of an investigation for a patient; the practice keeps treatment responsibility."""

    class State(models.TextChoices):
        ORDERED = "ordered", _("Ordered (drop-in)")
        BOOKED = "booked", _("Booked")
        PERFORMED = "performed", _("Performed")
        RESULT_AVAILABLE = "result", _("Result notice available")
        ACKNOWLEDGED = "acknowledged", _("Result followed up by the GP")

    AWAITING_DEPARTMENT = (State.ORDERED, State.BOOKED, State.PERFORMED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        PatientReference, on_delete=models.PROTECT, related_name="+", verbose_name=_("patient")
    )
    practice = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("ordering practice")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("ordering GP")
    )
    investigation_type = models.ForeignKey(
        InvestigationType, on_delete=models.PROTECT, related_name="orders", verbose_name=_("investigation")
    )
    # The type's department when ordered: an editor moving the type does not move the order.
    department = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("performing department")
    )
    clinical_question = models.TextField(_("clinical question"), max_length=CLINICAL_QUESTION_MAX_LENGTH)
    booking = models.ForeignKey(
        "bookings.Booking",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("booked time"),
    )
    state = models.CharField(_("state"), max_length=15, choices=State.choices)
    created_at = models.DateTimeField(_("ordered"), default=timezone.now)
    last_step_at = models.DateTimeField(_("last step"), default=timezone.now)
    performed_at = models.DateTimeField(_("took place"), null=True, blank=True)
    result_notice = models.TextField(_("result notice"), max_length=RESULT_NOTICE_MAX_LENGTH, blank=True)
    result_at = models.DateTimeField(_("result notice given"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("followed up"), null=True, blank=True)
    # The last reminder to the practice while the result notice waits (``referrals_remind``).
    result_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    client_token = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("investigation order")
        verbose_name_plural = _("investigation orders")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="booked") | Q(booking__isnull=False),
                name="investigation_booked_has_booking",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["performed", "result", "acknowledged"])
                | Q(performed_at__isnull=False),
                name="investigation_performed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["result", "acknowledged"])
                | (Q(result_at__isnull=False) & ~Q(result_notice="")),
                name="investigation_result_has_notice",
            ),
            models.CheckConstraint(
                condition=~Q(state="acknowledged") | Q(acknowledged_at__isnull=False),
                name="investigation_acknowledged_has_time",
            ),
            models.UniqueConstraint(
                fields=["author", "client_token"],
                condition=Q(client_token__isnull=False),
                name="investigation_unique_client_token",
            ),
        ]
        indexes = [
            models.Index(fields=["practice", "-created_at"], name="investigation_practice_idx"),
            models.Index(fields=["department", "state"], name="investigation_department_idx"),
            models.Index(fields=["state", "result_at"], name="investigation_result_idx"),
        ]

    def __str__(self):
        # Never the patient: str() ends up in logs.
        return f"InvestigationOrder {self.public_id}"

    @property
    def appointment(self):
        return self.booking.slot if self.booking_id else None


class InvestigationOrderEvent(models.Model):
    """The order's history: who did what when. No clinical text (that lives on the order)."""

    class Kind(models.TextChoices):
        ORDERED = "ordered", _("Ordered")
        BOOKED = "booked", _("Time booked")
        PERFORMED = "performed", _("Investigation performed")
        RESULT = "result", _("Result notice given")
        ACKNOWLEDGED = "acknowledged", _("Result notice acknowledged by the GP")

    order = models.ForeignKey(InvestigationOrder, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=301, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("investigation order event")
        verbose_name_plural = _("investigation order events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"

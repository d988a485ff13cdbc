"""Conferences between a GP and a hospital specialist, the duty rosters, and the shared overview.

A *conference* (konference, never "rådgivning") is a meeting of two specialists as
equals. A GP asks the conference specialist on duty for a specialty in the practice's
health council area; a hospital doctor asks a GP practice (vulnerable patient, before
discharge, palliative handover). The conference is *requested* until someone accepts,
then *open*, then *closed*. After it, the specialist writes a note that goes to the
practice and the GP writes a résumé for the journal (``ConferenceNote``).

The people in it: ``gp`` (practice side) and ``specialist`` (hospital side). For a
GP's request ``specialist`` is the one currently asked (escalation moves it) and then
the one who accepted; for a hospital's request ``gp`` stays empty until a GP of the
addressed practice accepts.

``PatientOverview`` is the shared overview ("Samblik") of an open conference with a
patient. Closing deletes it, rows and all: it is never hidden, only gone.

URLs carry ``public_id`` (a random UUID), never the primary key.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator, URLValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import HealthCouncilArea, Membership, Organisation, Specialty
from portal.accounts.roles import Role
from portal.patients.models import PatientReference

TOPIC_MAX_LENGTH = 200
NOTE_MAX_LENGTH = 4_000
OVERVIEW_TEXT_MAX_LENGTH = 4_000
DIAGNOSIS_TEXT_MAX_LENGTH = 200
DIAGNOSES_MAX = 20

https_validator = URLValidator(schemes=["https"], message=_("The video link must be an https:// address."))
# ICD-10 as WHO and the Danish SKS write it: a letter, two digits, optionally a dot and up to
# four more characters (I48, J44.1, E11.9). The SKS prefix "D" (DJ441) is not accepted: one form.
icd10_validator = RegexValidator(
    r"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$",
    _("Write the ICD-10 code as a letter and two digits, optionally a dot and more, e.g. J44.1."),
)


class DutyPeriod(models.Model):
    """A conference specialist on duty for their specialty in their hospital's area.

    ``specialty`` and ``health_council_area`` are copies of the department's (and its
    hospital's), so that "who is on now" is one indexed look-up: specialty + area +
    ``starts_at <= now < ends_at``.
    """

    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("specialist")
    )
    department = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    specialty = models.ForeignKey(
        Specialty, on_delete=models.PROTECT, related_name="+", verbose_name=_("specialty")
    )
    health_council_area = models.ForeignKey(
        HealthCouncilArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("health council area")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    phone = models.CharField(_("phone on duty"), max_length=30)
    video_url = models.URLField(_("video link"), max_length=500, blank=True, validators=[https_validator])

    class Meta:
        verbose_name = _("duty period")
        verbose_name_plural = _("duty periods")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="duty_period_ends_after_start"
            )
        ]
        indexes = [
            models.Index(fields=["specialty", "health_council_area", "starts_at"], name="duty_on_now_idx"),
            models.Index(fields=["specialist", "starts_at"], name="duty_specialist_idx"),
        ]

    def __str__(self):
        return f"{self.specialist} {self.starts_at:%Y-%m-%d %H:%M}"

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("A duty period ends after it starts.")
        if self.department_id:
            department = self.department
            if department.kind != Organisation.Kind.DEPARTMENT:
                errors["department"] = _("A duty period belongs to a hospital department.")
            else:
                if self.specialty_id != department.specialty_id:
                    errors["specialty"] = _("The specialty is the department's.")
                area = department.area
                if area is None or self.health_council_area_id != area.pk:
                    errors["health_council_area"] = _("The health council area is the hospital's.")
            if (
                self.specialist_id
                and not Membership.objects.filter(
                    user_id=self.specialist_id,
                    organisation_id=self.department_id,
                    role=Role.HOSPITAL_SPECIALIST,
                    is_conference_specialist=True,
                ).exists()
            ):
                errors["specialist"] = _("Only a conference specialist of the department can be on duty.")
        if errors:
            raise ValidationError(errors)


class Conference(models.Model):
    class Kind(models.TextChoices):
        DIRECT = "direct", _("Request from general practice")
        VULNERABLE = "vulnerable", _("Vulnerable patient")
        DISCHARGE = "discharge", _("Before discharge")
        PALLIATIVE = "palliative", _("Palliative handover")

    HOSPITAL_KINDS = (Kind.VULNERABLE, Kind.DISCHARGE, Kind.PALLIATIVE)

    class Initiator(models.TextChoices):
        PRACTICE = "practice", _("General practice")
        HOSPITAL = "hospital", _("Hospital")

    class Urgency(models.TextChoices):
        ACUTE = "acute", _("Within the hour")
        TODAY = "today", _("Today")
        PLANNED = "planned", _("Within a few days")

    class Mode(models.TextChoices):
        PHONE = "phone", _("Phone")
        VIDEO = "video", _("Video")
        WRITTEN = "written", _("Written")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    initiated_by = models.CharField(_("initiated by"), max_length=10, choices=Initiator.choices)
    topic = models.CharField(_("topic"), max_length=TOPIC_MAX_LENGTH)
    template_answers = models.JSONField(_("answers to the template"), default=dict, blank=True)
    patient = models.ForeignKey(
        PatientReference,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("patient"),
    )
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    mode = models.CharField(_("preferred form"), max_length=10, choices=Mode.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)

    practice = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("general practice")
    )
    department = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    # What a GP asked for; escalation looks for the next on duty here.
    specialty = models.ForeignKey(
        Specialty, on_delete=models.PROTECT, related_name="+", verbose_name=_("specialty")
    )
    health_council_area = models.ForeignKey(
        HealthCouncilArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("health council area")
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    gp = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("general practitioner"),
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hospital specialist"),
    )
    # The duty period the request was sent through: its phone and video link are shown.
    duty_period = models.ForeignKey(
        DutyPeriod, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # When an unanswered request passes to the next on duty; empty once nobody is left.
    escalate_at = models.DateTimeField(_("escalates"), null=True, blank=True)
    # Nobody else was on duty: the requester was told and offered written correspondence.
    unanswered_at = models.DateTimeField(_("nobody else on duty"), null=True, blank=True)
    client_token = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="requested", accepted_at__isnull=True, closed_at__isnull=True)
                | Q(status="open", accepted_at__isnull=False, closed_at__isnull=True)
                | Q(status="closed", accepted_at__isnull=False, closed_at__isnull=False),
                name="conference_status_has_times",
            ),
            models.CheckConstraint(
                condition=Q(initiated_by="practice", kind="direct")
                | (Q(initiated_by="hospital") & ~Q(kind="direct")),
                name="conference_kind_matches_initiator",
            ),
            models.UniqueConstraint(
                fields=["requester", "client_token"],
                condition=Q(client_token__isnull=False),
                name="conference_unique_client_token",
            ),
        ]
        indexes = [
            models.Index(fields=["specialist", "status"], name="conference_specialist_idx"),
            models.Index(fields=["gp", "status"], name="conference_gp_idx"),
            # The dashboard's requests a user sent and nobody accepted yet: bounded by the open
            # work, not by every conference the user ever asked for.
            models.Index(fields=["requester", "status"], name="conference_requester_idx"),
            models.Index(fields=["practice", "status"], name="conference_practice_idx"),
            models.Index(fields=["status", "escalate_at"], name="conference_escalate_idx"),
            models.Index(fields=["department", "requested_at"], name="conference_department_idx"),
        ]

    def __str__(self):
        return self.topic

    @property
    def is_requested(self) -> bool:
        return self.status == self.Status.REQUESTED

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class ConferenceEvent(models.Model):
    """The conference's history: requested, offered to a specialist, escalated, accepted, closed, notes."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        OFFERED = "offered", _("Offered")
        ESCALATED = "escalated", _("Escalated")
        UNANSWERED = "unanswered", _("Nobody else on duty")
        ACCEPTED = "accepted", _("Accepted")
        CLOSED = "closed", _("Closed")
        NOTE = "note", _("Note written")
        RESUME = "resume", _("Résumé written")

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=12, choices=Kind.choices)
    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("by"), max_length=301, blank=True)
    # Offered and escalated: to whom.
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("conference event")
        verbose_name_plural = _("conference events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["conference", "kind"], name="conference_event_kind_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class ConferenceNote(models.Model):
    """The specialist's note (goes to the practice) or the GP's résumé (for the journal). One each."""

    class Kind(models.TextChoices):
        SPECIALIST_NOTE = "note", _("Specialist's note")
        GP_RESUME = "resume", _("GP's résumé")

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    author_name = models.CharField(_("author's name"), max_length=301)
    text = models.TextField(_("text"), max_length=NOTE_MAX_LENGTH)
    written_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("conference note")
        verbose_name_plural = _("conference notes")
        ordering = ["written_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "kind"], name="conference_note_once_per_kind")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.written_at:%Y-%m-%d %H:%M}"


class PatientOverview(models.Model):
    """The shared overview of an open conference with a patient. Deleted, not hidden, at close."""

    class TreatmentLevel(models.TextChoices):
        FULL = "full", _("Full treatment")
        NO_RESUSCITATION = "no_resuscitation", _("No resuscitation")
        NO_INTENSIVE = "no_intensive", _("No resuscitation or intensive care")
        PALLIATIVE = "palliative", _("Palliative treatment only")

    conference = models.OneToOneField(Conference, on_delete=models.CASCADE, related_name="overview")
    treatment_level = models.CharField(
        _("treatment level"), max_length=20, choices=TreatmentLevel.choices, blank=True
    )
    frailty_score = models.PositiveSmallIntegerField(
        _("Clinical Frailty Scale"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )
    medication = models.TextField(_("current medication"), max_length=OVERVIEW_TEXT_MAX_LENGTH, blank=True)
    note = models.TextField(_("note"), max_length=OVERVIEW_TEXT_MAX_LENGTH, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by_name = models.CharField(_("updated by"), max_length=301, blank=True)

    class Meta:
        verbose_name = _("patient overview")
        verbose_name_plural = _("patient overviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(frailty_score__isnull=True) | Q(frailty_score__gte=1, frailty_score__lte=9),
                name="overview_frailty_1_to_9",
            )
        ]

    def __str__(self):
        return f"PatientOverview {self.pk}"


class OverviewDiagnosis(models.Model):
    overview = models.ForeignKey(PatientOverview, on_delete=models.CASCADE, related_name="diagnoses")
    code = models.CharField(_("ICD-10 code"), max_length=10, validators=[icd10_validator])
    text = models.CharField(_("diagnosis"), max_length=DIAGNOSIS_TEXT_MAX_LENGTH)

    class Meta:
        verbose_name = _("diagnosis")
        verbose_name_plural = _("diagnoses")
        ordering = ["pk"]

    def __str__(self):
        return self.code


# --- Drop-in hours -----------------------------------------------------------------------------

DROP_IN_DEFAULT_MINUTES = 60
DROP_IN_MIN_MINUTES, DROP_IN_MAX_MINUTES = 15, 240
DROP_IN_TITLE_MAX_LENGTH = 200


class DropInHour(models.Model):
    """A hospital specialist online at a published time, for the GPs of the area to drop in.

    No patient belongs to a drop-in hour: GPs bring questions, not records. ``specialty``
    and ``health_council_area`` are the department's (and its hospital's), copied so that
    the calendar of an area is one indexed range scan, as for duty periods.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("host")
    )
    department = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    specialty = models.ForeignKey(
        Specialty, on_delete=models.PROTECT, related_name="+", verbose_name=_("specialty")
    )
    health_council_area = models.ForeignKey(
        HealthCouncilArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("health council area")
    )
    title = models.CharField(_("theme"), max_length=DROP_IN_TITLE_MAX_LENGTH, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("length in minutes"),
        default=DROP_IN_DEFAULT_MINUTES,
        validators=[MinValueValidator(DROP_IN_MIN_MINUTES), MaxValueValidator(DROP_IN_MAX_MINUTES)],
    )
    video_url = models.URLField(_("video link"), max_length=500, validators=[https_validator])
    created_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        verbose_name = _("drop-in hour")
        verbose_name_plural = _("drop-in hours")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    duration_minutes__gte=DROP_IN_MIN_MINUTES, duration_minutes__lte=DROP_IN_MAX_MINUTES
                ),
                name="drop_in_length_in_range",
            )
        ]
        indexes = [
            models.Index(fields=["health_council_area", "starts_at"], name="drop_in_area_idx"),
            models.Index(fields=["specialty", "health_council_area", "starts_at"], name="drop_in_feed_idx"),
            models.Index(fields=["host", "starts_at"], name="drop_in_host_idx"),
        ]

    def __str__(self):
        return f"{self.specialty} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    def is_over(self, now=None) -> bool:
        return (now or timezone.now()) >= self.ends_at

    def is_running(self, now=None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at


class DropInAttendance(models.Model):
    """A GP at a drop-in hour: signed up ahead, joined via the link, or both."""

    drop_in = models.ForeignKey(DropInHour, on_delete=models.CASCADE, related_name="attendances")
    gp = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("general practitioner"),
    )
    signed_up_at = models.DateTimeField(_("signed up"), null=True, blank=True)
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True)

    class Meta:
        verbose_name = _("drop-in attendance")
        verbose_name_plural = _("drop-in attendances")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["drop_in", "gp"], name="drop_in_one_attendance_per_gp"),
            models.CheckConstraint(
                condition=Q(signed_up_at__isnull=False) | Q(joined_at__isnull=False),
                name="drop_in_attendance_has_a_time",
            ),
        ]

    def __str__(self):
        return f"{self.gp} @ {self.drop_in}"


# --- Practice visits ---------------------------------------------------------------------------

VISIT_PURPOSE_MAX_LENGTH = 200


class PracticeVisit(models.Model):
    """A hospital specialist's visit to a general practice: planned (who, where, when), then
    recorded as held with a short summary. No patient data: a visit is about cooperation."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("specialist")
    )
    department = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    practice = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("general practice")
    )
    starts_at = models.DateTimeField(_("when"))
    purpose = models.CharField(_("purpose"), max_length=VISIT_PURPOSE_MAX_LENGTH)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    summary = models.TextField(_("summary"), max_length=NOTE_MAX_LENGTH, blank=True)
    held_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    recorded_by_name = models.CharField(_("recorded by"), max_length=301, blank=True)
    created_at = models.DateTimeField(_("planned"), default=timezone.now)

    class Meta:
        verbose_name = _("practice visit")
        verbose_name_plural = _("practice visits")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="planned", held_at__isnull=True) | Q(status="held", held_at__isnull=False),
                name="practice_visit_status_has_time",
            )
        ]
        indexes = [
            models.Index(fields=["specialist", "starts_at"], name="visit_specialist_idx"),
            models.Index(fields=["practice", "starts_at"], name="visit_practice_idx"),
        ]

    def __str__(self):
        return f"{self.practice} {self.starts_at:%Y-%m-%d}"


# --- Joint case sessions -----------------------------------------------------------------------

CASE_SESSION_DEFAULT_MINUTES = 90
CASE_SESSION_MIN_MINUTES, CASE_SESSION_MAX_MINUTES = 30, 240
CASE_SESSION_TITLE_MAX_LENGTH = 200
CASE_SESSION_MAX_CASES_LIMIT = 20
CASE_QUESTION_MAX_LENGTH = 300
CASE_DESCRIPTION_MAX_LENGTH = 4_000
CASE_ANSWER_MAX_LENGTH = 4_000
CASE_DECLINE_REASON_MAX_LENGTH = 500
CASE_SESSION_MINUTES_MAX_LENGTH = 8_000


class CaseSession(models.Model):
    """A planned joint case session (fælles casekonference, ECHO-like).

    A conference specialist of a department plans it for the department's specialty in its
    hospital's health council area; the GPs of that area sign up and submit anonymised cases
    ahead. The organiser puts cases on the agenda (or declines them with a reason), and after
    the session writes an answer per case and general minutes, published to the participants.
    No patient belongs to a session: cases carry no patient link and no CPR number
    (``anonymity.py``).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("organiser")
    )
    department = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    specialty = models.ForeignKey(
        Specialty, on_delete=models.PROTECT, related_name="+", verbose_name=_("specialty")
    )
    health_council_area = models.ForeignKey(
        HealthCouncilArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("health council area")
    )
    title = models.CharField(_("theme"), max_length=CASE_SESSION_TITLE_MAX_LENGTH)
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("length in minutes"),
        default=CASE_SESSION_DEFAULT_MINUTES,
        validators=[MinValueValidator(CASE_SESSION_MIN_MINUTES), MaxValueValidator(CASE_SESSION_MAX_MINUTES)],
    )
    video_url = models.URLField(_("video link"), max_length=500, validators=[https_validator])
    max_cases = models.PositiveSmallIntegerField(
        _("most cases"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(CASE_SESSION_MAX_CASES_LIMIT)],
    )
    minutes = models.TextField(_("general minutes"), max_length=CASE_SESSION_MINUTES_MAX_LENGTH, blank=True)
    minutes_published_at = models.DateTimeField(_("minutes published"), null=True, blank=True)
    created_at = models.DateTimeField(_("planned"), default=timezone.now)

    class Meta:
        verbose_name = _("joint case session")
        verbose_name_plural = _("joint case sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    duration_minutes__gte=CASE_SESSION_MIN_MINUTES,
                    duration_minutes__lte=CASE_SESSION_MAX_MINUTES,
                ),
                name="case_session_length_in_range",
            ),
            models.CheckConstraint(
                condition=Q(max_cases__gte=1, max_cases__lte=CASE_SESSION_MAX_CASES_LIMIT),
                name="case_session_cap_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["health_council_area", "starts_at"], name="case_session_area_idx"),
            models.Index(fields=["organiser", "starts_at"], name="case_session_organiser_idx"),
        ]

    def __str__(self):
        return f"{self.title} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    def has_started(self, now=None) -> bool:
        return (now or timezone.now()) >= self.starts_at

    @property
    def minutes_published(self) -> bool:
        return self.minutes_published_at is not None


class CaseSessionParticipant(models.Model):
    """A GP signed up for a joint case session (submitting a case signs you up)."""

    session = models.ForeignKey(CaseSession, on_delete=models.CASCADE, related_name="participants")
    gp = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("general practitioner"),
    )
    signed_up_at = models.DateTimeField(_("signed up"), default=timezone.now)

    class Meta:
        verbose_name = _("case session participant")
        verbose_name_plural = _("case session participants")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "gp"], name="case_session_one_sign_up_per_gp")
        ]
        indexes = [models.Index(fields=["gp", "session"], name="case_session_gp_idx")]

    def __str__(self):
        return f"{self.gp} @ {self.session}"


class SessionCase(models.Model):
    """An anonymised case a GP brings to a joint case session: a question and a short description.

    No patient link and no CPR number (refused on every write); age band and sex optional.
    *Submitted*, then *accepted* onto the agenda at ``agenda_position`` or *declined* with a
    reason the submitter sees. After the session the organiser writes the ``answer``.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("On the agenda")
        DECLINED = "declined", _("Declined")

    class AgeBand(models.TextChoices):
        CHILD = "0-17", _("0–17 years")
        YOUNG = "18-39", _("18–39 years")
        MIDDLE = "40-64", _("40–64 years")
        OLDER = "65-79", _("65–79 years")
        OLDEST = "80+", _("80 years or older")

    class Sex(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(CaseSession, on_delete=models.CASCADE, related_name="cases")
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    question = models.CharField(_("question"), max_length=CASE_QUESTION_MAX_LENGTH)
    description = models.TextField(_("case description"), max_length=CASE_DESCRIPTION_MAX_LENGTH)
    age_band = models.CharField(_("age band"), max_length=6, choices=AgeBand.choices, blank=True)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    agenda_position = models.PositiveSmallIntegerField(_("place on the agenda"), null=True, blank=True)
    decline_reason = models.CharField(
        _("reason for declining"), max_length=CASE_DECLINE_REASON_MAX_LENGTH, blank=True
    )
    answer = models.TextField(_("answer"), max_length=CASE_ANSWER_MAX_LENGTH, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # The Wagtail page id of the FAQ draft made from this case, if any (no FK: content is
    # another app's; the id is only used to link the organiser to the draft).
    faq_draft_page_id = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("case for a case session")
        verbose_name_plural = _("cases for case sessions")
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="submitted", agenda_position__isnull=True, decided_at__isnull=True)
                | Q(status="accepted", agenda_position__isnull=False, decided_at__isnull=False)
                | (
                    Q(status="declined", agenda_position__isnull=True, decided_at__isnull=False)
                    & ~Q(decline_reason="")
                ),
                name="session_case_status_fields",
            )
        ]
        indexes = [
            models.Index(fields=["session", "status"], name="session_case_status_idx"),
            models.Index(fields=["submitter", "session"], name="session_case_submitter_idx"),
        ]

    def __str__(self):
        return f"SessionCase {self.pk}"

"""Focused stays (fokuserede ophold): specialist trainees' weeks in general practice.

A host practice offers capacity (``HostOffer`` with ``HostPeriod``s: how many trainees at once
in which weeks); a trainee registers a ``StayNeed`` (specialty, time window, length,
preferences, chosen ``LearningObjective``s); a training coordinator of the region runs the
matching (``MatchingRun``), which proposes ``Assignment``s; the coordinator pins or forbids
pairs (``PairRule``) and runs again, then publishes. Practice and trainee each confirm or
decline a published assignment; a decline reopens the need and forbids the pair in later runs.
After the stay both sides evaluate it (``StayEvaluation``).

Stays are planned in whole weeks (Monday to Friday). The region of a need is its department's
region and the region of an offer its practice's: both are copied onto the row when it is
saved, so that "what may this coordinator see" is one indexed comparison.

URLs carry ``public_id`` (a random UUID), never the primary key.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import HealthCouncilArea, Organisation, Region, Specialty
from portal.accounts.roles import Role

NOTES_MAX_LENGTH = 2_000
REASON_MAX_LENGTH = 1_000
OBJECTIVE_TITLE_MAX_LENGTH = 200
OBJECTIVE_TEXT_MAX_LENGTH = 1_000
STAY_LENGTH_MAX_WEEKS = 8
PERIOD_CAPACITY_MAX = 10
# How far ahead anything is planned: a window or a period longer than this is a typo.
PLANNING_HORIZON_DAYS = 2 * 366


class PracticeType(models.TextChoices):
    SOLO = "solo", _("Single-handed practice")
    PARTNERSHIP = "partnership", _("Partnership practice")
    COLLABORATIVE = "collaborative", _("Collaborative practice")
    CLINIC = "clinic", _("Regional clinic")


class RegionCoordinator(models.Model):
    """A training coordinator's region. Coordinators sit in the secretariat as often as in a
    hospital, so their region cannot always be read from their organisation: it is named here.
    A coordinator whose membership is in a hospital or department also coordinates its region."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("coordinator")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))

    class Meta:
        verbose_name = _("region coordinator")
        verbose_name_plural = _("region coordinators")
        constraints = [models.UniqueConstraint(fields=["user", "region"], name="unique_region_coordinator")]

    def __str__(self):
        return f"{self.user} · {self.region}"

    def clean(self):
        super().clean()
        if self.user_id and not self.user.memberships.filter(role=Role.TRAINING_COORDINATOR).exists():
            raise ValidationError({"user": _("Only a training coordinator coordinates a region.")})


class SiteLocation(models.Model):
    """Where a hospital or department is: the starting point of its trainees' journeys."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)

    class Meta:
        verbose_name = _("site location")
        verbose_name_plural = _("site locations")

    def __str__(self):
        return str(self.organisation)


class LearningObjective(models.Model):
    """One learning objective of a specialty's focused stay; coordinators keep the list."""

    specialty = models.ForeignKey(
        Specialty, on_delete=models.PROTECT, related_name="+", verbose_name=_("specialty")
    )
    title = models.CharField(_("objective"), max_length=OBJECTIVE_TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), max_length=OBJECTIVE_TEXT_MAX_LENGTH, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Retired objectives stay on the needs that chose them; new needs cannot choose them.
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("learning objective")
        verbose_name_plural = _("learning objectives")
        ordering = ["specialty", "position", "pk"]

    def __str__(self):
        return self.title


class HostOffer(models.Model):
    """A practice's offer to host trainees: one per practice, its capacity in ``periods``."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("practice")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    area = models.ForeignKey(
        HealthCouncilArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("health council area")
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("supervising GP"),
    )
    specialties = models.ManyToManyField(
        Specialty,
        related_name="+",
        verbose_name=_("welcomed specialties"),
        limit_choices_to={"focused_stay": True},
    )
    practice_type = models.CharField(_("practice type"), max_length=20, choices=PracticeType.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    notes = models.TextField(
        _("practical notes"),
        max_length=NOTES_MAX_LENGTH,
        blank=True,
        help_text=_("Parking, languages spoken, what to bring."),
    )
    is_active = models.BooleanField(_("open for stays"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("host offer")
        verbose_name_plural = _("host offers")
        ordering = ["practice__name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (Q(latitude__isnull=False) & Q(longitude__isnull=False)),
                name="stays_offer_location_whole",
            )
        ]

    def __str__(self):
        return str(self.practice)

    @property
    def location(self) -> tuple[float, float] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return (float(self.latitude), float(self.longitude))


class HostPeriod(models.Model):
    """Weeks in which a practice can host, and how many trainees at once."""

    offer = models.ForeignKey(
        HostOffer, on_delete=models.CASCADE, related_name="periods", verbose_name=_("offer")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    capacity = models.PositiveSmallIntegerField(
        _("trainees at once"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(PERIOD_CAPACITY_MAX)],
    )

    class Meta:
        verbose_name = _("hosting period")
        verbose_name_plural = _("hosting periods")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="stays_period_ordered"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="stays_period_capacity_positive"),
        ]

    def __str__(self):
        return f"{self.starts_on} – {self.ends_on} ({self.capacity})"

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on:
            if self.ends_on < self.starts_on:
                raise ValidationError({"ends_on": _("The period ends before it starts.")})
            if (self.ends_on - self.starts_on).days > PLANNING_HORIZON_DAYS:
                raise ValidationError({"ends_on": _("A period can be at most two years long.")})


class StayNeed(models.Model):
    """A trainee's need for a focused stay: the window it must lie in and what they want from it.

    ``latest_end`` is the last day the stay may end on. The state says whether the coordinator
    still has to find a practice: a declined assignment puts the need back to ``open``.
    """

    class State(models.TextChoices):
        OPEN = "open", _("Awaiting a practice")
        ASSIGNED = "assigned", _("Practice found")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("trainee")
    )
    department = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    specialty = models.ForeignKey(
        Specialty, on_delete=models.PROTECT, related_name="+", verbose_name=_("specialty")
    )
    earliest_start = models.DateField(_("earliest start"))
    latest_end = models.DateField(_("latest end"))
    length_weeks = models.PositiveSmallIntegerField(
        _("length in weeks"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(STAY_LENGTH_MAX_WEEKS)],
    )
    preferred_areas = models.ManyToManyField(
        HealthCouncilArea, blank=True, related_name="+", verbose_name=_("preferred areas")
    )
    preferred_practice_types = models.JSONField(_("preferred practice types"), default=list, blank=True)
    objectives = models.ManyToManyField(
        LearningObjective, blank=True, related_name="+", verbose_name=_("learning objectives")
    )
    notes = models.TextField(_("notes to the coordinator"), max_length=NOTES_MAX_LENGTH, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("stay need")
        verbose_name_plural = _("stay needs")
        ordering = ["earliest_start", "pk"]
        indexes = [models.Index(fields=["region", "state"], name="stays_need_region_state")]
        constraints = [
            models.CheckConstraint(
                condition=Q(latest_end__gt=models.F("earliest_start")), name="stays_need_window_ordered"
            ),
            models.CheckConstraint(
                condition=Q(length_weeks__gte=1) & Q(length_weeks__lte=STAY_LENGTH_MAX_WEEKS),
                name="stays_need_length_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.trainee} · {self.specialty}"


class MatchingRun(models.Model):
    """One run of the matching for a region: the solver's figures and the needs it could not place.

    ``infeasible`` holds ``{"need": <need public id>, "reason": <code>, "message": <Danish text>}``
    rows as the solver explained them. The proposals are the run's ``assignments``.
    """

    class Status(models.TextChoices):
        OPTIMAL = "optimal", _("Optimal")
        FEASIBLE = "feasible", _("Good, not proven optimal")
        INFEASIBLE = "infeasible", _("No solution")
        FAILED = "failed", _("Failed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("run by")
    )
    started_at = models.DateTimeField(_("started"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    objective = models.FloatField(_("objective"), null=True, blank=True)
    best_bound = models.FloatField(_("best bound"), null=True, blank=True)
    gap = models.FloatField(_("optimality gap"), null=True, blank=True)
    wall_time_s = models.FloatField(_("solving time (s)"), default=0)
    needs_count = models.PositiveIntegerField(_("needs"), default=0)
    offers_count = models.PositiveIntegerField(_("offers"), default=0)
    infeasible = models.JSONField(_("needs not placed"), default=list, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["region", "-started_at"], name="stays_run_region_started")]

    def __str__(self):
        return f"{self.region} · {self.started_at:%Y-%m-%d %H:%M}"


class Assignment(models.Model):
    """A trainee's stay in a practice, as proposed by a run and, once published, as agreed.

    proposed → published → confirmed (when both practice and trainee have confirmed), or
    declined by either side with a reason. A proposal the coordinator did not publish is
    discarded by the next run of the region.
    """

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        PUBLISHED = "published", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        DISCARDED = "discarded", _("Not published")

    class Side(models.TextChoices):
        PRACTICE = "practice", _("Practice")
        TRAINEE = "trainee", _("Trainee")

    # The states in which the stay holds a place in the practice's capacity.
    HOLDING = (State.PUBLISHED, State.CONFIRMED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    run = models.ForeignKey(
        MatchingRun, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("matching run")
    )
    need = models.ForeignKey(
        StayNeed, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("need")
    )
    offer = models.ForeignKey(
        HostOffer, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("practice")
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    length_weeks = models.PositiveSmallIntegerField(_("length in weeks"))
    distance_km = models.FloatField(_("distance (km)"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PROPOSED)
    practice_confirmed_at = models.DateTimeField(_("confirmed by the practice"), null=True, blank=True)
    trainee_confirmed_at = models.DateTimeField(_("confirmed by the trainee"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("declined by"),
    )
    declined_side = models.CharField(_("declined by side"), max_length=20, choices=Side.choices, blank=True)
    decline_reason = models.TextField(_("reason for declining"), max_length=REASON_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("stay")
        verbose_name_plural = _("stays")
        ordering = ["starts_on", "pk"]
        indexes = [models.Index(fields=["offer", "state"], name="stays_assignment_offer_state")]
        constraints = [
            # A need holds at most one live stay at a time.
            models.UniqueConstraint(
                fields=["need"],
                condition=Q(state__in=["published", "confirmed"]),
                name="stays_one_live_assignment_per_need",
            ),
            models.UniqueConstraint(fields=["run", "need"], name="stays_one_proposal_per_need_and_run"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="stays_assignment_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.need} · {self.offer} · {self.starts_on}"


class PairRule(models.Model):
    """A coordinator's pin (this trainee goes to this practice) or forbid (never this pair).

    Rules belong to the region and bind every later run until removed. A decline adds a forbid
    of its pair by itself (``from_decline``), so that the next run does not propose it again.
    """

    class Kind(models.TextChoices):
        PIN = "pin", _("Pinned")
        FORBID = "forbid", _("Forbidden")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    need = models.ForeignKey(
        StayNeed, on_delete=models.CASCADE, related_name="pair_rules", verbose_name=_("need")
    )
    offer = models.ForeignKey(
        HostOffer, on_delete=models.CASCADE, related_name="+", verbose_name=_("practice")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    from_decline = models.BooleanField(_("from a decline"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("pair rule")
        verbose_name_plural = _("pair rules")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["need", "offer"], name="stays_one_rule_per_pair")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.need} · {self.offer}"


# An evaluation can be given, and changed by its author, until this many days after the stay
# ended: long enough for a busy GP, short enough that the yearly report does not shift later.
EVALUATION_WINDOW_DAYS = 60
SCORE_MIN, SCORE_MAX = 1, 5


class StayEvaluation(models.Model):
    """After a stay: the trainee evaluates the practice, the supervising GP evaluates the stay.

    One per direction and stay; its author may change it until ``EVALUATION_WINDOW_DAYS`` after
    the stay ended. The supervisor scores each of the stay's learning objectives
    (``ObjectiveScore``); both give an overall score and may add a comment.
    """

    class Direction(models.TextChoices):
        OF_PRACTICE = "of_practice", _("The trainee's evaluation of the practice")
        OF_STAY = "of_stay", _("The supervisor's evaluation of the stay")

    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("stay")
    )
    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    score = models.PositiveSmallIntegerField(
        _("overall score"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )
    comment = models.TextField(_("comment"), max_length=NOTES_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("stay evaluation")
        verbose_name_plural = _("stay evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "direction"], name="stays_one_evaluation_per_direction"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="stays_evaluation_score_range"
            ),
        ]

    def __str__(self):
        return f"{self.assignment} · {self.get_direction_display()}"


class ObjectiveScore(models.Model):
    """The supervisor's score of how far the stay reached one of its learning objectives."""

    evaluation = models.ForeignKey(
        StayEvaluation,
        on_delete=models.CASCADE,
        related_name="objective_scores",
        verbose_name=_("evaluation"),
    )
    objective = models.ForeignKey(
        LearningObjective, on_delete=models.PROTECT, related_name="+", verbose_name=_("learning objective")
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )

    class Meta:
        verbose_name = _("objective score")
        verbose_name_plural = _("objective scores")
        ordering = ["objective__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "objective"], name="stays_one_score_per_objective"),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="stays_objective_score_range"
            ),
        ]

    def __str__(self):
        return f"{self.objective} · {self.score}"

"""People, the organisations they work in, and the specialties.

The user model is custom from the first migration so that later modules never
have to swap it. People log in with their e-mail address.
"""

import rules
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import ROLE_ORGANISATION_KINDS, Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with a login. Always a named person, never a department."""

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    # Shown with every message a clinician writes: name, title and phone.
    title = models.CharField(_("job title"), max_length=150, blank=True)
    phone = models.CharField(_("direct phone"), max_length=30, blank=True)
    # E-mails that need an action (a question to answer, a deadline, a request) always go out;
    # these only tell what happened (a thread closed, a note written, minutes published).
    informational_emails = models.BooleanField(_("e-mails for your information"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name

    def has_perm(self, perm, obj=None):
        """Permissions defined by django-rules are decided by their rules, for superusers too.

        Django lets an active superuser through every permission before any backend
        runs, so the object rules (who may see a patient's thread) never ran for the
        portal's administrators. Administrators administer, they do not read patients'
        threads: a rule that should let superusers through says so (``is_administrator``,
        the access log's ``is_superuser``). Permissions without a rule (Wagtail's, the
        snippets' add/delete) keep Django's superuser shortcut.

        For everyone else too the rule is the whole answer: a "no" from a rule used to fall
        through to the model backend, which read the user's and groups' permissions (two
        queries) only to say no again, on every page that asks.
        """
        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)

    def has_role(self, role: Role) -> bool:
        return self.memberships.filter(role=role).exists()


class Region(models.Model):
    """One of the Danish regions that run the hospitals."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), unique=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class HealthCouncilArea(models.Model):
    """Sundhedsrådsområde: the area in which every specialty must be reachable."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="health_council_areas", verbose_name=_("region")
    )

    class Meta:
        verbose_name = _("health council area")
        verbose_name_plural = _("health council areas")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Specialty(models.Model):
    """A Danish medical specialty (lægeligt speciale).

    The list is data, loaded by a migration; editors may add or rename through
    the Wagtail snippets admin. ``focused_stay`` marks the specialties whose
    trainees can take a focused stay in general practice.
    """

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    # The internal-medicine specialties share one focused-stay programme.
    group = models.CharField(_("group"), max_length=120, blank=True)
    focused_stay = models.BooleanField(_("offers focused stays"), default=False)

    class Meta:
        verbose_name = _("specialty")
        verbose_name_plural = _("specialties")
        ordering = ["name"]

    def __str__(self):
        return self.name


yder_number_validator = RegexValidator(r"^\d{6}$", _("A provider number (ydernummer) is six digits."))
sor_code_validator = RegexValidator(r"^\d{6,18}$", _("A SOR code is 6 to 18 digits."))


class Organisation(models.Model):
    """A practice, a hospital, a hospital department, a KAP unit or the secretariat."""

    class Kind(models.TextChoices):
        GENERAL_PRACTICE = "general_practice", _("General practice")
        HOSPITAL = "hospital", _("Hospital")
        DEPARTMENT = "department", _("Hospital department")
        KAP_UNIT = "kap_unit", _("KAP unit (practice consultants)")
        SECRETARIAT = "secretariat", _("Samspil secretariat")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="departments",
        verbose_name=_("hospital"),
        help_text=_("For a department: the hospital it belongs to."),
    )
    health_council_area = models.ForeignKey(
        HealthCouncilArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("health council area"),
    )
    specialty = models.ForeignKey(
        Specialty,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="departments",
        verbose_name=_("specialty"),
    )
    yder_number = models.CharField(
        _("provider number"), max_length=6, blank=True, validators=[yder_number_validator]
    )
    sor_code = models.CharField(_("SOR code"), max_length=18, blank=True, validators=[sor_code_validator])
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["yder_number"], condition=~Q(yder_number=""), name="unique_yder_number"
            ),
            models.UniqueConstraint(fields=["sor_code"], condition=~Q(sor_code=""), name="unique_sor_code"),
            models.CheckConstraint(
                condition=~Q(kind="department") | (Q(parent__isnull=False) & Q(specialty__isnull=False)),
                name="department_has_hospital_and_specialty",
            ),
            models.CheckConstraint(
                condition=~Q(kind="general_practice") | ~Q(yder_number=""),
                name="practice_has_yder_number",
            ),
        ]

    def __str__(self):
        if self.kind == self.Kind.DEPARTMENT and self.parent_id:
            return f"{self.name}, {self.parent.name}"
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == self.Kind.DEPARTMENT:
            if not self.parent_id:
                errors["parent"] = _("A department belongs to a hospital.")
            elif self.parent.kind != self.Kind.HOSPITAL:
                errors["parent"] = _("A department's parent must be a hospital.")
            if not self.specialty_id:
                errors["specialty"] = _("A department has a specialty.")
        elif self.parent_id:
            errors["parent"] = _("Only departments belong to a hospital.")
        if self.kind == self.Kind.GENERAL_PRACTICE and not self.yder_number:
            errors["yder_number"] = _("A general practice has a provider number.")
        if errors:
            raise ValidationError(errors)

    @property
    def area(self):
        """A department is in its hospital's health council area."""
        if self.health_council_area_id:
            return self.health_council_area
        return self.parent.health_council_area if self.parent_id else None


class Membership(models.Model):
    """A person's role in an organisation."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    # A hospital specialist the GP can reach directly, without secretary triage.
    is_conference_specialist = models.BooleanField(_("conference specialist"), default=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="unique_membership"),
            models.CheckConstraint(
                condition=Q(is_conference_specialist=False) | Q(role=Role.HOSPITAL_SPECIALIST),
                name="conference_specialist_is_hospital_specialist",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"

    def clean(self):
        super().clean()
        if self.organisation_id and self.role:
            allowed = ROLE_ORGANISATION_KINDS[Role(self.role)]
            if self.organisation.kind not in allowed:
                raise ValidationError({"role": _("This role cannot be held in this kind of organisation.")})
        if self.is_conference_specialist and self.role != Role.HOSPITAL_SPECIALIST:
            raise ValidationError(
                {"is_conference_specialist": _("Only a hospital specialist can be a conference specialist.")}
            )


class CalendarFeedToken(models.Model):
    """A personal secret for subscribing to one of one's calendars from a calendar program.

    Calendar programs cannot log in (let alone with a second factor), so the feed URL carries
    this random token instead: no user id, nothing personal. One token per user and feed, so
    that renewing the link of one calendar leaves the others working; renewing replaces the
    secret and every old link stops working. Each module's feed view finds the user by
    ``(token, feed)`` and shows only that module's events.
    """

    class Feed(models.TextChoices):
        BOOKINGS = "bookings", _("Bookings")
        DROP_IN = "drop_in", _("Drop-in hours")
        STAYS = "stays", _("Focused stays")

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    feed = models.CharField(_("calendar"), max_length=20, choices=Feed.choices)
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")
        constraints = [models.UniqueConstraint(fields=["user", "feed"], name="accounts_one_token_per_feed")]

    def __str__(self):
        return f"CalendarFeedToken {self.pk}"

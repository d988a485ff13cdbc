"""Written correspondence between general practice and hospital departments.

A *thread* runs between two sides: the side that opened it (``SENDER``) and the
side it was addressed to (``RECIPIENT``). Each side is an organisation: a GP
practice or a hospital department. The recipient organisation is the inbox the
thread currently sits in; re-routing moves it, and every move is an event.

Deadlines: a message that awaits an answer carries ``due_at``; the thread copies
the earliest open due time and whose turn it is (``awaiting``) so that inbox
queries are single indexed look-ups instead of aggregates over messages.

URLs carry ``public_id`` (a random UUID), never the primary key: ids that count
up would tell a curious user how many threads exist and invite guessing.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import HealthCouncilArea, Organisation, Specialty
from portal.patients.models import PatientReference

from .medcom.model import PRIORITY_CATEGORY, category_rule_violations

SUBJECT_MAX_LENGTH = 200
TOPIC_MAX_LENGTH = 60
BODY_MAX_LENGTH = 20_000
SUMMARY_MAX_LENGTH = 2_000
REASON_MAX_LENGTH = 500


class Side(models.TextChoices):
    SENDER = "sender", _("Sender")
    RECIPIENT = "recipient", _("Recipient")

    @property
    def other(self) -> "Side":
        return Side.RECIPIENT if self == Side.SENDER else Side.SENDER


class Category(models.TextChoices):
    """MedCom's CareCommunication categories (ValueSet medcom-careCommunication-categories)."""

    ALCOHOL_AND_DRUG_TREATMENT = "alcohol-and-drug-treatment", _("Alcohol and drug treatment")
    ASSISTIVE_DEVICES = "assistive-devices", _("Assistive devices")
    CARECOORDINATION = "carecoordination", _("Care coordination")
    DECEASE = "decease", _("Death")
    DISCHARGE = "discharge", _("Discharge")
    EXAMINATION_RESULTS = "examination-results", _("Examination results")
    HEALTHCARE = "healthcare", _("Healthcare")
    HOME_CARE_ASSESSMENT = "home-care-assessment", _("Home care assessment")
    MEDICINE = "medicine", _("Medicine")
    NURSING = "nursing", _("Nursing")
    OUTPATIENT = "outpatient", _("Outpatient treatment")
    PSYCHIATRY_SOCIAL_DISABILITY = "psychiatry-social-disability", _("Psychiatry and social disability")
    REGARDING_REFERRAL = "regarding-referral", _("Regarding a referral")
    TELEMEDICINE = "telemedicine", _("Telemedicine")
    TRAINING = "training", _("Training")
    ACUTE_AMBULANT = "acute-ambulant", _("Acute ambulant care")
    EXTENDED_CARE_RESPONSIBILITY = "extended-care-responsibility", _("Extended care responsibility")
    OTHER = "other", _("Other")


class Priority(models.TextChoices):
    """FHIR request-priority; MedCom allows it only in the category "regarding-referral"."""

    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")
    ASAP = "asap", _("As soon as possible")
    STAT = "stat", _("Immediately")


class Thread(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX_LENGTH)
    category = models.CharField(_("category"), max_length=40, choices=Category.choices)
    topic = models.CharField(_("topic"), max_length=TOPIC_MAX_LENGTH, blank=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, blank=True)
    patient = models.ForeignKey(
        PatientReference,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("patient"),
    )

    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
        help_text=_("Empty for threads imported from another system."),
    )
    sender_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("sender")
    )
    # What the opener addressed: a specialty in a health council area, or a named organisation.
    addressed_specialty = models.ForeignKey(
        Specialty,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("addressed specialty"),
    )
    addressed_area = models.ForeignKey(
        HealthCouncilArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("addressed health council area"),
    )
    recipient_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("recipient")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible clinician"),
    )

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    awaiting = models.CharField(_("awaiting a reply from"), max_length=10, choices=Side.choices, blank=True)
    due_at = models.DateTimeField(_("reply due"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(_("overdue notice sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_message_at = models.DateTimeField(_("last message"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closing_summary = models.TextField(_("summary"), max_length=SUMMARY_MAX_LENGTH, blank=True)

    # MedCom: Communication.identifier, the same through every reply of the conversation.
    conversation_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The opener's form token: submitting the same form twice opens one thread.
    client_token = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        ordering = ["-last_message_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(priority="") | Q(category=PRIORITY_CATEGORY),
                name="thread_priority_only_regarding_referral",
            ),
            models.CheckConstraint(
                condition=~Q(category=Category.OTHER) | ~Q(topic=""),
                name="thread_other_category_has_topic",
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="thread_closed_has_time",
            ),
            models.UniqueConstraint(
                fields=["opened_by", "client_token"],
                condition=Q(client_token__isnull=False),
                name="thread_unique_client_token",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient_organisation", "status", "-last_message_at"]),
            models.Index(fields=["sender_organisation", "status", "-last_message_at"]),
            models.Index(fields=["status", "due_at"]),
        ]

    def __str__(self):
        return self.subject

    def clean(self):
        # Forms, services and the import all reach MedCom's rule here, through full_clean();
        # the check constraints above only keep rows that bypass full_clean() honest.
        violations = category_rule_violations(
            category=self.category, topic=self.topic, priority=self.priority
        )
        if violations:
            raise ValidationError(violations)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def is_overdue(self, now=None) -> bool:
        # At the due instant it is not yet overdue (deadlines.is_overdue).
        return bool(self.is_open and self.due_at and self.due_at < (now or timezone.now()))

    @property
    def last_activity_at(self):
        """The last message or the closing, whichever came later: what "unread" compares with."""
        return max(self.last_message_at, self.closed_at) if self.closed_at else self.last_message_at

    def organisation_on(self, side: str) -> Organisation:
        return self.sender_organisation if side == Side.SENDER else self.recipient_organisation


class Participant(models.Model):
    """A person in a thread: the opener, the clinician who claimed it, anyone who wrote.

    Participants see the thread whatever their organisation's inbox settings say.
    """

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="participant_once_per_thread")]
        indexes = [models.Index(fields=["user", "side"])]

    def __str__(self):
        return f"{self.user} ({self.get_side_display()})"


class ReadMark(models.Model):
    """The read receipt: every message created at or before ``read_at`` was read by ``user``.

    Separate from Participant because reading does not make one a participant (a
    colleague covering the inbox reads without taking the thread on).
    """

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    read_at = models.DateTimeField(_("read until"))

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="read_mark_once_per_thread")]

    def __str__(self):
        return f"{self.user} {self.read_at:%Y-%m-%d %H:%M}"


class Message(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
        help_text=_("Empty for messages imported from another system; the name below is kept."),
    )
    # The author as shown, captured when sending: a later change of title or phone does
    # not rewrite what the recipient was told. Always a named person.
    author_name = models.CharField(_("author's name"), max_length=301)
    author_title = models.CharField(_("author's title"), max_length=150, blank=True)
    author_phone = models.CharField(_("author's phone"), max_length=30, blank=True)
    author_organisation_name = models.CharField(_("author's organisation"), max_length=200, blank=True)
    # The side's organisation when it was sent (re-routing later moves the thread, not the message).
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"), max_length=BODY_MAX_LENGTH)
    body_html = models.TextField(_("message (sanitised HTML)"), editable=False)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    due_at = models.DateTimeField(_("reply due"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # The organisation whose reply answered it: what the quality view groups by.
    answered_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    client_token = models.UUIDField(null=True, blank=True, editable=False)
    # MedCom: the MessageHeader id this message was sent or received as; the payload identifier.
    medcom_message_id = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    medcom_payload_id = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "author", "client_token"],
                condition=Q(client_token__isnull=False),
                name="message_unique_client_token",
            ),
        ]
        indexes = [
            models.Index(fields=["thread", "created_at"]),
            models.Index(fields=["answered_by_organisation", "answered_at"]),
            models.Index(fields=["organisation", "answered_at"]),
        ]

    def __str__(self):
        return f"{self.author_name}, {self.created_at:%Y-%m-%d %H:%M}"


def attachment_path(instance, filename):
    # The original name is kept in the row; the stored name reveals nothing.
    return f"correspondence/{uuid.uuid4().hex}"


class Attachment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self):
        return self.filename


class ThreadEvent(models.Model):
    """The thread's history: who opened, claimed, assigned, re-routed and closed it."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Opened")
        CLAIMED = "claimed", _("Claimed")
        ASSIGNED = "assigned", _("Assigned")
        REROUTED = "rerouted", _("Re-routed")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")
        OVERDUE = "overdue", _("Reply overdue; the responsible person was told")
        IMPORTED = "imported", _("Imported")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("by"), max_length=301, blank=True)
    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=REASON_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("thread event")
        verbose_name_plural = _("thread events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class InboxSettings(models.Model):
    """How an organisation's correspondence inbox works. No row means the defaults."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="inbox_settings", verbose_name=_("organisation")
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person"),
        help_text=_("Told by e-mail when a reply from this organisation is overdue."),
    )
    shared_with_members = models.BooleanField(
        _("all members see the inbox"),
        default=True,
        help_text=_("When off, only the people in a thread (and secretaries who distribute) see it."),
    )
    reply_working_days = models.PositiveSmallIntegerField(
        _("reply deadline in working days"),
        null=True,
        blank=True,
        help_text=_("Empty: the specialty's deadline, or 3 working days."),
    )

    class Meta:
        verbose_name = _("inbox settings")
        verbose_name_plural = _("inbox settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(reply_working_days__isnull=True)
                | Q(reply_working_days__gte=1, reply_working_days__lte=30),
                name="inbox_reply_days_in_range",
            )
        ]

    def __str__(self):
        return str(self.organisation)


class SpecialtyDeadline(models.Model):
    """The reply deadline for departments of a specialty, unless the department sets its own."""

    specialty = models.OneToOneField(
        Specialty, on_delete=models.CASCADE, related_name="reply_deadline", verbose_name=_("specialty")
    )
    reply_working_days = models.PositiveSmallIntegerField(_("reply deadline in working days"))

    class Meta:
        verbose_name = _("specialty reply deadline")
        verbose_name_plural = _("specialty reply deadlines")
        constraints = [
            models.CheckConstraint(
                condition=Q(reply_working_days__gte=1, reply_working_days__lte=30),
                name="specialty_reply_days_in_range",
            )
        ]

    def __str__(self):
        return f"{self.specialty}: {self.reply_working_days}"


class InboxEntry(models.Model):
    """One way into a thread for the inbox views: a participant, or the sender or recipient
    organisation, with a copy of the thread's columns the boxes filter and sort on.

    A projection, rebuilt from the thread and its participants whenever either is saved
    (``projection.inbox_entries_refresh``, wired in ``apps.py``); never edited otherwise. It
    exists for speed: every box becomes index ranges on this narrow table, where on the
    threads it was an OR of the ways in with participant subqueries, which the databases
    answer by reading a busy department's every thread (PostgreSQL: all threads).
    """

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, related_name="+")
    side = models.CharField(max_length=10, choices=Side.choices)  # the participant's or organisation's side
    status = models.CharField(max_length=10, choices=Thread.Status.choices)
    awaiting = models.CharField(max_length=10, choices=Side.choices, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recipient_organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    due_at = models.DateTimeField(null=True)
    last_message_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("inbox entry")
        verbose_name_plural = _("inbox entries")
        indexes = [
            models.Index(fields=["user", "status", "awaiting"]),
            models.Index(fields=["organisation", "status", "awaiting"]),
        ]

    def __str__(self):
        return f"{self.thread_id}: {self.user_id or self.organisation_id}"


class DeadLetter(models.Model):
    """A MedCom message the portal received but cannot deliver, kept until it can be.

    Today: a bundle addressed to an organisation the portal does not serve (an unknown SOR code,
    or an organisation without members, whose inbox nobody reads). It is never reported as
    delivered; an administrator sees the list (reason, sender, receiver, when) and retries it
    once the organisation exists. The raw bundle is kept encrypted, since it carries the
    patient's CPR number; nothing shown in the list comes from the patient.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        DELIVERED = "delivered", _("Delivered")
        REFUSED = "refused", _("Refused")

    received_at = models.DateTimeField(_("received"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    reason = models.CharField(_("reason"), max_length=REASON_MAX_LENGTH)
    header_id = models.CharField(_("MessageHeader id"), max_length=64, unique=True)
    sender_sor = models.CharField(_("sender's SOR code"), max_length=18, blank=True)
    sender_name = models.CharField(_("sender"), max_length=200, blank=True)
    receiver_sor = models.CharField(_("receiver's SOR code"), max_length=18, blank=True)
    receiver_name = models.CharField(_("receiver"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    last_attempt_at = models.DateTimeField(_("last attempt"), default=timezone.now)
    thread = models.ForeignKey(
        Thread,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delivered to thread"),
    )
    # Fernet token (portal.patients.crypto keys) of the bundle exactly as received.
    bundle_encrypted = models.TextField(editable=False)

    class Meta:
        verbose_name = _("undelivered MedCom message")
        verbose_name_plural = _("undelivered MedCom messages")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["status", "-received_at"])]

    def __str__(self):
        return f"{self.sender_name or self.sender_sor} → {self.receiver_name or self.receiver_sor}"

"""Writes of practice visits: a hospital specialist plans a visit to a practice, and either
participant records it as held with a short summary (once)."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Organisation, User
from portal.accounts.roles import Role
from portal.accounts.selectors import user_has_role_in

from .models import NOTE_MAX_LENGTH, VISIT_PURPOSE_MAX_LENGTH, PracticeVisit
from .services import _name, _require_text


@transaction.atomic
def practice_visit_plan(
    *,
    specialist: User,
    department: Organisation,
    practice: Organisation,
    starts_at: datetime,
    purpose: str,
    now: datetime | None = None,
) -> PracticeVisit:
    now = now or timezone.now()
    if not specialist.has_perm("conferences.add_practicevisit") or not user_has_role_in(
        specialist, department.pk, {Role.HOSPITAL_SPECIALIST}
    ):
        raise PermissionDenied("Only a specialist of the department plans its visits.")
    if practice.kind != Organisation.Kind.GENERAL_PRACTICE:
        raise ValidationError({"practice": _("Choose a general practice.")})
    if starts_at < now:
        raise ValidationError({"starts_at": _("A visit is planned ahead: the time has passed.")})
    _name(specialist)  # the practice must know who is coming
    visit = PracticeVisit(
        specialist=specialist,
        department=department,
        practice=practice,
        starts_at=starts_at,
        purpose=_require_text(
            purpose, field="purpose", label=_("Purpose"), max_length=VISIT_PURPOSE_MAX_LENGTH
        ),
        created_at=now,
    )
    visit.full_clean(exclude=["public_id"])
    visit.save()
    return visit


@transaction.atomic
def practice_visit_record(
    *, visit: PracticeVisit, actor: User, summary: str, now: datetime | None = None
) -> PracticeVisit:
    """Record the visit as held; a recorded visit is never rewritten."""
    visit = PracticeVisit.objects.select_for_update().get(pk=visit.pk)
    if not actor.has_perm("conferences.view_practicevisit", visit):
        raise PermissionDenied("Not a participant of this visit.")
    if visit.status != PracticeVisit.Status.PLANNED:
        raise ValidationError(_("This visit has already been recorded."))
    now = now or timezone.now()
    if now < visit.starts_at:
        raise ValidationError(_("A visit is recorded after it has taken place."))
    visit.summary = _require_text(summary, field="summary", label=_("Summary"), max_length=NOTE_MAX_LENGTH)
    visit.status = PracticeVisit.Status.HELD
    visit.held_at = now
    visit.recorded_by_name = _name(actor)
    visit.save(update_fields=["summary", "status", "held_at", "recorded_by_name"])
    return visit

"""The support pages under /stoette/: the overview of acute slot notes (the practice's incoming
and the acute reception's sent), sending a note, one note, booking a yellow note's time.

Notes are fetched through ``object_for_user_or_404`` by their random ``public_id``: anyone
outside a note gets 404, superusers included. CPR numbers travel only in POST bodies.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts.access import object_for_user_or_404
from portal.core.ical import ics_response
from portal.core.view_errors import service_call

from . import selectors, services
from .forms import AcuteSlotNoteForm, InpatientVisitForm, VideoConsultationForm
from .ical import video_ics as video_ics_body
from .models import AcuteSlotNote, InpatientGpVisit, VideoConsultation
from .rules import acute_departments, is_practice_staff, support_practices, ward_clinician_departments


def _url(note: AcuteSlotNote) -> str:
    return reverse("support:acute_note", kwargs={"public_id": note.public_id})


def _note_or_404(request, public_id, perm: str = "support.view_acuteslotnote") -> AcuteSlotNote:
    return object_for_user_or_404(
        user=request.user, perm=perm, queryset=selectors.note_for_view(), public_id=public_id
    )


@login_required
@never_cache
@require_GET
def home(request):
    practices = support_practices(request.user)
    departments = acute_departments(request.user)
    if not practices and not departments:
        raise Http404
    return render(
        request,
        "support/home.html",
        {
            "incoming": selectors.notes_for_practices([p.pk for p in practices]) if practices else None,
            "sent": selectors.notes_for_departments([d.pk for d in departments]) if departments else None,
            "can_send": bool(departments),
            "now": timezone.now(),
        },
    )


@login_required
@never_cache
@sensitive_post_parameters("cpr")
@require_http_methods(["GET", "POST"])
def acute_note_new(request):
    departments = acute_departments(request.user)
    if not departments:
        raise Http404
    slots = selectors.free_acute_slots()
    if request.method == "POST":
        form = AcuteSlotNoteForm(request.POST, departments=departments, slots=slots)
        if form.is_valid():
            data = form.cleaned_data
            with service_call(form) as call:
                note, _created = services.acute_note_send(
                    author=request.user,
                    department=data["department"],
                    patient_cpr=data["cpr"],
                    colour=data["colour"],
                    reason=data["reason"],
                    slot_id=data["slot"],
                    client_token=data["client_token"],
                    request=request,
                )
            if call.ok:
                if note.booking_id:
                    messages.success(request, _("The acute time is booked and the practice is told."))
                else:
                    messages.success(
                        request,
                        _("The note is sent: tell the patient to call the practice and book the time."),
                    )
                return redirect(_url(note))
            # The free times may have changed while the form was filled in.
            slots = selectors.free_acute_slots()
            form.set_slots(slots)
        status = 400
    else:
        form = AcuteSlotNoteForm(departments=departments, slots=slots)
        status = 200
    return render(
        request, "support/acute_note_new.html", {"form": form, "no_free_times": not slots}, status=status
    )


@login_required
@never_cache
@require_GET
def acute_note(request, public_id):
    note = _note_or_404(request, public_id)
    services.acute_note_read(note=note, user=request.user, request=request)
    return render(
        request,
        "support/acute_note.html",
        {
            "note": note,
            "masked_cpr": note.patient.masked_cpr,
            "can_book": request.user.has_perm("support.book_acuteslotnote", note),
        },
    )


@login_required
@never_cache
@require_POST
def acute_note_book(request, public_id):
    note = _note_or_404(request, public_id)
    if note.booking_id and is_practice_staff(request.user, note):
        # The same button pressed twice (or by a colleague): already done, say so, no error.
        messages.info(request, _("The time is already booked."))
        return redirect(_url(note))
    with service_call() as call:
        services.acute_note_book(note=note, actor=request.user, request=request)
    if call.ok:
        messages.success(request, _("The acute time is booked for the patient."))
        return redirect(_url(note))
    messages.error(request, call.messages)
    services.acute_note_read(note=note, user=request.user, request=request)
    return render(
        request,
        "support/acute_note.html",
        {"note": note, "masked_cpr": note.patient.masked_cpr, "can_book": False},
        status=400,
    )


# --- Video consultations ------------------------------------------------------------------------


def _video_url(consultation) -> str:
    return reverse("support:video", kwargs={"public_id": consultation.public_id})


def _video_or_404(request, public_id) -> VideoConsultation:
    return object_for_user_or_404(
        user=request.user,
        perm="support.view_videoconsultation",
        queryset=selectors.video_for_view(),
        public_id=public_id,
    )


@login_required
@never_cache
@require_GET
def video_list(request):
    organisations = [*support_practices(request.user), *acute_departments(request.user)]
    if not organisations:
        raise Http404
    return render(
        request,
        "support/video_list.html",
        {
            "rows": selectors.videos_for([o.pk for o in organisations]),
            "can_book": bool(ward_clinician_departments(request.user)),
        },
    )


def _chosen_practice(request, practices):
    try:
        chosen = int(request.GET.get("praksis", ""))
    except ValueError:
        return None
    return next((p for p in practices if p.pk == chosen), None)


@login_required
@never_cache
@sensitive_post_parameters("cpr")
@require_http_methods(["GET", "POST"])
def video_new(request):
    departments = ward_clinician_departments(request.user)
    if not departments:
        raise Http404
    practices = selectors.video_practices()
    practice = _chosen_practice(request, practices)
    slots = selectors.free_video_slots(practice)
    status = 200
    if request.method == "POST":
        form = VideoConsultationForm(request.POST, departments=departments, slots=slots)
        if form.is_valid():
            data = form.cleaned_data
            with service_call(form) as call:
                consultation, _created = services.video_consultation_book(
                    actor=request.user,
                    department=data["department"],
                    patient_cpr=data["cpr"],
                    purpose=data["purpose"],
                    video_url=data["video_url"],
                    slot_id=data["slot"],
                    client_token=data["client_token"],
                    request=request,
                )
            if call.ok:
                messages.success(request, _("The video consultation is booked; the GP is told."))
                return redirect(_video_url(consultation))
            slots = selectors.free_video_slots(practice)
            form.fields["slot"].choices = (
                VideoConsultationForm(departments=departments, slots=slots).fields["slot"].choices
            )
        status = 400
    else:
        form = VideoConsultationForm(departments=departments, slots=slots)
    return render(
        request,
        "support/video_new.html",
        {"form": form, "practices": practices, "practice": practice, "no_free_times": practice and not slots},
        status=status,
    )


@login_required
@never_cache
@require_GET
def video_detail(request, public_id):
    consultation = _video_or_404(request, public_id)
    services.video_consultation_read(consultation=consultation, user=request.user, request=request)
    return render(
        request,
        "support/video.html",
        {"consultation": consultation, "masked_cpr": consultation.patient.masked_cpr},
    )


@login_required
@never_cache
@require_GET
def video_ics(request, public_id):
    """The calendar file holds no patient data, so it is not a read of the patient."""
    consultation = _video_or_404(request, public_id)
    body = video_ics_body(consultation, page_url=request.build_absolute_uri(_video_url(consultation)))
    return ics_response(body, filename=f"videokonsultation-{consultation.public_id}.ics")


# --- Inpatients to their own GP -----------------------------------------------------------------


def _visit_url(visit) -> str:
    return reverse("support:visit", kwargs={"public_id": visit.public_id})


def _visit_or_404(request, public_id) -> InpatientGpVisit:
    return object_for_user_or_404(
        user=request.user,
        perm="support.view_inpatientgpvisit",
        queryset=selectors.visit_for_view(),
        public_id=public_id,
    )


@login_required
@never_cache
@require_GET
def visit_list(request):
    organisations = [*support_practices(request.user), *acute_departments(request.user)]
    if not organisations:
        raise Http404
    return render(
        request,
        "support/visit_list.html",
        {
            "rows": selectors.visits_for([o.pk for o in organisations]),
            "can_book": bool(acute_departments(request.user)),
        },
    )


@login_required
@never_cache
@sensitive_post_parameters("cpr")
@require_http_methods(["GET", "POST"])
def visit_new(request):
    departments = acute_departments(request.user)
    if not departments:
        raise Http404
    practices = selectors.consultation_practices()
    practice = _chosen_practice(request, practices)
    slots = selectors.free_consultation_slots(practice)
    status = 200
    if request.method == "POST":
        form = InpatientVisitForm(request.POST, departments=departments, slots=slots)
        if form.is_valid():
            data = form.cleaned_data
            with service_call(form) as call:
                visit, _created = services.inpatient_visit_book(
                    actor=request.user,
                    department=data["department"],
                    patient_cpr=data["cpr"],
                    reason=data["reason"],
                    slot_id=data["slot"],
                    client_token=data["client_token"],
                    request=request,
                )
            if call.ok:
                messages.success(request, _("The consultation is booked; the practice confirms it."))
                return redirect(_visit_url(visit))
            slots = selectors.free_consultation_slots(practice)
            form.fields["slot"].choices = (
                InpatientVisitForm(departments=departments, slots=slots).fields["slot"].choices
            )
        status = 400
    else:
        form = InpatientVisitForm(departments=departments, slots=slots)
    return render(
        request,
        "support/visit_new.html",
        {"form": form, "practices": practices, "practice": practice, "no_free_times": practice and not slots},
        status=status,
    )


@login_required
@never_cache
@require_GET
def visit_detail(request, public_id):
    visit = _visit_or_404(request, public_id)
    services.inpatient_visit_read(visit=visit, user=request.user, request=request)
    return render(
        request,
        "support/visit.html",
        {
            "visit": visit,
            "masked_cpr": visit.patient.masked_cpr,
            "can_confirm": request.user.has_perm("support.confirm_inpatientgpvisit", visit),
        },
    )


@login_required
@never_cache
@require_POST
def visit_confirm(request, public_id):
    visit = _visit_or_404(request, public_id)
    with service_call() as call:
        services.inpatient_visit_confirm(visit=visit, actor=request.user, request=request)
    if call.ok:
        messages.success(request, _("The consultation is confirmed; the ward sees it."))
    else:
        messages.info(request, call.messages)
    return redirect(_visit_url(visit))

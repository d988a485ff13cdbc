"""The conference pages under /konferencer/: thin views over forms, services and selectors.

Every conference is fetched through ``object_for_user_or_404``: anyone outside it gets
404, whether it exists or not, and so does a POST to an action the user may not take
(``service_call`` maps a service's PermissionDenied to 404). The rules bind superusers
too. CPR numbers travel only in POST bodies. Everything works without JavaScript.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts.access import object_for_user_or_404
from portal.accounts.models import Organisation
from portal.accounts.selectors import user_clinician_organisations
from portal.core.view_errors import service_call
from portal.patients.anonymise import anonymise_texts
from portal.patients.forms import FaqProposalForm
from portal.patients.views import faq_proposal_response

from . import selectors, services
from .drop_in_selectors import drop_in_calendar
from .forms import (
    DiagnosisFormSet,
    HospitalRequestForm,
    NoteForm,
    OverviewForm,
    QualityForm,
    RequestForm,
    ResumeForm,
    SpecialtyPickForm,
)
from .models import Conference, ConferenceNote
from .questions import questions_for
from .visit_selectors import practice_visits_for


def _conference_url(conference: Conference) -> str:
    return reverse("conferences:conference", kwargs={"public_id": conference.public_id})


def _conference_or_404(request, public_id, perm: str) -> Conference:
    return object_for_user_or_404(
        user=request.user, perm=perm, queryset=selectors.conference_for_view(), public_id=public_id
    )


# --- The dashboard and who is on duty ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DashboardRow:
    """A line of a dashboard list, its words and link made here rather than in the template.

    Through the template engine a choice label, a reversed URL or a localised date costs
    50-300 µs a row (bench/conferences.py, a GP with 25 rows of open work); here each label
    is looked up once a page and each row costs a few string operations.
    """

    entry: selectors.DashboardEntry
    url: str
    kind: str
    urgency: str
    mode: str
    requested: str
    missing: str = ""  # a task: whose note is missing, in words


def dashboard_rows(user, board: selectors.Dashboard) -> dict[str, list[DashboardRow]]:
    placeholder = str(uuid.UUID(int=0))
    url = reverse("conferences:conference", kwargs={"public_id": placeholder})
    kinds, urgencies, modes = (
        {value: str(label) for value, label in choices.choices}
        for choices in (Conference.Kind, Conference.Urgency, Conference.Mode)
    )
    date_format = get_format("SHORT_DATETIME_FORMAT")
    words = {
        "own_note": _("your note is missing"),
        "own_resume": _("your résumé is missing"),
        "their_note": _("the specialist's note is missing"),
        "their_resume": _("the GP's résumé is missing"),
    }

    def missing_words(entry: selectors.DashboardEntry) -> str:
        mine = "own" if entry.own_note_missing(user.pk) else "their"
        if entry.own_note_missing(user.pk):
            which = "note" if entry.specialist_id == user.pk else "resume"
        else:
            which = "note" if not entry.note_written else "resume"
        return words[f"{mine}_{which}"]

    def row(entry: selectors.DashboardEntry, *, task: bool = False) -> DashboardRow:
        missing = missing_words(entry) if task else ""
        return DashboardRow(
            entry=entry,
            url=url.replace(placeholder, str(entry.public_id)),
            kind=kinds.get(entry.kind, entry.kind),
            urgency=urgencies.get(entry.urgency, entry.urgency),
            mode=modes.get(entry.mode, entry.mode),
            requested=dateformat.format(timezone.localtime(entry.requested_at), date_format),
            missing=missing,
        )

    return {
        "waiting_for_me": [row(e) for e in board.waiting_for_me],
        "sent": [row(e) for e in board.sent],
        "open": [row(e) for e in board.open],
        "tasks": [row(e, task=True) for e in board.tasks],
    }


TASK_PAGES_MAX = 1000  # 20,000 missing notes: past that a page number is a typo, not a backlog


def _task_page(request) -> int:
    """The page of the task list asked for in ``?opgaver=``; anything but a page number is the
    first page (a link edited by hand deserves the list, not an error), and a page past the
    last shows no tasks and the way back."""
    raw = request.GET.get("opgaver", "")
    # ASCII digits only, and few: "²" is a digit to str.isdigit but not to int().
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 6):
        return 1
    return max(1, min(int(raw), TASK_PAGES_MAX))


@login_required
@never_cache
@require_GET
def dashboard(request):
    board = selectors.dashboard(request.user, task_page=_task_page(request))
    return render(
        request,
        "conferences/dashboard.html",
        {
            "board": board,
            "rows": dashboard_rows(request.user, board),
            "drop_ins": drop_in_calendar(request.user),
            "can_publish_drop_in": request.user.has_perm("conferences.add_dropinhour"),
            "visits": practice_visits_for(request.user),
            "can_plan_visit": request.user.has_perm("conferences.add_practicevisit"),
            "can_request": bool(selectors.gp_practices(request.user)),
            "can_request_hospital": bool(selectors.specialist_departments(request.user)),
        },
    )


def _area_of(user):
    """The health council area "who is on" looks in: the GP's practice's, else the clinician's own."""
    for organisation in selectors.gp_practices(user) + user_clinician_organisations(user):
        if organisation.area is not None:
            return organisation.area
    return None


@login_required
@never_cache
@require_GET
def on_duty(request):
    if not request.user.has_perm("conferences.add_conference"):
        raise Http404
    form = SpecialtyPickForm(request.GET or None)
    specialty = form.cleaned_data.get("speciale") if form.is_valid() else None
    area = _area_of(request.user)
    periods, upcoming = [], None
    if specialty is not None and area is not None:
        now = timezone.now()
        periods = list(selectors.on_duty(specialty=specialty, area=area, at=now))
        if not periods:
            upcoming = selectors.next_on_duty(specialty=specialty, area=area, at=now)
    return render(
        request,
        "conferences/on_duty.html",
        {
            "form": form,
            "specialty": specialty,
            "area": area,
            "periods": periods,
            "upcoming": upcoming,
            "can_request": bool(selectors.gp_practices(request.user)),
        },
        status=200 if not form.is_bound or form.is_valid() else 400,
    )


# --- Requests ---------------------------------------------------------------------------------


@login_required
@never_cache
@sensitive_post_parameters("cpr")
@require_http_methods(["GET", "POST"])
def request_new(request):
    practices = selectors.gp_practices(request.user)
    if not practices:
        raise Http404
    status = 200
    if request.method == "POST":
        form = RequestForm(request.POST, practices=practices)
        if form.is_valid():
            data = form.cleaned_data
            with service_call(form) as call:
                conference, _created = services.conference_request(
                    requester=request.user,
                    practice=data["practice"],
                    specialty=data["specialty"],
                    topic=data["topic"],
                    urgency=data["urgency"],
                    mode=data["mode"],
                    patient_cpr=data["cpr"],
                    client_token=data["client_token"],
                    request=request,
                )
            if call.ok:
                messages.success(request, _("Your request has been sent to the specialist on duty."))
                return redirect(_conference_url(conference))
        status = 400
    else:
        # From "who is on now": the specialty the GP looked at.
        form = RequestForm(initial={"specialty": request.GET.get("speciale", "")[:120]}, practices=practices)
    return render(request, "conferences/request_new.html", {"form": form}, status=status)


@login_required
@never_cache
@sensitive_post_parameters("cpr")
@require_http_methods(["GET", "POST"])
def request_from_hospital(request):
    departments = selectors.specialist_departments(request.user)
    if not departments:
        raise Http404
    status = 200
    if request.method == "POST":
        form = HospitalRequestForm(request.POST, departments=departments)
        if form.is_valid():
            data = form.cleaned_data
            with service_call(form) as call:
                conference, _created = services.conference_request(
                    requester=request.user,
                    kind=data["kind"],
                    department=data["department"],
                    practice=data["practice"],
                    topic=data["topic"],
                    urgency=data["urgency"],
                    mode=data["mode"],
                    template_answers=form.answers(),
                    patient_cpr=data["cpr"],
                    client_token=data["client_token"],
                    request=request,
                )
            if call.ok:
                messages.success(request, _("Your request has been sent to the practice."))
                return redirect(_conference_url(conference))
        status = 400
    else:
        form = HospitalRequestForm(departments=departments)
    return render(request, "conferences/request_hospital.html", {"form": form}, status=status)


# --- A conference and its actions ----------------------------------------------------------


def _abilities(user, conference: Conference, notes: dict) -> dict[str, bool]:
    return {
        "accept": user.has_perm("conferences.accept_conference", conference),
        "close": user.has_perm("conferences.close_conference", conference),
        "note": user.has_perm("conferences.write_note", conference)
        and ConferenceNote.Kind.SPECIALIST_NOTE not in notes,
        "resume": user.has_perm("conferences.write_resume", conference)
        and ConferenceNote.Kind.GP_RESUME not in notes,
        "overview": conference.is_open and conference.patient_id is not None,
        "propose_faq": user.has_perm("conferences.propose_faq_conference", conference),
    }


def _conference_response(request, conference: Conference, *, status: int = 200, **forms):
    """The conference page; every rendering is a view, logged when there is a patient."""
    services.conference_read(conference=conference, user=request.user, request=request)
    page = selectors.conference_page(conference)
    can_ = _abilities(request.user, conference, page.notes)
    answers = [
        (question, conference.template_answers.get(key, ""))
        for key, question in questions_for(conference.kind)
    ]
    context = {
        "conference": conference,
        "events": page.events,
        "note": page.notes.get(ConferenceNote.Kind.SPECIALIST_NOTE),
        "resume": page.notes.get(ConferenceNote.Kind.GP_RESUME),
        "answers": answers,
        "masked_cpr": conference.patient.masked_cpr if conference.patient_id else "",
        "can": can_,
        "note_form": forms.get("note_form") or (NoteForm() if can_["note"] else None),
        "resume_form": forms.get("resume_form") or (ResumeForm() if can_["resume"] else None),
        "is_requester": conference.requester_id == request.user.pk,
    }
    return render(request, "conferences/conference.html", context, status=status)


@login_required
@never_cache
@require_GET
def conference_detail(request, public_id):
    conference = _conference_or_404(request, public_id, "conferences.view_conference")
    return _conference_response(request, conference)


@login_required
@never_cache
@require_POST
def conference_accept(request, public_id):
    conference = _conference_or_404(request, public_id, "conferences.view_conference")
    with service_call() as call:
        services.conference_accept(conference=conference, user=request.user)
    if not call.ok:
        messages.error(request, call.messages)
    else:
        messages.success(request, _("You have accepted the conference."))
    return redirect(_conference_url(conference))


@login_required
@never_cache
@require_POST
def conference_close(request, public_id):
    conference = _conference_or_404(request, public_id, "conferences.view_conference")
    with service_call() as call:
        services.conference_close(conference=conference, actor=request.user)
    if not call.ok:
        messages.error(request, call.messages)
    else:
        messages.success(request, _("The conference is closed, and its shared overview has been deleted."))
    return redirect(_conference_url(conference))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def conference_faq_propose(request, public_id):
    """A closed conference proposed as an anonymised FAQ draft by one of its participants (issue 15):
    GET reads it (logged) and shows an anonymised proposal with what was changed; POST sends the
    participant's reviewed text, refused whole while anything CPR-shaped is in it."""
    conference = _conference_or_404(request, public_id, "conferences.propose_faq_conference")
    back_url = _conference_url(conference)
    if request.method == "POST":
        form = FaqProposalForm(request.POST)
        if form.is_valid():
            with service_call(form) as call:
                services.conference_faq_propose(
                    conference=conference,
                    user=request.user,
                    question=form.cleaned_data["question"],
                    answer=form.cleaned_data["answer"],
                )
            if call.ok:
                messages.success(request, _("Thank you. The FAQ draft waits for an editor's review."))
                return redirect(back_url)
        return faq_proposal_response(request, form=form, back_url=back_url, status=400)
    source = services.conference_faq_source_read(conference=conference, user=request.user, request=request)
    draft = anonymise_texts({"question": source.question, "answer": source.answer}, names=source.names)
    return faq_proposal_response(
        request, form=FaqProposalForm(initial=draft.texts), back_url=back_url, changes=draft.changes
    )


def _note_view(request, public_id, *, form_class, service, perm: str, form_key: str, done: str):
    conference = _conference_or_404(request, public_id, "conferences.view_conference")
    if not request.user.has_perm(perm, conference):
        raise Http404
    form = form_class(request.POST)
    if form.is_valid():
        with service_call(form) as call:
            service(
                conference=conference, author=request.user, text=form.cleaned_data["text"], request=request
            )
        if call.ok:
            messages.success(request, done)
            return redirect(_conference_url(conference))
    return _conference_response(request, conference, status=400, **{form_key: form})


@login_required
@never_cache
@require_POST
def note_write(request, public_id):
    return _note_view(
        request,
        public_id,
        form_class=NoteForm,
        service=services.conference_note_write,
        perm="conferences.write_note",
        form_key="note_form",
        done=_("Your note has been saved and the practice has been told."),
    )


@login_required
@never_cache
@require_POST
def resume_write(request, public_id):
    return _note_view(
        request,
        public_id,
        form_class=ResumeForm,
        service=services.conference_resume_write,
        perm="conferences.write_resume",
        form_key="resume_form",
        done=_("Your résumé has been saved."),
    )


MEDCOM_CONTENT_TYPES = {"json": "application/fhir+json", "xml": "application/fhir+xml"}


@login_required
@never_cache
@require_GET
def note_medcom(request, public_id, format):
    """The specialist's note as a MedCom CareCommunication, for the practice system."""
    from .medcom import note_bundle

    conference = _conference_or_404(request, public_id, "conferences.view_conference")
    note = conference.notes.filter(kind=ConferenceNote.Kind.SPECIALIST_NOTE).first()
    if note is None:
        raise Http404
    with service_call() as call:
        data = note_bundle(note, actor=request.user, request=request, format=format)
    if not call.ok:
        # Not exportable (no patient, an organisation without a SOR code): say why on the page.
        messages.error(request, call.messages)
        return redirect(_conference_url(conference) + "#notat")
    response = HttpResponse(data, content_type=f"{MEDCOM_CONTENT_TYPES[format]}; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="konferencenotat-{conference.public_id}.{format}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- The shared overview ---------------------------------------------------------------------


def _overview_headers(response):
    # Patient data that exists only while the conference is open: never cached, never indexed.
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_required
@never_cache
@sensitive_post_parameters("medication", "note")
@require_http_methods(["GET", "POST"])
def overview(request, public_id):
    conference = _conference_or_404(request, public_id, "conferences.view_conference")
    # Status and rows in one query: from the instant the close commits, there is nothing to show.
    current = selectors.overview_for_view(conference=conference)
    if current is None or not request.user.has_perm("conferences.view_patientoverview", current):
        raise Http404
    status = 200
    if request.method == "POST":
        form = OverviewForm(request.POST)
        formset = DiagnosisFormSet(request.POST, prefix="diagnose")
        if form.is_valid() and formset.is_valid():
            diagnoses = [
                (f.cleaned_data["code"], f.cleaned_data["text"])
                for f in formset
                if f.cleaned_data.get("code")
            ]
            with service_call(form) as call:
                services.overview_update(
                    conference=conference,
                    actor=request.user,
                    diagnoses=diagnoses,
                    request=request,
                    **form.cleaned_data,
                )
            still_open = Conference.objects.filter(pk=conference.pk, status=Conference.Status.OPEN)
            if not call.ok and not still_open.exists():
                # Closed while the form was being filled in: the overview is gone.
                raise Http404
            if call.ok:
                messages.success(request, _("The overview has been saved."))
                return _overview_headers(
                    redirect(reverse("conferences:overview", kwargs={"public_id": public_id}))
                )
        status = 400
    else:
        form = OverviewForm(
            initial={
                "treatment_level": current.treatment_level,
                "frailty_score": current.frailty_score,
                "medication": current.medication,
                "note": current.note,
            }
        )
        formset = DiagnosisFormSet(
            prefix="diagnose", initial=[{"code": d.code, "text": d.text} for d in current.diagnoses.all()]
        )
    services.overview_read(overview=current, user=request.user, request=request)
    response = render(
        request,
        "conferences/overview.html",
        {
            "conference": conference,
            "overview": current,
            "diagnoses": list(current.diagnoses.all()),
            "masked_cpr": conference.patient.masked_cpr,
            "form": form,
            "formset": formset,
        },
        status=status,
    )
    return _overview_headers(response)


# --- Quality -----------------------------------------------------------------------------------

QUALITY_DEFAULT_DAYS = 90


def _hours(duration: timedelta | None) -> float | None:
    return None if duration is None else duration.total_seconds() / 3600


def _stats(stats: dict) -> dict:
    return {"count": stats["count"], "median": _hours(stats["median"]), "p90": _hours(stats["p90"])}


@login_required
@never_cache
@require_GET
def quality(request):
    """Notes missing and time to note per department and practice; the same access as the
    correspondence quality view: anyone signed in (with two factors), since it shows
    organisations and times only, never a topic, a patient or an overview."""
    form = QualityForm(request.GET if "dage" in request.GET else None, initial={"dage": QUALITY_DEFAULT_DAYS})
    days = (form.cleaned_data.get("dage") if form.is_valid() else None) or QUALITY_DEFAULT_DAYS
    until = timezone.now()
    rows = selectors.conference_note_quality(since=until - timedelta(days=days), until=until)
    table = [
        {
            "organisation": row.organisation,
            "closed": row.closed,
            "notes_missing": row.notes_missing,
            "resumes_missing": row.resumes_missing,
            "note": _stats(row.note_stats),
            "resume": _stats(row.resume_stats),
        }
        for row in rows
    ]
    Kind = Organisation.Kind
    return render(
        request,
        "conferences/quality.html",
        {
            "form": form,
            "days": days,
            "sections": [
                (_("Hospital departments"), [r for r in table if r["organisation"].kind == Kind.DEPARTMENT]),
                (
                    _("General practices"),
                    [r for r in table if r["organisation"].kind == Kind.GENERAL_PRACTICE],
                ),
            ],
        },
    )

"""The referral pages under /henvisninger/: thin views over forms, services and selectors.

Every referral is fetched through ``object_for_user_or_404``: anyone outside it gets 404,
whether it exists or not, and so does a POST to an action the user may not take. The
rules bind superusers too. CPR numbers travel only in POST bodies. No JavaScript needed.
"""

import json
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts.access import object_for_user_or_404
from portal.accounts.roles import CLINICIAN_ROLES
from portal.accounts.selectors import memberships_for_user
from portal.bookings.models import Slot
from portal.core.view_errors import service_call

from . import selectors, services
from .coordinator_selectors import coordinator_of_patient_for
from .fhir import referral_task_export
from .forms import (
    AcceptForm,
    BookingCancelForm,
    BookingRebookForm,
    DiagnosisReferralForm,
    DialogueForm,
    HandoverForm,
    PackageReferralForm,
    PrevisitationForm,
    QualityForm,
    RerouteForm,
    ReturnForm,
    VetoForm,
)
from .models import Referral

ACTION_FORMS = {
    "accept": AcceptForm,
    "reroute": RerouteForm,
    "dialogue": DialogueForm,
    "previsitation": PrevisitationForm,
    "return": ReturnForm,
    "veto": VetoForm,
}


def _url(referral: Referral) -> str:
    return reverse("referrals:referral", kwargs={"public_id": referral.public_id})


def _referral_or_404(request, public_id, perm: str = "referrals.view_referral") -> Referral:
    return object_for_user_or_404(
        user=request.user,
        perm=perm,
        queryset=selectors.referral_for_view(public_id=public_id),
        public_id=public_id,
    )


# --- Lists -------------------------------------------------------------------------------------

# Rows per page of the GP overview and the worklists. Pages by offset (?side=2), as the
# correspondence inbox does: a practice has about a thousand referrals and the busiest
# department some hundreds open, so the offset stays small, and the worklist's order starts
# with a computed "overdue first" that a keyset would have to repeat in its WHERE clause.
PAGE_SIZE = 50


def _page(request, queryset):
    """The requested page; a page number out of range or not a number gives the nearest page."""
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("side"))


@login_required
@never_cache
@require_GET
def overview(request):
    """The GP's overview of the practice's referrals; a department's people are sent to the worklist."""
    practice_ids = selectors.practice_ids(request.user)
    departments = selectors.receiving_organisations(request.user)
    if not practice_ids and departments:
        return redirect("referrals:worklist")
    page = _page(request, selectors.practice_overview(request.user))
    return render(
        request,
        "referrals/overview.html",
        {
            "rows": selectors.referral_rows(page.object_list),
            "page_obj": page,
            "now": timezone.now(),
            "handovers": selectors.handovers_awaiting(practice_ids),
            "can_refer": request.user.has_perm("referrals.add_referral"),
            "has_worklist": bool(departments),
        },
    )


@login_required
@never_cache
@require_GET
def worklist(request, central: bool = False):
    departments = selectors.receiving_organisations(request.user)
    if not departments:
        raise Http404
    ids = [d.pk for d in departments]
    now = timezone.now()
    page = _page(request, selectors.worklist(organisation_ids=ids, now=now, central=central))
    return render(
        request,
        "referrals/worklist.html",
        {
            "rows": selectors.referral_rows(page.object_list),
            "page_obj": page,
            "handovers": selectors.handovers_awaiting(ids),
            "departments": departments,
            "central": central,
            "now": now,
        },
    )


@login_required
@never_cache
@require_GET
def quality(request):
    form = QualityForm(request.GET or None)
    days = (form.cleaned_data.get("dage") if form.is_valid() else None) or 90
    since = timezone.now() - timedelta(days=days)
    departments, vetoes = selectors.quality(since=since)
    return render(
        request,
        "referrals/quality.html",
        {"form": form, "days": days, "departments": departments, "vetoes": vetoes},
        status=200 if not form.is_bound or form.is_valid() else 400,
    )


@login_required
@require_GET
def visitation(request):
    return render(request, "referrals/visitation.html", {"areas": selectors.visitation_numbers()})


# --- Referring ---------------------------------------------------------------------------------


def _chosen_slot(form) -> Slot | None:
    """The slot the GP chose, by public id; an unknown id is an error on the form (400)."""
    public_id = form.cleaned_data.get("slot")
    if not public_id:
        return None
    slot = Slot.objects.select_related("resource").filter(public_id=public_id).first()
    if slot is None:
        form.add_error("slot", _("Choose one of the subacute outpatient times offered."))
    return slot


def _practices_or_404(request):
    practices = selectors.gp_practices(request.user)
    if not practices:
        raise Http404
    return practices


def _area(practices):
    return practices[0].health_council_area if practices else None


@login_required
@never_cache
@sensitive_post_parameters("cpr")
@require_http_methods(["GET", "POST"])
def referral_new(request):
    practices = _practices_or_404(request)
    departments = selectors.departments_in_area(_area(practices))
    status = 200
    if request.method == "POST":
        form = DiagnosisReferralForm(request.POST, practices=practices, departments=departments)
        if form.is_valid():
            data = form.cleaned_data
            destination = data["destination"]
            if data["destination_kind"] == Referral.DestinationKind.CENTRAL_VISITATION:
                unit = selectors.area_visitation(data["practice"].health_council_area)
                destination = unit.central_visitation if unit else None
                if destination is None:
                    form.add_error(
                        "destination_kind", _("Your area has no central visitation; choose a department.")
                    )
            slot = _chosen_slot(form)
            if not form.errors:
                with service_call(form) as call:
                    referral, _created = services.referral_create(
                        author=request.user,
                        practice=data["practice"],
                        basis=Referral.Basis.DIAGNOSIS,
                        urgency=data["urgency"],
                        clinical_text=data["clinical_text"],
                        patient_cpr=data["cpr"],
                        destination_kind=data["destination_kind"],
                        destination=destination,
                        diagnosis_code=data["diagnosis_code"],
                        diagnosis_text=data["diagnosis_text"],
                        client_token=data["client_token"],
                        slot=slot,
                        request=request,
                    )
                if call.ok:
                    messages.success(request, _("The referral has been sent."))
                    return redirect(_url(referral))
        status = 400
    else:
        form = DiagnosisReferralForm(practices=practices, departments=departments)
    return render(
        request,
        "referrals/referral_new.html",
        {
            "form": form,
            "packages": selectors.packages(),
            "slots": selectors.subacute_slots_in_area(_area(practices)),
            "show_department": True,
        },
        status=status,
    )


@login_required
@never_cache
@sensitive_post_parameters("cpr")
@require_http_methods(["GET", "POST"])
def referral_new_package(request, package_id: int):
    practices = _practices_or_404(request)
    package = get_object_or_404(selectors.packages(), pk=package_id)
    status = 200
    if request.method == "POST":
        form = PackageReferralForm(request.POST, practices=practices, package=package)
        slot = _chosen_slot(form) if form.is_valid() else None
        if form.is_valid():
            data = form.cleaned_data
            with service_call(form) as call:
                referral, _created = services.referral_create(
                    author=request.user,
                    practice=data["practice"],
                    basis=Referral.Basis.PACKAGE,
                    urgency=data["urgency"],
                    clinical_text=data["clinical_text"],
                    patient_cpr=data["cpr"],
                    symptom_package=package,
                    checklist_ticked=data["checklist"],
                    client_token=data["client_token"],
                    slot=slot,
                    request=request,
                )
            if call.ok:
                messages.success(
                    request, _("The referral has been sent to %(clinic)s.") % {"clinic": package.clinic}
                )
                return redirect(_url(referral))
        status = 400
    else:
        form = PackageReferralForm(
            practices=practices, package=package, initial={"urgency": Referral.Urgency.SUBACUTE}
        )
    return render(
        request,
        "referrals/referral_new_package.html",
        # Read after a refused booking too: the form then shows the times still free.
        {"form": form, "package": package, "slots": selectors.subacute_slots(package.clinic)},
        status=status,
    )


# --- One referral and its actions -------------------------------------------------------------


def _abilities(user, referral: Referral) -> dict[str, bool]:
    decide = user.has_perm("referrals.decide_referral", referral)
    redirect_ = user.has_perm("referrals.redirect_referral", referral)
    return {
        "accept": decide,
        "dialogue": decide,
        "previsitation": decide,
        "reroute": redirect_,
        "return": redirect_ and services.gp_took_part_in_dialogue(referral),
        "return_blocked": redirect_ and not services.gp_took_part_in_dialogue(referral),
        "veto": user.has_perm("referrals.veto_referral", referral),
        "propose_handover": user.has_perm("referrals.propose_handover", referral),
    }


def _referral_response(request, referral: Referral, *, status: int = 200, forms: dict | None = None):
    """The referral page; every rendering is a read of the patient, logged."""
    forms = forms or {}
    services.referral_read(referral=referral, user=request.user, request=request)
    page = selectors.referral_page(referral)
    can = _abilities(request.user, referral)
    departments = selectors.departments_in_area(referral.destination.area).exclude(pk=referral.destination_id)
    targets = services.handover_targets(referral)
    handover = page.open_handover
    context = {
        "referral": referral,
        "events": page.events,
        "periods": page.periods,
        "handover": handover,
        "can_acknowledge": handover is not None
        and any(
            m.organisation_id == handover.to_organisation_id and m.role in CLINICIAN_ROLES
            for m in memberships_for_user(request.user)
        ),
        "masked_cpr": referral.patient.masked_cpr,
        "coordinator": coordinator_of_patient_for(request.user, referral.patient_id),
        "now": timezone.now(),
        "can": can,
        "dialogue_url": reverse(
            "correspondence:thread", kwargs={"public_id": referral.dialogue_thread.public_id}
        )
        if referral.dialogue_thread_id
        else "",
        "forms": {
            name: forms.get(name)
            or (RerouteForm(departments=departments) if name == "reroute" else form_class())
            for name, form_class in ACTION_FORMS.items()
            if can.get(name)
        },
        "handover_form": forms.get("handover")
        or (HandoverForm(targets=targets) if can["propose_handover"] and targets else None),
        "last_reroute": next((e for e in reversed(page.events) if e.kind == "rerouted"), None),
        **_booking_context(request.user, referral, forms),
    }
    return render(request, "referrals/referral.html", context, status=status)


def _booking_context(user, referral: Referral, forms: dict) -> dict:
    """The booked time on the referral page; the practice and the owning department change it."""
    booking = referral.booking if referral.booking_id else None
    can_change = bool(booking and booking.is_active and user.has_perm("bookings.cancel_booking", booking))
    return {
        "booking": booking,
        "can_change_booking": can_change,
        "rebook_slots": selectors.rebook_slots(referral) if can_change else [],
        "cancel_form": forms.get("booking_cancel") or BookingCancelForm(),
        "rebook_form": forms.get("booking_rebook") or BookingRebookForm(),
    }


@login_required
@never_cache
@require_GET
def referral_detail(request, public_id):
    return _referral_response(request, _referral_or_404(request, public_id))


def _run(request, referral, name: str, form, call_service):
    if form.is_valid():
        with service_call(form) as call:
            call_service(form.cleaned_data)
        if call.ok:
            return None
    return _referral_response(request, referral, status=400, forms={name: form})


ACTIONS = {
    "accept": ("referrals.decide_referral", _("The referral is accepted and the GP can see the time.")),
    "reroute": ("referrals.redirect_referral", _("The referral has been re-routed; the GP can see why.")),
    "dialogue": ("referrals.decide_referral", _("The GP has been asked for a dialogue in correspondence.")),
    "previsitation": ("referrals.decide_referral", _("The pre-visitation note is saved.")),
    "return": ("referrals.redirect_referral", _("The referral has been returned to the GP.")),
    "veto": (
        "referrals.veto_referral",
        _("The veto is recorded: the patient must be seen in the acute reception."),
    ),
}


@login_required
@never_cache
@require_POST
def referral_action(request, public_id, action: str):
    perm, done = ACTIONS[action]
    referral = _referral_or_404(request, public_id)
    if not request.user.has_perm(perm, referral):
        raise Http404
    user = request.user
    if action == "reroute":
        form = RerouteForm(request.POST, departments=selectors.departments_in_area(referral.destination.area))
    else:
        form = ACTION_FORMS[action](request.POST)
    calls = {
        "accept": lambda d: services.referral_accept(
            referral=referral,
            actor=user,
            appointment_start=d["appointment_start"],
            appointment_end=d.get("appointment_end"),
            note=d.get("note", ""),
            request=request,
        ),
        "reroute": lambda d: services.referral_reroute(
            referral=referral,
            actor=user,
            to_department=d["to_department"],
            reason_code=d["reason_code"],
            reason=d["reason"],
            alternative=d.get("alternative", ""),
            request=request,
        ),
        "dialogue": lambda d: services.referral_dialogue_request(
            referral=referral, actor=user, message=d["message"], request=request
        ),
        "previsitation": lambda d: services.referral_previsitation_note(
            referral=referral, actor=user, note=d["note"], request=request
        ),
        "return": lambda d: services.referral_return(
            referral=referral,
            actor=user,
            reason_code=d["reason_code"],
            reason=d["reason"],
            advice=d.get("advice", ""),
            request=request,
        ),
        "veto": lambda d: services.referral_veto(
            referral=referral, actor=user, reason=d["reason"], request=request
        ),
    }
    response = _run(request, referral, action, form, calls[action])
    if response is not None:
        return response
    messages.success(request, done)
    return _after_action(request, referral)


def _after_action(request, referral: Referral):
    """Back to the referral, or to the worklist once a re-route took it out of the user's reach."""
    referral.refresh_from_db()
    if request.user.has_perm("referrals.view_referral", referral):
        return redirect(_url(referral))
    return redirect("referrals:worklist")


@login_required
@never_cache
@require_POST
def handover_propose(request, public_id):
    referral = _referral_or_404(request, public_id, "referrals.propose_handover")
    form = HandoverForm(request.POST, targets=services.handover_targets(referral))
    response = _run(
        request,
        referral,
        "handover",
        form,
        lambda d: services.handover_propose(
            referral=referral, actor=request.user, to_organisation=d["to_organisation"]
        ),
    )
    if response is not None:
        return response
    messages.success(
        request, _("The handover is proposed; you keep the responsibility until it is acknowledged.")
    )
    return redirect(_url(referral))


@login_required
@never_cache
@require_POST
def handover_acknowledge(request, public_id):
    referral = _referral_or_404(request, public_id)
    with service_call() as call:
        services.handover_acknowledge(referral=referral, actor=request.user)
    if call.ok:
        messages.success(request, _("You now hold the treatment responsibility."))
    else:
        messages.error(request, call.messages)
    return _after_action(request, referral)


@login_required
@never_cache
@require_GET
def referral_fhir(request, public_id):
    """The current decision as a FHIR Task (JSON) for the participants' systems."""
    referral = _referral_or_404(request, public_id)
    task = referral_task_export(referral=referral, actor=request.user, request=request)
    response = HttpResponse(
        json.dumps(task, ensure_ascii=False, indent=2), content_type="application/fhir+json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="henvisning-{referral.public_id}.json"'
    return response


@login_required
@never_cache
@require_POST
def booking_cancel(request, public_id):
    """Cancel the time booked with the referral (the practice or the department that owns it)."""
    referral = _referral_or_404(request, public_id)
    if referral.booking_id is None:
        raise Http404
    form = BookingCancelForm(request.POST)
    response = _run(
        request,
        referral,
        "booking_cancel",
        form,
        lambda d: services.referral_booking_cancel(
            referral=referral, actor=request.user, reason=d["reason"], request=request
        ),
    )
    if response is not None:
        return response
    messages.success(request, _("The booked time is cancelled; the department decides the referral."))
    return redirect(_url(referral))


@login_required
@never_cache
@require_POST
def booking_rebook(request, public_id):
    """Move the booked time to another free time of the same department."""
    referral = _referral_or_404(request, public_id)
    if referral.booking_id is None:
        raise Http404
    form = BookingRebookForm(request.POST)
    slot = _chosen_slot(form) if form.is_valid() else None
    response = _run(
        request,
        referral,
        "booking_rebook",
        form,
        lambda d: services.referral_booking_rebook(
            referral=referral, actor=request.user, slot=slot, reason=d.get("reason", ""), request=request
        ),
    )
    if response is not None:
        return response
    messages.success(request, _("The booked time is moved."))
    return redirect(_url(referral))

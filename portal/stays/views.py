"""The focused-stay pages under /fokuserede-ophold/: each role's start page, a trainee's need,
a practice's offer, a stay and its answers, the coordinator's region, a matching run, and the
learning objectives.

Needs, offers, runs and stays are addressed by their random ``public_id`` and fetched through
the rules: anyone outside gets 404, superusers included. A region is addressed by its slug and
answers 404 to anyone who does not coordinate it.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts.access import object_for_user_or_404
from portal.accounts.models import HealthCouncilArea, Membership, Specialty, User
from portal.accounts.roles import Role
from portal.accounts.selectors import memberships_for_user
from portal.core.ical import ics_response
from portal.core.view_errors import service_call

from . import exports, planning, reports, selectors, services
from .forms import DeclineForm, NeedForm, ObjectiveForm, OfferForm, PairRuleForm, PeriodForm
from .models import EVALUATION_WINDOW_DAYS, Assignment, HostOffer, LearningObjective, PairRule, StayNeed
from .rules import is_stay_host, is_stay_trainee
from .scope import gp_practice_ids, trainee_departments


def _need_url(need) -> str:
    return reverse("stays:need", kwargs={"public_id": need.public_id})


def _offer_url(offer) -> str:
    return reverse("stays:offer", kwargs={"public_id": offer.public_id})


def _stay_url(stay) -> str:
    return reverse("stays:stay", kwargs={"public_id": stay.public_id})


def _region_url(region) -> str:
    return reverse("stays:region", kwargs={"region": region.slug})


def _region_or_404(request, slug: str):
    region = selectors.region_for_coordinator(request.user, slug)
    if region is None:
        raise Http404
    return region


# --- Start page -----------------------------------------------------------------------------


@login_required
@never_cache
@require_GET
def home(request):
    user = request.user
    is_trainee = user.has_perm("stays.add_stayneed")
    is_gp = user.has_perm("stays.add_hostoffer")
    regions = selectors.coordinator_regions(user)
    offers = selectors.offers_for_gp(user) if is_gp else []
    return render(
        request,
        "stays/home.html",
        {
            "is_trainee": is_trainee,
            "needs": selectors.needs_for_trainee(user) if is_trainee else [],
            "is_gp": is_gp,
            "offers": offers,
            "can_add_offer": is_gp and len(offers) < len(gp_practice_ids(user)),
            "hosted": selectors.stays_hosted(user) if is_gp else [],
            "regions": regions,
            "has_a_part": is_trainee or is_gp or bool(regions),
            # A coordinator whose regions nobody has named yet (an administrator does, in the admin).
            "coordinator_without_region": not regions
            and any(m.role == Role.TRAINING_COORDINATOR for m in memberships_for_user(user)),
        },
    )


# --- Needs ----------------------------------------------------------------------------------


def _need_form(user, data=None) -> NeedForm:
    departments = trainee_departments(user)
    specialty_ids = {d.specialty_id for d in departments}
    return NeedForm(
        data,
        departments=departments,
        objectives=list(selectors.active_objectives(specialty_ids)),
        areas=list(HealthCouncilArea.objects.select_related("region")),
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def need_new(request):
    if not request.user.has_perm("stays.add_stayneed"):
        raise Http404
    if request.method != "POST":
        return render(request, "stays/need_new.html", {"form": _need_form(request.user)})
    form = _need_form(request.user, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        department = next(d for d in trainee_departments(request.user) if str(d.pk) == data["department"])
        with service_call(form) as call:
            need = services.need_register(
                actor=request.user,
                department=department,
                specialty=department.specialty,
                earliest_start=data["earliest_start"],
                latest_end=data["latest_end"],
                length_weeks=data["length_weeks"],
                preferred_areas=HealthCouncilArea.objects.filter(pk__in=data["preferred_areas"]),
                preferred_practice_types=data["preferred_practice_types"],
                objectives=LearningObjective.objects.filter(pk__in=data["objectives"]),
                notes=data["notes"],
            )
        if call.ok:
            messages.success(request, _("Your need is registered. The coordinator finds you a practice."))
            return redirect(_need_url(need))
    return render(request, "stays/need_new.html", {"form": form}, status=400)


@login_required
@never_cache
@require_GET
def need_detail(request, public_id):
    need = object_for_user_or_404(
        user=request.user,
        perm="stays.view_stayneed",
        queryset=selectors.need_for_view(public_id),
        public_id=public_id,
    )
    return render(
        request,
        "stays/need.html",
        {
            "need": need,
            "objectives": selectors.need_objectives(need),
            "history": selectors.need_history(need),
            "can_withdraw": request.user.has_perm("stays.withdraw_stayneed", need),
        },
    )


@login_required
@never_cache
@require_POST
def need_withdraw(request, public_id):
    need = object_for_user_or_404(
        user=request.user, perm="stays.view_stayneed", queryset=StayNeed.objects.all(), public_id=public_id
    )
    with service_call():
        services.need_withdraw(actor=request.user, need=need)
    messages.success(request, _("The need is withdrawn."))
    return redirect(_need_url(need))


# --- Offers ---------------------------------------------------------------------------------


def _offer_form(practice, data=None, initial=None) -> OfferForm:
    supervisors = User.objects.filter(
        memberships__organisation=practice, memberships__role=Role.GP, is_active=True
    ).distinct()
    return OfferForm(
        data,
        initial=initial,
        supervisors=list(supervisors),
        specialties=list(Specialty.objects.filter(focused_stay=True)),
    )


def _offer_save(request, practice, form):
    data = form.cleaned_data
    with service_call(form) as call:
        offer = services.offer_save(
            actor=request.user,
            practice=practice,
            supervisor=get_object_or_404(User, pk=data["supervisor"]),
            specialties=list(Specialty.objects.filter(pk__in=data["specialties"], focused_stay=True)),
            practice_type=data["practice_type"],
            address=data["address"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            notes=data["notes"],
            is_active=data["is_active"],
        )
    return offer if call.ok else None


def _practice_without_offer(user):
    ids = gp_practice_ids(user) - set(HostOffer.objects.values_list("practice_id", flat=True))
    return (
        Membership.objects.filter(user=user, role=Role.GP, organisation_id__in=ids)
        .select_related("organisation")
        .first()
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def offer_new(request):
    membership = _practice_without_offer(request.user)
    if membership is None:
        raise Http404
    practice = membership.organisation
    form = _offer_form(
        practice, request.POST if request.method == "POST" else None, {"supervisor": request.user.pk}
    )
    if request.method == "POST":
        if form.is_valid() and (offer := _offer_save(request, practice, form)) is not None:
            messages.success(request, _("Your offer is saved. Add the periods in which you can host."))
            return redirect(_offer_url(offer))
        return render(request, "stays/offer_new.html", {"form": form, "practice": practice}, status=400)
    return render(request, "stays/offer_new.html", {"form": form, "practice": practice})


def _offer_or_404(request, public_id, perm="stays.view_hostoffer") -> HostOffer:
    return object_for_user_or_404(
        user=request.user, perm=perm, queryset=selectors.offer_for_view(public_id), public_id=public_id
    )


def _offer_page(request, offer, *, form=None, period_form=None, status=200):
    can_change = request.user.has_perm("stays.change_hostoffer", offer)
    if can_change and form is None:
        form = _offer_form(
            offer.practice,
            initial={
                "supervisor": offer.supervisor_id,
                "specialties": [str(s.pk) for s in offer.specialties.all()],
                "practice_type": offer.practice_type,
                "address": offer.address,
                "latitude": offer.latitude,
                "longitude": offer.longitude,
                "notes": offer.notes,
                "is_active": offer.is_active,
            },
        )
    return render(
        request,
        "stays/offer.html",
        {
            "offer": offer,
            "specialties": list(offer.specialties.all()),
            "periods": selectors.offer_periods(offer),
            "summary": reports.practice_summary(offer),
            "can_change": can_change,
            "form": form if can_change else None,
            "period_form": (period_form or PeriodForm()) if can_change else None,
        },
        status=status,
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def offer_detail(request, public_id):
    if request.method != "POST":
        return _offer_page(request, _offer_or_404(request, public_id))
    offer = _offer_or_404(request, public_id, "stays.change_hostoffer")
    form = _offer_form(offer.practice, request.POST)
    if form.is_valid() and _offer_save(request, offer.practice, form) is not None:
        messages.success(request, _("Your offer is saved."))
        return redirect(_offer_url(offer))
    return _offer_page(request, offer, form=form, status=400)


@login_required
@never_cache
@require_POST
def period_add(request, public_id):
    offer = _offer_or_404(request, public_id, "stays.change_hostoffer")
    form = PeriodForm(request.POST)
    if form.is_valid():
        with service_call(form) as call:
            services.period_add(actor=request.user, offer=offer, **form.cleaned_data)
        if call.ok:
            messages.success(request, _("The period is added."))
            return redirect(_offer_url(offer))
    return _offer_page(request, offer, period_form=form, status=400)


@login_required
@never_cache
@require_POST
def period_remove(request, public_id, period_id: int):
    offer = _offer_or_404(request, public_id, "stays.change_hostoffer")
    period = get_object_or_404(offer.periods, pk=period_id)
    with service_call():
        services.period_remove(actor=request.user, period=period)
    messages.success(request, _("The period is removed."))
    return redirect(_offer_url(offer))


# --- A stay and its answers -----------------------------------------------------------------


def _stay_or_404(request, public_id) -> Assignment:
    return object_for_user_or_404(
        user=request.user,
        perm="stays.view_assignment",
        queryset=selectors.assignment_for_view(public_id),
        public_id=public_id,
    )


def _stay_page(request, stay, *, decline_form=None, status=200):
    user = request.user
    can_confirm_practice = user.has_perm("stays.confirm_as_practice", stay)
    can_confirm_trainee = user.has_perm("stays.confirm_as_trainee", stay)
    can_decline = user.has_perm("stays.decline_assignment", stay)
    return render(
        request,
        "stays/stay.html",
        {
            "stay": stay,
            "objectives": selectors.need_objectives(stay.need),
            "confirm_side": "practice"
            if can_confirm_practice
            else "trainee"
            if can_confirm_trainee
            else None,
            "decline_side": ("trainee" if stay.need.trainee_id == user.pk else "practice")
            if can_decline
            else None,
            "decline_form": (decline_form or DeclineForm()) if can_decline else None,
            "can_evaluate_practice": user.has_perm("stays.evaluate_practice", stay),
            "can_evaluate_stay": user.has_perm("stays.evaluate_stay", stay),
            "evaluations": reports.evaluations_for(stay, user),
            "evaluation_window_days": EVALUATION_WINDOW_DAYS,
        },
        status=status,
    )


@login_required
@never_cache
@require_GET
def stay_detail(request, public_id):
    return _stay_page(request, _stay_or_404(request, public_id))


@login_required
@never_cache
@require_POST
def stay_confirm(request, public_id, side: str):
    stay = _stay_or_404(request, public_id)
    with service_call() as call:
        services.assignment_confirm(actor=request.user, assignment=stay, side=side)
    if call.ok:
        messages.success(request, _("You have confirmed the stay."))
    return redirect(_stay_url(stay))


@login_required
@never_cache
@require_POST
def stay_decline(request, public_id, side: str):
    stay = _stay_or_404(request, public_id)
    # Who may not decline for this side gets 404 before the form is read: no 400 that tells.
    party = {"practice": is_stay_host, "trainee": is_stay_trainee}[side]
    if not (request.user.has_perm("stays.decline_assignment", stay) and party(request.user, stay)):
        raise Http404
    form = DeclineForm(request.POST)
    if form.is_valid():
        with service_call(form) as call:
            services.assignment_decline(
                actor=request.user, assignment=stay, side=side, reason=form.cleaned_data["reason"]
            )
        if call.ok:
            messages.success(request, _("You have declined the stay. The coordinator finds another match."))
            return redirect(_stay_url(stay))
    return _stay_page(request, stay, decline_form=form, status=400)


# --- The coordinator ------------------------------------------------------------------------


def _region_page(request, region):
    return render(request, "stays/region.html", {"board": selectors.region_board(region)})


@login_required
@never_cache
@require_GET
def region(request, region: str):
    return _region_page(request, _region_or_404(request, region))


@login_required
@never_cache
@require_POST
def region_match(request, region: str):
    the_region = _region_or_404(request, region)
    with service_call():
        run = planning.matching_run(actor=request.user, region=the_region)
    messages.success(request, _("The matching has run. Check the proposal before you publish it."))
    return redirect(reverse("stays:run", kwargs={"region": the_region.slug, "public_id": run.public_id}))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def rule_add(request, region: str):
    """Pin or forbid a pair: its own page, because its choices are every open need and every
    offer of the region (hundreds at national scale), which the board need not carry."""
    the_region = _region_or_404(request, region)
    choices = selectors.rule_choices(the_region)
    data = request.POST if request.method == "POST" else None  # an empty POST is still a POST
    form = PairRuleForm(data, needs=choices.needs, offers=choices.offers)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            need = StayNeed.objects.get(
                region=the_region, state=StayNeed.State.OPEN, public_id=form.cleaned_data["need"]
            )
            offer = HostOffer.objects.get(region=the_region, public_id=form.cleaned_data["offer"])
            with service_call(form) as call:
                services.pair_rule_set(
                    actor=request.user, need=need, offer=offer, kind=form.cleaned_data["kind"]
                )
            if call.ok:
                messages.success(request, _("The rule is saved. Run the matching again to use it."))
                back = request.POST.get("back_to_run", "")
                run = selectors.run_for_region(the_region, back) if _is_uuid(back) else None
                if run is not None:
                    return redirect(
                        reverse("stays:run", kwargs={"region": the_region.slug, "public_id": run.public_id})
                    )
                return redirect(_region_url(the_region))
        status = 400
    return render(request, "stays/rule.html", {"region": the_region, "form": form}, status=status)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@login_required
@never_cache
@require_POST
def rule_remove(request, region: str, rule_id: int):
    the_region = _region_or_404(request, region)
    rule = get_object_or_404(PairRule, pk=rule_id, region=the_region)
    with service_call():
        services.pair_rule_remove(actor=request.user, rule=rule)
    messages.success(request, _("The rule is removed."))
    return redirect(_region_url(the_region))


def _run_or_404(request, region_slug, public_id):
    the_region = _region_or_404(request, region_slug)
    run = selectors.run_for_region(the_region, public_id)
    if run is None or not request.user.has_perm("stays.view_matchingrun", run):
        raise Http404
    return the_region, run


@login_required
@never_cache
@require_GET
def run_detail(request, region: str, public_id):
    """The proposal a page of ``RUN_PAGE_ROWS`` stays at a time (ordered by practice), with the
    week calendar of that page: a national region's proposal is hundreds of stays."""
    the_region, run = _run_or_404(request, region, public_id)
    page = Paginator(selectors.run_assignments_query(run), selectors.RUN_PAGE_ROWS).get_page(
        request.GET.get("side")
    )
    assignments = list(page.object_list)
    rules = {(r.need_id, r.offer_id): r.kind for r in selectors.region_rules(the_region)}
    for a in assignments:
        a.rule = rules.get((a.need_id, a.offer_id))
    return render(
        request,
        "stays/run.html",
        {
            "region": the_region,
            "run": run,
            "assignments": assignments,
            "page": page,
            "placed": page.paginator.count,
            "calendar": selectors.week_calendar(assignments),
            "infeasible": selectors.infeasible_rows(run),
            "is_latest": services.latest_run_id(the_region.pk) == run.pk,
        },
    )


@login_required
@never_cache
@require_POST
def run_publish(request, region: str, public_id):
    the_region, run = _run_or_404(request, region, public_id)
    with service_call() as call:
        count = services.run_publish(actor=request.user, run=run)
    if call.ok:
        messages.success(
            request,
            ngettext(
                "%(count)d stay is published and awaits confirmation.",
                "%(count)d stays are published and await confirmation.",
                count,
            )
            % {"count": count},
        )
        return redirect(_region_url(the_region))
    messages.error(request, call.messages)
    return redirect(reverse("stays:run", kwargs={"region": the_region.slug, "public_id": run.public_id}))


# --- Learning objectives --------------------------------------------------------------------


def _require_objective_keeper(request):
    if not request.user.has_perm("stays.change_learningobjective"):
        raise Http404


@login_required
@never_cache
@require_GET
def objectives(request):
    _require_objective_keeper(request)
    return render(request, "stays/objectives.html", {"specialties": selectors.focused_specialties()})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def objectives_for_specialty(request, specialty: str):
    _require_objective_keeper(request)
    the_specialty = get_object_or_404(Specialty, slug=specialty, focused_stay=True)
    form = ObjectiveForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with service_call(form) as call:
                services.objective_add(actor=request.user, specialty=the_specialty, **form.cleaned_data)
            if call.ok:
                messages.success(request, _("The learning objective is added."))
                return redirect(reverse("stays:objectives_for", kwargs={"specialty": the_specialty.slug}))
        status = 400
    return render(
        request,
        "stays/objectives_for.html",
        {"specialty": the_specialty, "objectives": selectors.objectives_of(the_specialty), "form": form},
        status=status,
    )


@login_required
@never_cache
@require_POST
def objective_toggle(request, specialty: str, objective_id: int):
    _require_objective_keeper(request)
    objective = get_object_or_404(LearningObjective, pk=objective_id, specialty__slug=specialty)
    services.objective_set_active(actor=request.user, objective=objective, is_active=not objective.is_active)
    messages.success(request, _("The learning objective is updated."))
    return redirect(reverse("stays:objectives_for", kwargs={"specialty": specialty}))


# --- Calendars and exports ------------------------------------------------------------------


@login_required
@never_cache
@require_GET
def my_calendar(request):
    """The user's own stays, as trainee or host GP, as an .ics download."""
    body = exports.stays_ics(
        selectors.stays_of_user(request.user),
        name=_("My focused stays"),
        page_url=lambda stay: request.build_absolute_uri(_stay_url(stay)),
    )
    return ics_response(body, filename="fokuserede-ophold.ics")


@login_required
@never_cache
@require_GET
def stay_calendar(request, public_id):
    stay = _stay_or_404(request, public_id)
    body = exports.stays_ics(
        [stay], name=_("Focused stay"), page_url=lambda s: request.build_absolute_uri(_stay_url(s))
    )
    return ics_response(body, filename="fokuseret-ophold.ics")


@login_required
@never_cache
@require_GET
def region_export(request, region: str, kind: str):
    the_region = _region_or_404(request, region)
    stays = selectors.region_stays(the_region)
    filename = f"fokuserede-ophold-{the_region.slug}-{timezone.localdate():%Y-%m-%d}.{kind}"
    if kind == "csv":
        response = HttpResponse(exports.stays_csv(stays), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.stays_xlsx(stays, title=the_region.name),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response

"""Audit rounds behind login: a cluster's rounds, starting one, a practice's registration, the
anonymised results and their export. Anyone outside the cluster gets 404, superusers too."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.core.view_errors import service_call
from portal.quality import privacy
from portal.quality.selectors import practices_of

from . import exports, selectors, services
from .forms import NO_PATIENT_DATA, RegistrationForm, RoundStartForm
from .models import AuditRound


def _round_or_404(request, pk: int) -> AuditRound:
    audit_round = selectors.round_get(request.user, pk)
    if audit_round is None:
        raise Http404
    return audit_round


@login_required
@never_cache
@require_GET
def round_list(request):
    return render(
        request,
        "auditrounds/list.html",
        {
            "rounds": selectors.rounds_of(request.user),
            "may_start": selectors.startable_clusters(request.user).exists(),
        },
    )


def _start_initial(request) -> dict:
    kit_id = request.GET.get("kit", "")
    kit = selectors.kits_to_audit().filter(pk=kit_id).first() if kit_id.isdigit() else None
    if kit is None:
        return {}
    # ISO strings: the shared field template writes the value as it is into a date input.
    return {
        "kit": kit,
        "period_start": kit.period_start.isoformat() if kit.period_start else "",
        "period_end": kit.period_end.isoformat() if kit.period_end else "",
    }


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def round_start(request):
    form = RoundStartForm(
        request.POST if request.method == "POST" else None, user=request.user, initial=_start_initial(request)
    )
    if not form.fields["cluster"].queryset.exists():
        # Not a GP in any cluster: the page says so instead of an empty form.
        return render(request, "auditrounds/start.html", {"form": None}, status=200)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with service_call(form) as call:
                audit_round = services.audit_round_start(actor=request.user, **form.cleaned_data)
            if call.ok:
                messages.success(request, _("The audit round has started. The cluster's GPs have been told."))
                return redirect("auditrounds:detail", pk=audit_round.pk)
        status = 400
    return render(request, "auditrounds/start.html", {"form": form}, status=status)


@login_required
@never_cache
@require_GET
def round_detail(request, pk: int):
    audit_round = _round_or_404(request, pk)
    # The viewer's own practices in the cluster: their figures are shown to her, nobody else's.
    own = list(practices_of(request.user).filter(quality_clusters=audit_round.cluster_id))
    results = selectors.round_results(audit_round, own_practices=own)
    return render(
        request,
        "auditrounds/detail.html",
        {
            "round": audit_round,
            "results": results,
            "guideline_changed": selectors.guideline_changed(audit_round),
            "may_register": audit_round.is_open and bool(own),
            "may_close": audit_round.is_open and audit_round.started_by_id == request.user.pk,
            "min_group_size": privacy.min_group_size(),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def register(request, pk: int, practice_id: int):
    audit_round = _round_or_404(request, pk)
    practice = get_object_or_404(selectors.registrable_practices(request.user, audit_round), pk=practice_id)
    initial = RegistrationForm.initial_from(selectors.registration_values(audit_round, practice))
    form = RegistrationForm(
        request.POST if request.method == "POST" else None, indicators=audit_round.indicators, initial=initial
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with service_call(form) as call:
                services.audit_registration_save(
                    actor=request.user, audit_round=audit_round, practice=practice, values=form.values()
                )
            if call.ok:
                messages.success(request, _("Your practice's results are saved."))
                return redirect("auditrounds:detail", pk=audit_round.pk)
        status = 400
    return render(
        request,
        "auditrounds/register.html",
        {"round": audit_round, "practice": practice, "form": form, "no_patient_data": NO_PATIENT_DATA},
        status=status,
    )


@login_required
@require_POST
def close(request, pk: int):
    audit_round = _round_or_404(request, pk)
    with service_call() as call:
        services.audit_round_close(actor=request.user, audit_round=audit_round)
    if call.ok:
        messages.success(request, _("The audit round is closed: the registrations are frozen."))
    else:
        messages.error(request, call.messages)
    return redirect("auditrounds:detail", pk=audit_round.pk)


@login_required
@never_cache
@require_GET
def export(request, pk: int, kind: str):
    if kind not in ("csv", "xlsx"):
        raise Http404
    audit_round = _round_or_404(request, pk)
    # No own practices: the export is the cluster's, anonymised, whoever downloads it.
    results = selectors.round_results(audit_round, own_practices=[])
    if kind == "csv":
        response = HttpResponse(
            exports.results_csv(audit_round, results), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exports.results_xlsx(audit_round, results),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="auditrunde-{audit_round.pk}.{kind}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response

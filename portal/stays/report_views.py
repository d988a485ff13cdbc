"""After the stays: each side's evaluation of a stay, and the coordinator's yearly report with
its chart and spreadsheets. Who may not evaluate or report gets 404, superusers included."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from portal.core.view_errors import service_call

from . import charts, evaluations, exports, reports, selectors
from .forms import EvaluationForm
from .models import StayEvaluation
from .views import _region_or_404, _stay_or_404, _stay_url

DIRECTIONS = {"practice": StayEvaluation.Direction.OF_PRACTICE, "stay": StayEvaluation.Direction.OF_STAY}


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def evaluate(request, public_id, side: str):
    stay = _stay_or_404(request, public_id)
    direction = DIRECTIONS[side]
    if not request.user.has_perm(evaluations.PERMISSION[direction], stay):
        raise Http404
    objectives = selectors.need_objectives(stay.need) if direction == StayEvaluation.Direction.OF_STAY else []
    given = StayEvaluation.objects.filter(assignment=stay, direction=direction).first()
    initial = {}
    if given is not None:
        initial = {"score": given.score, "comment": given.comment}
        initial.update({f"objective_{s.objective_id}": s.score for s in given.objective_scores.all()})
    form = EvaluationForm(
        request.POST if request.method == "POST" else None, objectives=objectives, initial=initial
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with service_call(form) as call:
                evaluations.evaluation_give(
                    actor=request.user,
                    assignment=stay,
                    direction=direction,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                    objective_scores=form.objective_scores(),
                )
            if call.ok:
                messages.success(request, _("Thank you. Your evaluation is saved."))
                return redirect(_stay_url(stay))
        status = 400
    return render(
        request,
        "stays/evaluate.html",
        {"stay": stay, "form": form, "direction": direction, "given": given},
        status=status,
    )


def _year(request) -> int:
    raw = request.GET.get("aar", "")
    if not raw:
        return timezone.localdate().year
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise Http404
    return int(raw)


@login_required
@never_cache
@require_GET
def report(request, region: str):
    the_region = _region_or_404(request, region)
    year = _year(request)
    # Hundreds of practices in a national region: a page of them at a time (the CSV has all),
    # and the per-practice figures computed for that page only.
    practices = Paginator(reports.report_practices(the_region, year), selectors.REPORT_PAGE_ROWS).get_page(
        request.GET.get("side")
    )
    the_report = reports.region_report(the_region, year, practices=list(practices.object_list))
    practices.object_list = the_report.practices
    return render(
        request,
        "stays/report.html",
        {
            "report": the_report,
            "practices": practices,
            "years": reports.report_years(the_region),
            "chart": charts.specialty_bars(the_report.specialties),
        },
    )


@login_required
@never_cache
@require_GET
def report_export(request, region: str, kind: str):
    the_region = _region_or_404(request, region)
    the_report = reports.region_report(the_region, _year(request))
    filename = f"fokuserede-ophold-rapport-{the_region.slug}-{the_report.year}.{kind}"
    if kind == "csv":
        response = HttpResponse(exports.report_csv(the_report), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.report_xlsx(the_report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response

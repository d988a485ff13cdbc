"""/kvalitet/: a quality cluster's figures beside its health council area's, and an area's alone.

Who may not see gets 404, superusers included (``portal.quality.rules``). The per-practice
columns are the viewer's own practices only. Charts are images from their own view; exports
carry the same "too few" as the page.
"""

from csp.decorators import csp_replace
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.accounts.models import HealthCouncilArea
from portal.core.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

from . import charts, exports, figures, rules, selectors
from .models import QualityCluster
from .privacy import min_group_size

# The chart image's own policy: nothing but its one inline stylesheet.
CHART_CSP = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "script-src": ["'none'"],
    "img-src": ["'none'"],
    "font-src": ["'none'"],
    "connect-src": ["'none'"],
    "form-action": ["'none'"],
}


def _cluster_or_404(request, slug: str) -> QualityCluster:
    cluster = QualityCluster.objects.select_related("health_council_area").filter(slug=slug).first()
    if cluster is None or not request.user.has_perm("quality.view_qualitycluster", cluster):
        raise Http404
    return cluster


def _area_or_404(request, slug: str) -> HealthCouncilArea:
    area = HealthCouncilArea.objects.filter(slug=slug).first()
    if area is None or not request.user.has_perm("quality.view_area_figures", area):
        raise Http404
    return area


def _metric_or_404(key: str) -> figures.Metric:
    metric = figures.METRICS_BY_KEY.get(key)
    if metric is None or not metric.charted:
        raise Http404
    return metric


def _download(content, *, kind: str, filename: str) -> HttpResponse:
    content_type = CSV_CONTENT_TYPE if kind == "csv" else XLSX_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{kind}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _svg(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="image/svg+xml")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@never_cache
@require_GET
def index(request):
    return render(
        request,
        "quality/index.html",
        {
            "clusters": list(selectors.clusters_of(request.user)),
            "areas": list(
                HealthCouncilArea.objects.all()
                if rules.is_consultant_or_administrator(request.user)
                else selectors.areas_of(request.user)
            ),
        },
    )


def _cluster_figures(cluster, **kwargs):
    return figures.compute(area=cluster.health_council_area, cluster=cluster, **kwargs)


@login_required
@never_cache
@require_GET
def cluster_view(request, slug: str):
    cluster = _cluster_or_404(request, slug)
    own = selectors.own_practices_in(request.user, cluster)
    return render(
        request,
        "quality/cluster.html",
        {
            "cluster": cluster,
            "area": cluster.health_council_area,
            "own_practices": own,
            "figures": _cluster_figures(cluster, own_practices=own),
            "min_group_size": min_group_size(),
        },
    )


@login_required
@never_cache
@require_GET
def cluster_export(request, slug: str, kind: str):
    cluster = _cluster_or_404(request, slug)
    own = selectors.own_practices_in(request.user, cluster)
    the_figures = _cluster_figures(cluster, own_practices=own)
    if kind == "csv":
        content = exports.figures_csv(the_figures, with_cluster=True)
    else:
        content = exports.figures_xlsx(the_figures, with_cluster=True, title=cluster.name)
    return _download(content, kind=kind, filename=f"kvalitetsklynge-{cluster.slug}")


@login_required
@never_cache
@require_GET
@csp_replace(CHART_CSP)
def cluster_chart(request, slug: str, metric: str):
    cluster = _cluster_or_404(request, slug)
    the_metric = _metric_or_404(metric)
    row = _cluster_figures(cluster, metrics=[the_metric]).rows[0]
    return _svg(
        charts.trend_svg(
            row,
            title=str(the_metric.label),
            first_series=cluster.name,
            second_series=cluster.health_council_area.name,
        )
    )


@login_required
@never_cache
@require_GET
def area_view(request, slug: str):
    area = _area_or_404(request, slug)
    return render(
        request,
        "quality/area.html",
        {"area": area, "figures": figures.compute(area=area), "min_group_size": min_group_size()},
    )


@login_required
@never_cache
@require_GET
def area_export(request, slug: str, kind: str):
    area = _area_or_404(request, slug)
    the_figures = figures.compute(area=area)
    if kind == "csv":
        content = exports.figures_csv(the_figures, with_cluster=False)
    else:
        content = exports.figures_xlsx(the_figures, with_cluster=False, title=area.name)
    return _download(content, kind=kind, filename=f"sundhedsraadsomraade-{area.slug}")


@login_required
@never_cache
@require_GET
@csp_replace(CHART_CSP)
def area_chart(request, slug: str, metric: str):
    area = _area_or_404(request, slug)
    the_metric = _metric_or_404(metric)
    row = figures.compute(area=area, metrics=[the_metric]).rows[0]
    return _svg(
        charts.trend_svg(row, title=str(the_metric.label), first_series=None, second_series=area.name)
    )

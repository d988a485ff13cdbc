"""/kvalitet/: quality clusters and health council areas, their figures, charts and exports."""

from django.urls import path

from . import views

app_name = "quality"

urlpatterns = [
    path("", views.index, name="index"),
    path("klynge/<slug:slug>/", views.cluster_view, name="cluster"),
    path("klynge/<slug:slug>/eksport.csv", views.cluster_export, {"kind": "csv"}, name="cluster_csv"),
    path("klynge/<slug:slug>/eksport.xlsx", views.cluster_export, {"kind": "xlsx"}, name="cluster_xlsx"),
    path("klynge/<slug:slug>/graf/<slug:metric>.svg", views.cluster_chart, name="cluster_chart"),
    path("omraade/<slug:slug>/", views.area_view, name="area"),
    path("omraade/<slug:slug>/eksport.csv", views.area_export, {"kind": "csv"}, name="area_csv"),
    path("omraade/<slug:slug>/eksport.xlsx", views.area_export, {"kind": "xlsx"}, name="area_xlsx"),
    path("omraade/<slug:slug>/graf/<slug:metric>.svg", views.area_chart, name="area_chart"),
]

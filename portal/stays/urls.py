"""/fokuserede-ophold/: each role's start page, needs, offers, stays, the coordinator's regions
and runs, and the learning objectives.

Needs, offers, runs and stays are addressed by their random ``public_id``, never the primary key.
"""

from django.urls import path

from . import feed_views, report_views, views

app_name = "stays"

urlpatterns = [
    path("", views.home, name="home"),
    path("kalender.ics", views.my_calendar, name="my_calendar"),
    path("kalender/", feed_views.calendar_link, name="calendar_link"),
    path("kalender/<str:token>.ics", feed_views.feed, name="feed"),
    path("behov/ny/", views.need_new, name="need_new"),
    path("behov/<uuid:public_id>/", views.need_detail, name="need"),
    path("behov/<uuid:public_id>/traek-tilbage/", views.need_withdraw, name="need_withdraw"),
    path("tilbud/ny/", views.offer_new, name="offer_new"),
    path("tilbud/<uuid:public_id>/", views.offer_detail, name="offer"),
    path("tilbud/<uuid:public_id>/perioder/", views.period_add, name="period_add"),
    path("tilbud/<uuid:public_id>/perioder/<int:period_id>/slet/", views.period_remove, name="period_remove"),
    path("ophold/<uuid:public_id>/", views.stay_detail, name="stay"),
    path("ophold/<uuid:public_id>/kalender.ics", views.stay_calendar, name="stay_calendar"),
    path(
        "ophold/<uuid:public_id>/bekraeft/praksis/",
        views.stay_confirm,
        {"side": "practice"},
        name="confirm_practice",
    ),
    path(
        "ophold/<uuid:public_id>/bekraeft/laege/",
        views.stay_confirm,
        {"side": "trainee"},
        name="confirm_trainee",
    ),
    path(
        "ophold/<uuid:public_id>/afslaa/praksis/",
        views.stay_decline,
        {"side": "practice"},
        name="decline_practice",
    ),
    path(
        "ophold/<uuid:public_id>/afslaa/laege/",
        views.stay_decline,
        {"side": "trainee"},
        name="decline_trainee",
    ),
    path(
        "ophold/<uuid:public_id>/evaluering/praksis/",
        report_views.evaluate,
        {"side": "practice"},
        name="evaluate_practice",
    ),
    path(
        "ophold/<uuid:public_id>/evaluering/ophold/",
        report_views.evaluate,
        {"side": "stay"},
        name="evaluate_stay",
    ),
    path("koordinering/<slug:region>/", views.region, name="region"),
    path("koordinering/<slug:region>/rapport/", report_views.report, name="report"),
    path(
        "koordinering/<slug:region>/rapport.csv",
        report_views.report_export,
        {"kind": "csv"},
        name="report_csv",
    ),
    path(
        "koordinering/<slug:region>/rapport.xlsx",
        report_views.report_export,
        {"kind": "xlsx"},
        name="report_xlsx",
    ),
    path("koordinering/<slug:region>/ophold.csv", views.region_export, {"kind": "csv"}, name="export_csv"),
    path("koordinering/<slug:region>/ophold.xlsx", views.region_export, {"kind": "xlsx"}, name="export_xlsx"),
    path("koordinering/<slug:region>/matchning/", views.region_match, name="match"),
    path("koordinering/<slug:region>/regler/", views.rule_add, name="rule_add"),
    path("koordinering/<slug:region>/regler/<int:rule_id>/slet/", views.rule_remove, name="rule_remove"),
    path("koordinering/<slug:region>/koersel/<uuid:public_id>/", views.run_detail, name="run"),
    path(
        "koordinering/<slug:region>/koersel/<uuid:public_id>/offentliggoer/",
        views.run_publish,
        name="publish",
    ),
    path("laeringsmaal/", views.objectives, name="objectives"),
    path("laeringsmaal/<slug:specialty>/", views.objectives_for_specialty, name="objectives_for"),
    path(
        "laeringsmaal/<slug:specialty>/<int:objective_id>/skift/",
        views.objective_toggle,
        name="objective_toggle",
    ),
]

"""/konferencer/: the dashboard, who is on duty, requests, a conference, its notes and overview,
the drop-in hours with their calendar feeds, practice visits, joint case sessions, and the quality figures.

Conferences are addressed by their random ``public_id``; a segment that is not a UUID
does not match and ends in 404.
"""

from django.urls import path

from . import case_session_views, drop_in_views, views, visit_views

app_name = "conferences"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("vagt/", views.on_duty, name="on_duty"),
    path("kvalitet/", views.quality, name="quality"),
    path("ny/", views.request_new, name="new"),
    path("ny/sygehus/", views.request_from_hospital, name="new_hospital"),
    path("<uuid:public_id>/", views.conference_detail, name="conference"),
    path("<uuid:public_id>/accepter/", views.conference_accept, name="accept"),
    path("<uuid:public_id>/luk/", views.conference_close, name="close"),
    path("<uuid:public_id>/foreslaa-faq/", views.conference_faq_propose, name="propose_faq"),
    path("<uuid:public_id>/notat/", views.note_write, name="note"),
    path("<uuid:public_id>/resume/", views.resume_write, name="resume"),
    path(
        "<uuid:public_id>/notat/medcom.json", views.note_medcom, {"format": "json"}, name="note_medcom_json"
    ),
    path("<uuid:public_id>/notat/medcom.xml", views.note_medcom, {"format": "xml"}, name="note_medcom_xml"),
    path("<uuid:public_id>/overblik/", views.overview, name="overview"),
    path("drop-in/ny/", drop_in_views.drop_in_new, name="drop_in_new"),
    path("drop-in/kalender/", drop_in_views.calendar_links, name="calendar_links"),
    path(
        "drop-in/kalender/<str:token>/<slug:specialty>/<slug:area>.ics",
        drop_in_views.drop_in_feed,
        name="drop_in_feed",
    ),
    path("drop-in/<uuid:public_id>/", drop_in_views.drop_in_detail, name="drop_in"),
    path("drop-in/<uuid:public_id>/tilmeld/", drop_in_views.drop_in_sign_up, name="drop_in_sign_up"),
    path("drop-in/<uuid:public_id>/deltag/", drop_in_views.drop_in_join, name="drop_in_join"),
    path("casekonferencer/", case_session_views.case_session_list, name="case_sessions"),
    path("casekonferencer/ny/", case_session_views.case_session_new, name="case_session_new"),
    path("casekonferencer/<uuid:public_id>/", case_session_views.case_session_detail, name="case_session"),
    path(
        "casekonferencer/<uuid:public_id>/tilmeld/",
        case_session_views.case_session_sign_up,
        name="case_session_sign_up",
    ),
    path("casekonferencer/<uuid:public_id>/sag/", case_session_views.session_case_submit, name="case_submit"),
    path(
        "casekonferencer/<uuid:public_id>/referat/",
        case_session_views.case_session_minutes,
        name="case_session_minutes",
    ),
    path(
        "casekonferencer/sag/<uuid:public_id>/accepter/",
        case_session_views.session_case_accept,
        name="case_accept",
    ),
    path(
        "casekonferencer/sag/<uuid:public_id>/afvis/",
        case_session_views.session_case_decline,
        name="case_decline",
    ),
    path(
        "casekonferencer/sag/<uuid:public_id>/flyt/", case_session_views.session_case_move, name="case_move"
    ),
    path(
        "casekonferencer/sag/<uuid:public_id>/faq/",
        case_session_views.session_case_promote,
        name="case_promote",
    ),
    path("besoeg/ny/", visit_views.visit_new, name="visit_new"),
    path("besoeg/<uuid:public_id>/", visit_views.visit_detail, name="visit"),
    path("besoeg/<uuid:public_id>/registrer/", visit_views.visit_record, name="visit_record"),
]

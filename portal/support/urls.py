"""/stoette/: general practice supporting the hospital. Notes by their random ``public_id``."""

from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("", views.home, name="home"),
    path("akuttid/ny/", views.acute_note_new, name="acute_note_new"),
    path("akuttid/<uuid:public_id>/", views.acute_note, name="acute_note"),
    path("akuttid/<uuid:public_id>/book/", views.acute_note_book, name="acute_note_book"),
    path("video/", views.video_list, name="video_list"),
    path("video/ny/", views.video_new, name="video_new"),
    path("video/<uuid:public_id>/", views.video_detail, name="video"),
    path("video/<uuid:public_id>/kalender.ics", views.video_ics, name="video_ics"),
    path("konsultation/", views.visit_list, name="visit_list"),
    path("konsultation/ny/", views.visit_new, name="visit_new"),
    path("konsultation/<uuid:public_id>/", views.visit_detail, name="visit"),
    path("konsultation/<uuid:public_id>/bekraeft/", views.visit_confirm, name="visit_confirm"),
]

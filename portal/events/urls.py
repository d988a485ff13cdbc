from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.my_events, name="mine"),
    path("<int:page_id>/", views.registration, name="registration"),
    path("<int:page_id>/tilmeld/", views.register, name="register"),
    path("<int:page_id>/afmeld/", views.cancel, name="cancel"),
    path("<int:page_id>/deltagere/", views.attendance, name="attendance"),
    path("<int:page_id>/kalender.ics", views.event_ics, name="ics"),
    path("<int:page_id>/taenk-klogt/", views.review_from_event, name="review_from_event"),
]

"""/tider/: bookable times. Objects by their random public id; a segment that is not a UUID
does not match and ends in 404."""

from django.urls import path

from . import views

app_name = "bookings"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("ledige/", views.free, name="free"),
    path("tid/<uuid:public_id>/reserver/", views.hold_new, name="hold_new"),
    path("reservation/<uuid:public_id>/", views.hold_detail, name="hold"),
    path("booking/<uuid:public_id>/", views.booking_detail, name="booking"),
    path("booking/<uuid:public_id>/aflys/", views.booking_cancel, name="cancel"),
    path("booking/<uuid:public_id>/kalender.ics", views.booking_ics, name="booking_ics"),
    path("kalender/", views.calendar_links, name="calendar_links"),
    path("kalender/<str:token>.ics", views.feed, name="feed"),
    path("ressourcer/", views.resources, name="resources"),
    path("ressourcer/<uuid:public_id>/", views.resource_detail, name="resource"),
    path("ressourcer/<uuid:public_id>/ny-tid/", views.slot_new, name="slot_new"),
    path("ressourcer/<uuid:public_id>/serie/", views.series_new, name="series_new"),
]

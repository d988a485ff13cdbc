from django.urls import path

from . import views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("antal/", views.badge, name="overview_badge"),
]

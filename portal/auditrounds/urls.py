from django.urls import path

from . import views

app_name = "auditrounds"

urlpatterns = [
    path("", views.round_list, name="list"),
    path("start/", views.round_start, name="start"),
    path("<int:pk>/", views.round_detail, name="detail"),
    path("<int:pk>/registrering/<int:practice_id>/", views.register, name="register"),
    path("<int:pk>/luk/", views.close, name="close"),
    path("<int:pk>/resultater.<str:kind>", views.export, name="export"),
]

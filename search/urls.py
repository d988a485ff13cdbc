from django.urls import path

from . import views

urlpatterns = [
    path("soeg/", views.search, name="search"),
    path("search/", views.search_redirect, name="search_redirect"),
]

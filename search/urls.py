from django.urls import path

from . import views

urlpatterns = [
    path("soeg/", views.search, name="search"),
    path("search/", views.search_redirect, name="search_redirect"),
    path("api/v1/search", views.search_api, name="search_api"),
    path("api/v1/search/autocomplete", views.autocomplete_api, name="search_autocomplete"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("konto/2fa/opret/", views.two_factor_enrol, name="two_factor_enrol"),
    path("konto/2fa/bekraeft/", views.two_factor_verify, name="two_factor_verify"),
    path("konto/2fa/gendannelseskoder/", views.two_factor_recovery_codes, name="two_factor_recovery_codes"),
]

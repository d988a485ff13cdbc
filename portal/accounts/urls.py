from django.urls import path

from . import account_views, login_views, views

urlpatterns = [
    path("log-ind/", login_views.LoginView.as_view(), name="login"),
    path("log-ud/", login_views.logout_view, name="logout"),
    path("konto/", account_views.account, name="account"),
    # Under /konto/: never baked, and the web server always asks Django (ops/nginx).
    path("konto/status.json", account_views.login_status, name="login_status"),
    path("konto/beskeder/", account_views.notification_settings, name="account_notifications"),
    path("konto/2fa/opret/", views.two_factor_enrol, name="two_factor_enrol"),
    path("konto/2fa/bekraeft/", views.two_factor_verify, name="two_factor_verify"),
    path("konto/2fa/gendannelseskoder/", views.two_factor_recovery_codes, name="two_factor_recovery_codes"),
]

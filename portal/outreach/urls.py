"""/udgaaende-funktioner/: the directory by postcode and its entries (public), ordering, the
ordering side's and the service's lists, one order, and the equal-access report.

Orders are addressed by their random ``public_id``; never by the primary key or a CPR number.
The order pages are under ``bestillinger/``, a patient area (shorter idle timeout).
"""

from django.urls import path

from . import views

app_name = "outreach"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("lige-adgang/", views.equal_access, name="equal_access"),
    path("<int:pk>/", views.service_detail, name="service"),
    path("<int:pk>/bestil/", views.order_new, name="order_new"),
    path("bestillinger/", views.orders, name="orders"),
    path("bestillinger/<uuid:public_id>/", views.order_detail, name="order"),
    path("bestillinger/<uuid:public_id>/modtaget/", views.order_acknowledge, name="acknowledge"),
]

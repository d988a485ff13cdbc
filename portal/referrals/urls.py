"""/henvisninger/: the GP's overview, new referrals, worklists, one referral and its actions,
the FHIR Task, the visitation numbers and the quality figures.

Referrals are addressed by their random ``public_id``; never by the primary key or a CPR number.
"""

from django.urls import path

from . import coordinator_views, palliative_views, views

app_name = "referrals"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("ny/", views.referral_new, name="new"),
    path("ny/pakke/<int:package_id>/", views.referral_new_package, name="new_package"),
    path("afdeling/", views.worklist, name="worklist"),
    path("central-visitation/", views.worklist, {"central": True}, name="central"),
    path("kvalitet/", views.quality, name="quality"),
    path("visitation/", views.visitation, name="visitation"),
    path("palliativ/", palliative_views.palliative_list, name="palliative_list"),
    path("palliativ/ny/", palliative_views.palliative_new, name="palliative_new"),
    path("palliativ/<uuid:public_id>/", palliative_views.palliative_detail, name="palliative"),
    path(
        "palliativ/<uuid:public_id>/accepter/", palliative_views.palliative_accept, name="palliative_accept"
    ),
    path("tovholder/", coordinator_views.coordinator_list, name="coordinator_list"),
    path("tovholder/ny/", coordinator_views.coordinator_new, name="coordinator_new"),
    path(
        "tovholder/forslag/<uuid:public_id>/",
        coordinator_views.coordinator_handover_detail,
        name="coordinator_handover",
    ),
    path(
        "tovholder/forslag/<uuid:public_id>/kvitter/",
        coordinator_views.coordinator_handover_acknowledge,
        name="coordinator_acknowledge",
    ),
    path(
        "tovholder/forslag/<uuid:public_id>/traek-tilbage/",
        coordinator_views.coordinator_handover_withdraw,
        name="coordinator_withdraw",
    ),
    path("tovholder/<uuid:public_id>/", coordinator_views.coordinator_detail, name="coordinator"),
    path(
        "tovholder/<uuid:public_id>/overdrag/",
        coordinator_views.coordinator_hand_over,
        name="coordinator_hand_over",
    ),
    path(
        "tovholder/<uuid:public_id>/afdeling/",
        coordinator_views.coordinator_department_add,
        name="coordinator_department_add",
    ),
    path("<uuid:public_id>/", views.referral_detail, name="referral"),
    path("<uuid:public_id>/accepter/", views.referral_action, {"action": "accept"}, name="accept"),
    path("<uuid:public_id>/omvisiter/", views.referral_action, {"action": "reroute"}, name="reroute"),
    path("<uuid:public_id>/dialog/", views.referral_action, {"action": "dialogue"}, name="dialogue"),
    path(
        "<uuid:public_id>/forvisitation/",
        views.referral_action,
        {"action": "previsitation"},
        name="previsitation",
    ),
    path("<uuid:public_id>/returner/", views.referral_action, {"action": "return"}, name="return"),
    path("<uuid:public_id>/veto/", views.referral_action, {"action": "veto"}, name="veto"),
    path("<uuid:public_id>/ansvar/foreslaa/", views.handover_propose, name="handover_propose"),
    path("<uuid:public_id>/ansvar/kvitter/", views.handover_acknowledge, name="handover_acknowledge"),
    path("<uuid:public_id>/fhir/", views.referral_fhir, name="fhir"),
    path("<uuid:public_id>/tid/aflys/", views.booking_cancel, name="booking_cancel"),
    path("<uuid:public_id>/tid/flyt/", views.booking_rebook, name="booking_rebook"),
]

# Ordering diagnostics (bestilling af undersøgelser): portal/referrals/diagnostics_views.py.
from . import diagnostics_views  # noqa: E402

urlpatterns += [
    path("undersoegelser/", diagnostics_views.practice_orders, name="diagnostics_orders"),
    path("undersoegelser/katalog/", diagnostics_views.catalogue, name="diagnostics_catalogue"),
    path("undersoegelser/bestil/<int:type_id>/", diagnostics_views.order_new, name="diagnostics_new"),
    path("undersoegelser/afdeling/", diagnostics_views.department_orders, name="diagnostics_department"),
    path("undersoegelser/<uuid:public_id>/", diagnostics_views.order_detail, name="diagnostics_order"),
    path(
        "undersoegelser/<uuid:public_id>/udfoert/",
        diagnostics_views.order_performed,
        name="diagnostics_performed",
    ),
    path("undersoegelser/<uuid:public_id>/svar/", diagnostics_views.order_result, name="diagnostics_result"),
    path(
        "undersoegelser/<uuid:public_id>/kvitter/",
        diagnostics_views.order_acknowledge,
        name="diagnostics_acknowledge",
    ),
]

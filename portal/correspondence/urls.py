"""/korrespondance/: the inbox, new threads, a thread and its actions, files and exports, quality.

Threads, messages and attachments are addressed by their random ``public_id``;
a path segment that is not a UUID does not match and ends in 404.
"""

from django.urls import path

from . import views

app_name = "correspondence"

urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("patient/", views.inbox_patient_filter, name="patient_filter"),
    path("ny/", views.thread_new, name="new"),
    path("kvalitet/", views.quality, name="quality"),
    path("<uuid:public_id>/", views.thread_detail, name="thread"),
    path("<uuid:public_id>/svar/", views.thread_reply, name="reply"),
    path("<uuid:public_id>/overtag/", views.thread_claim, name="claim"),
    path("<uuid:public_id>/tildel/", views.thread_assign, name="assign"),
    path("<uuid:public_id>/omvisiter/", views.thread_reroute, name="reroute"),
    path("<uuid:public_id>/luk/", views.thread_close, name="close"),
    path("<uuid:public_id>/cpr/", views.thread_reveal_cpr, name="reveal_cpr"),
    path("<uuid:public_id>/foreslaa-faq/", views.thread_faq_propose, name="propose_faq"),
    path("<uuid:public_id>/bilag/<uuid:attachment_id>/", views.attachment_download, name="attachment"),
    path(
        "<uuid:public_id>/beskeder/<uuid:message_id>/medcom.json",
        views.message_medcom,
        {"format": "json"},
        name="medcom_json",
    ),
    path(
        "<uuid:public_id>/beskeder/<uuid:message_id>/medcom.xml",
        views.message_medcom,
        {"format": "xml"},
        name="medcom_xml",
    ),
]

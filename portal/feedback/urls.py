from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("", views.feedback_index, name="index"),
    path("ny/<int:page_id>/", views.feedback_new, name="new"),
    path("<uuid:public_id>/", views.feedback_detail, name="detail"),
    path("<uuid:public_id>/svar/", views.feedback_answer, name="answer"),
]

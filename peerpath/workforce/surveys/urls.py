"""Pages of this area; included by peerpath/workforce/urls.py (no app_name here, names are the app's)."""

from django.urls import path

from peerpath.workforce.surveys import views

urlpatterns = [
    path("surveys/", views.surveys, name="surveys"),
    path("surveys/<int:pk>/answer/", views.survey_answer, name="survey_answer"),
    path("surveys/<int:pk>/results/", views.survey_results, name="survey_results"),
]

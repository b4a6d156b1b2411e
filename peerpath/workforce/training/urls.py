"""Pages of this area; included by peerpath/workforce/urls.py (no app_name here, names are the app's)."""

from django.urls import path

from peerpath.workforce.training import views

urlpatterns = [
    path("training/", views.training, name="training"),
    path("training/catalogue/", views.catalogue_edit, name="catalogue_edit"),
    path("training/coverage/", views.coverage, name="coverage"),
    path("training/completions/<int:pk>/certificate/", views.certificate, name="certificate"),
]

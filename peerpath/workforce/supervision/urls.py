"""Pages of this area; included by peerpath/workforce/urls.py (no app_name here, names are the app's)."""

from django.urls import path

from peerpath.workforce.supervision import views

urlpatterns = [
    path("supervision/", views.supervision, name="supervision"),
]

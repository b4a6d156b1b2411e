"""Pages of this area; included by peerpath/workforce/urls.py (no app_name here, names are the app's)."""

from django.urls import path

from peerpath.workforce.credentials import views

urlpatterns = [
    path("credentials/", views.credentials, name="credentials"),
]

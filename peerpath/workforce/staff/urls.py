"""Pages of this area; included by peerpath/workforce/urls.py (no app_name here, names are the app's)."""

from django.urls import path

from peerpath.workforce.staff import views

urlpatterns = [
    path("", views.home, name="home"),
    path("staff/<int:staff_id>/", views.profile, name="profile"),
    path("notifications/", views.notifications, name="notifications"),
    path("jobs/", views.jobs, name="jobs"),
]

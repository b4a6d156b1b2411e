"""Pages of this area; included by peerpath/measures/urls.py (no app_name here, names are the app's)."""

from django.urls import path

from peerpath.measures.schedules import views

urlpatterns = [
    path("clients/<int:client_id>/enrol/", views.enrol, name="enrol"),
    path("schedules/", views.schedule_list, name="schedule_list"),
    path("schedules/<int:pk>/", views.schedule_detail, name="schedule_detail"),
    path("follow-up-rates/", views.rates, name="rates"),
]

"""Pages of this area; included by peerpath/measures/urls.py (no app_name here, names are the app's)."""

from django.urls import path

from peerpath.measures.administrations import views

urlpatterns = [
    path("", views.due, name="due"),
    path("clients/<int:client_id>/", views.client_measures, name="client_measures"),
    path("clients/<int:client_id>/start/", views.administration_start, name="administration_start"),
    path("administrations/<int:pk>/", views.administration_detail, name="administration_detail"),
    path("administrations/<int:pk>/enter/", views.administration_enter, name="administration_enter"),
    path("administrations/<int:pk>/cancel/", views.administration_cancel, name="administration_cancel"),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
]

"""Pages of this area; included by peerpath/workforce/urls.py (no app_name here, names are the app's)."""

from django.urls import path

from peerpath.workforce.boundaries import views

urlpatterns = [
    path("boundaries/", views.boundaries, name="boundaries"),
    path("boundaries/trend/", views.boundary_trend, name="boundary_trend"),
    path("boundaries/<int:pk>/", views.boundary_detail, name="boundary_detail"),
]

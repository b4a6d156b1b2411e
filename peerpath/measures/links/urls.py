"""Pages of this area; included by peerpath/measures/urls.py (no app_name here, names are the app's)."""

from django.urls import path

from peerpath.measures.links import views

urlpatterns = [
    path("administrations/<int:pk>/link/", views.link_create, name="link_create"),
    path("s/<str:token>/", views.survey, name="survey"),
]

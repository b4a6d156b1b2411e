from django.urls import path

from peerpath.implementation.integration import views

urlpatterns = [
    path("", views.integration_page, name="integration_page"),
]

from django.urls import path

from peerpath.interop import views

app_name = "interop"

urlpatterns = [path("", views.overview, name="overview")]

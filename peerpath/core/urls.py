from django.urls import path

from peerpath.core import live, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("audit/", views.audit_search, name="audit_search"),
    path("live/notifications", live.notification_stream, name="notification_stream"),
]

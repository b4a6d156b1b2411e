from django.urls import path

from peerpath.core import live, pwa, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/session", views.healthz_session, name="healthz_session"),
    path("audit/", views.audit_search, name="audit_search"),
    path("favicon.ico", pwa.favicon, name="favicon"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("offline/", pwa.offline, name="offline"),
    path("live/notifications", live.notification_stream, name="notification_stream"),
]

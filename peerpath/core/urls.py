from django.urls import path

from peerpath.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/session", views.healthz_session, name="healthz_session"),
    path("audit/", views.audit_search, name="audit_search"),
]

from django.contrib import admin
from django.urls import include, path

from config.api import api

urlpatterns = [
    path("", include("peerpath.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("staff/", include("peerpath.accounts.urls")),
    path("clients/", include("peerpath.clients.urls")),
    path("care/", include("peerpath.care.urls")),
    path("workforce/", include("peerpath.workforce.urls")),
    path("measures/", include("peerpath.measures.urls")),
    path("outcomes/", include("peerpath.outcomes.urls")),
    path("implementation/", include("peerpath.implementation.urls")),
    path("api/v1/", api.urls),
    path("fhir/r4/", include("peerpath.interop.fhir.urls")),
    path("interop/", include("peerpath.interop.urls")),
    path("platform-admin/", admin.site.urls),
]

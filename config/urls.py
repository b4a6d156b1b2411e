from django.contrib import admin
from django.urls import include, path

from config.api import api
from peerpath.accounts.views_admin import platform_admin_login

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
    # The platform admin signs in through the same allauth flow (lockout, two-factor): the
    # admin site's own login form is never served.
    path("platform-admin/login/", platform_admin_login, name="platform_admin_login"),
    path("fhir/r4/", include("peerpath.interop.fhir.urls")),
    path("interop/", include("peerpath.interop.urls")),
    path("platform-admin/", admin.site.urls),
]

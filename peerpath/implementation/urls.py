from django.urls import include, path

# Each part of the module keeps its own urls.py (no app_name there); names are prefixed by area.
app_name = "implementation"
urlpatterns: list = [
    path("", include("peerpath.implementation.planning.urls")),
    path("readiness/", include("peerpath.implementation.readiness.urls")),
    path("cfir/", include("peerpath.implementation.ratings.urls")),
    path("integration/", include("peerpath.implementation.integration.urls")),
    path("report/", include("peerpath.implementation.report.urls")),
]

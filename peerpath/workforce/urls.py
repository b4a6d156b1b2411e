from django.urls import include, path

# Each area keeps its own urls.py (no app_name there); every path and name is the app's as before.
app_name = "workforce"
urlpatterns = [
    path("", include("peerpath.workforce.staff.urls")),
    path("", include("peerpath.workforce.roles.urls")),
    path("", include("peerpath.workforce.training.urls")),
    path("", include("peerpath.workforce.credentials.urls")),
    path("", include("peerpath.workforce.supervision.urls")),
    path("", include("peerpath.workforce.boundaries.urls")),
    path("", include("peerpath.workforce.surveys.urls")),
]

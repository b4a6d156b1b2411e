from django.urls import include, path

# Each area keeps its own urls.py (no app_name there); every path and name is the app's as before.
app_name = "measures"
urlpatterns = [
    path("", include("peerpath.measures.administrations.urls")),
    path("", include("peerpath.measures.links.urls")),
    path("", include("peerpath.measures.instruments.urls")),
    path("", include("peerpath.measures.schedules.urls")),
]

"""Pages of this area; included by peerpath/measures/urls.py (no app_name here, names are the app's)."""

from django.urls import path

from peerpath.measures.instruments import views

urlpatterns = [
    path("instruments/", views.instrument_list, name="instrument_list"),
    path("instruments/<int:pk>/", views.instrument_detail, name="instrument_detail"),
    path("instruments/<int:pk>/add/<str:step>/", views.instrument_build, name="instrument_build"),
    path("instruments/<int:pk>/publish/", views.instrument_publish, name="instrument_publish"),
    path("instruments/<int:pk>/items/<int:number>/text/", views.item_text, name="item_text"),
]

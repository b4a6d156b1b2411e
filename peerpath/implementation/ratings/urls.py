from django.urls import path

from peerpath.implementation.ratings import views

urlpatterns = [
    path("", views.round_list, name="ratings_round_list"),
    path("heat-map/", views.heatmap, name="ratings_heatmap"),
    path("<int:pk>/", views.round_detail, name="ratings_round_detail"),
    path("<int:pk>/rate/<str:domain>/", views.round_rate, name="ratings_round_rate"),
]

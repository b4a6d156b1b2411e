from django.urls import path

from peerpath.implementation.readiness import views

urlpatterns = [
    path("", views.round_list, name="readiness_round_list"),
    path("new/", views.round_create, name="readiness_round_create"),
    path("mine/", views.my_surveys, name="readiness_my_surveys"),
    path("<int:pk>/", views.round_detail, name="readiness_round_detail"),
    path("<int:pk>/close/", views.round_close, name="readiness_round_close"),
    path("<int:pk>/answer/", views.answer, name="readiness_answer"),
]

from django.urls import path

from peerpath.care import views

app_name = "care"
urlpatterns = [
    path("", views.peer_home, name="peer_home"),
    path("caseload/", views.caseload, name="caseload"),
    path("encounters/new/", views.encounter_create, name="encounter_create"),
    path("encounters/<int:encounter_id>/", views.encounter_detail, name="encounter_detail"),
    path("clients/<int:client_id>/plan/", views.plan, name="plan"),
    path("clients/<int:client_id>/plan/save/", views.plan_save, name="plan_save"),
    path("clients/<int:client_id>/plan/goals/", views.goal_add, name="goal_add"),
    path("goals/<int:goal_id>/progress/", views.goal_progress, name="goal_progress"),
    path("goals/<int:goal_id>/steps/", views.step_add, name="step_add"),
    path("steps/<int:step_id>/done/", views.step_done, name="step_done"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("consultations/", views.consultation_list, name="consultation_list"),
]

from django.urls import path

from peerpath.workforce import views

app_name = "workforce"
urlpatterns = [
    path("", views.home, name="home"),
    path("staff/<int:staff_id>/", views.profile, name="profile"),
    path("notifications/", views.notifications, name="notifications"),
    path("jobs/", views.jobs, name="jobs"),
    path("roles/", views.role_list, name="role_list"),
    path("roles/new/", views.role_create, name="role_create"),
    path("roles/<int:pk>/", views.role_detail, name="role_detail"),
    path("roles/<int:pk>/edit/", views.role_edit, name="role_edit"),
    path("roles/<int:pk>/send/", views.role_send, name="role_send"),
    path("roles/<int:pk>/approve/", views.role_approve, name="role_approve"),
    path("roles/<int:pk>/comment/", views.role_comment, name="role_comment"),
    path("roles/<int:pk>/new-version/", views.role_new_version, name="role_new_version"),
    path("roles/<int:pk>/compare/<int:other_pk>/", views.role_compare, name="role_compare"),
    path("roles/<int:pk>/print/", views.role_print, name="role_print"),
    path("roles/<int:pk>/pdf/", views.role_pdf, name="role_pdf"),
    path("training/", views.training, name="training"),
    path("training/catalogue/", views.catalogue_edit, name="catalogue_edit"),
    path("training/coverage/", views.coverage, name="coverage"),
    path("training/completions/<int:pk>/certificate/", views.certificate, name="certificate"),
    path("credentials/", views.credentials, name="credentials"),
    path("supervision/", views.supervision, name="supervision"),
    path("boundaries/", views.boundaries, name="boundaries"),
    path("boundaries/trend/", views.boundary_trend, name="boundary_trend"),
    path("boundaries/<int:pk>/", views.boundary_detail, name="boundary_detail"),
    path("surveys/", views.surveys, name="surveys"),
    path("surveys/<int:pk>/answer/", views.survey_answer, name="survey_answer"),
    path("surveys/<int:pk>/results/", views.survey_results, name="survey_results"),
    path("pay-equity/", views.pay_equity, name="pay_equity"),
]

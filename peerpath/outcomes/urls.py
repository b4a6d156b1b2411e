from django.urls import path

from peerpath.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("clients/<int:client_id>/service-use/", views.client_service_use, name="client_service_use"),
    path("service-use/<int:event_id>/withdraw/", views.service_event_withdraw, name="service_event_withdraw"),
    path("service-use/import/", views.service_event_import, name="service_event_import"),
    path("service-use/import/progress/", views.service_event_import_progress, name="service_event_import_progress"),
    path("evaluation/", views.evaluation, name="evaluation"),
    path("evaluation/report.pdf", views.evaluation_pdf, name="evaluation_pdf"),
    path("evaluation/dataset/<str:kind>.csv", views.evaluation_dataset, name="evaluation_dataset"),
]

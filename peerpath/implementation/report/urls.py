from django.urls import path

from peerpath.implementation.report import views

urlpatterns = [
    path("", views.report_page, name="report_page"),
    path("pdf/", views.report_pdf, name="report_pdf"),
    path("procurement/", views.procurement_page, name="report_procurement"),
    path("procurement.csv", views.procurement_csv, name="report_procurement_csv"),
]

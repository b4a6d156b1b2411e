from django.urls import path

from peerpath.measures import views

app_name = "measures"
urlpatterns = [
    path("", views.due, name="due"),
    path("clients/<int:client_id>/", views.client_measures, name="client_measures"),
    path("clients/<int:client_id>/start/", views.administration_start, name="administration_start"),
    path("clients/<int:client_id>/enrol/", views.enrol, name="enrol"),
    path("administrations/<int:pk>/", views.administration_detail, name="administration_detail"),
    path("administrations/<int:pk>/enter/", views.administration_enter, name="administration_enter"),
    path("administrations/<int:pk>/link/", views.link_create, name="link_create"),
    path("administrations/<int:pk>/cancel/", views.administration_cancel, name="administration_cancel"),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("s/<str:token>/", views.survey, name="survey"),
    path("instruments/", views.instrument_list, name="instrument_list"),
    path("instruments/<int:pk>/", views.instrument_detail, name="instrument_detail"),
    path("instruments/<int:pk>/add/<str:step>/", views.instrument_build, name="instrument_build"),
    path("instruments/<int:pk>/publish/", views.instrument_publish, name="instrument_publish"),
    path("instruments/<int:pk>/items/<int:number>/text/", views.item_text, name="item_text"),
    path("schedules/", views.schedule_list, name="schedule_list"),
    path("schedules/<int:pk>/", views.schedule_detail, name="schedule_detail"),
    path("follow-up-rates/", views.rates, name="rates"),
]

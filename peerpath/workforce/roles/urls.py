"""Pages of this area; included by peerpath/workforce/urls.py (no app_name here, names are the app's)."""

from django.urls import path

from peerpath.workforce.roles import views

urlpatterns = [
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
    path("pay-equity/", views.pay_equity, name="pay_equity"),
]

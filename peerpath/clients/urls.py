from django.urls import path

from peerpath.clients import views

app_name = "clients"
urlpatterns = [
    path("", views.client_list, name="client_list"),
    path("search/", views.client_search, name="client_search"),
    path("<int:client_id>/", views.client_detail, name="client_detail"),
    path("referrals/", views.referral_inbox, name="referral_inbox"),
    path("referrals/bulk/", views.referrals_bulk, name="referrals_bulk"),
    path("referrals/new/", views.referral_create, name="referral_create"),
    path("referrals/<int:referral_id>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:referral_id>/accept/", views.referral_accept, name="referral_accept"),
    path("referrals/<int:referral_id>/decline/", views.referral_decline, name="referral_decline"),
    path("referrals/<int:referral_id>/assign/", views.referral_assign, name="referral_assign"),
    path("referrals/<int:referral_id>/close/", views.referral_close, name="referral_close"),
]

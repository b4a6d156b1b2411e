from django.urls import path

from peerpath.accounts import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.token_create, name="token_create"),
    path("profile/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("profile/language/", views.language, name="language"),
    path("my-experience/", views.my_experience, name="my_experience"),
    path("my-experience/<int:experience_id>/remove/", views.my_experience_remove, name="my_experience_remove"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/search/", views.staff_search, name="staff_search"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/<int:staff_id>/", views.staff_edit, name="staff_edit"),
    path("organisation/", views.organisation_settings, name="organisation_settings"),
]

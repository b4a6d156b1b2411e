"""Planning pages, mounted at /implementation/ (names prefixed ``planning_``; reversed as
``implementation:planning_...``)."""

from django.urls import path

from peerpath.implementation.planning import views

urlpatterns = [
    path("", views.home, name="planning_home"),
    path("my-actions/", views.my_items, name="planning_my_items"),
    path("barriers/", views.barrier_list, name="planning_barrier_list"),
    path("barriers/new/", views.barrier_create, name="planning_barrier_create"),
    path("barriers/<int:pk>/edit/", views.barrier_edit, name="planning_barrier_edit"),
    path("barriers/<int:pk>/remove/", views.barrier_deactivate, name="planning_barrier_deactivate"),
    path("barriers/templates/", views.templates, name="planning_templates"),
    path("barriers/templates/add/", views.template_add, name="planning_template_add"),
    path("barriers/templates/new/", views.template_create, name="planning_template_create"),
    path("barriers/templates/<int:pk>/remove/", views.template_deactivate, name="planning_template_deactivate"),
    path("recommendations/", views.recommendations, name="planning_recommendations"),
    path("recommendations/add/", views.recommendations_add, name="planning_recommendations_add"),
    path("strategy-table/", views.strategy_table, name="planning_strategy_table"),
    path("strategy-table/<int:pk>/retire/", views.match_retire, name="planning_match_retire"),
    path("plans/", views.plan_list, name="planning_plan_list"),
    path("plans/new/", views.plan_create, name="planning_plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="planning_plan_detail"),
    path("plans/<int:pk>/actions/new/", views.item_create, name="planning_item_create"),
    path("actions/<int:pk>/edit/", views.item_edit, name="planning_item_edit"),
    path("actions/<int:pk>/status/", views.item_status, name="planning_item_status"),
]

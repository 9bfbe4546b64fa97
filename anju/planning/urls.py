"""Workbench pages of planning, mounted at /workbench/plans/."""

from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("", views.plan_index, name="index"),
    path("five-year/new/", views.five_year_create, name="five-year-create"),
    path("five-year/<int:pk>/", views.five_year_detail, name="five-year-detail"),
    path("annual/<int:pk>/", views.annual_detail, name="annual-detail"),
    path("annual/<int:pk>/advance/", views.annual_advance, name="annual-advance"),
    path("annual/<int:pk>/rounds/new/", views.round_create, name="round-create"),
    path("rounds/<int:pk>/", views.round_detail, name="round-detail"),
    path("rounds/<int:pk>/score/", views.round_score, name="round-score"),
    path("rounds/<int:pk>/publish/", views.round_publish, name="round-publish"),
    path("rounds/<int:pk>/compare/", views.round_compare, name="round-compare"),
    path("rounds/<int:pk>/export.xlsx", views.round_export, name="round-export"),
    path("rounds/<int:pk>/compounds/<int:compound_id>/", views.round_entry, name="round-entry"),
    path("scenarios/<int:pk>/", views.scenario_detail, name="scenario-detail"),
    path("scenarios/<int:pk>/adopt/", views.scenario_adopt, name="scenario-adopt"),
    path("models/", views.model_list, name="model-list"),
    path("models/<int:pk>/", views.model_detail, name="model-detail"),
    path("indicators/<int:pk>/", views.manual_detail, name="manual-detail"),
    path("evidence/<int:pk>/", views.manual_evidence, name="manual-evidence"),
]

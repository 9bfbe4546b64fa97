"""Workbench pages of planning, mounted at /workbench/plans/."""

from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("", views.plan_index, name="index"),
    path("five-year/new/", views.five_year_create, name="five-year-create"),
    path("five-year/<id:pk>/", views.five_year_detail, name="five-year-detail"),
    path("annual/<id:pk>/", views.annual_detail, name="annual-detail"),
    path("annual/<id:pk>/advance/", views.annual_advance, name="annual-advance"),
    path("annual/<id:pk>/rounds/new/", views.round_create, name="round-create"),
    path("rounds/<id:pk>/", views.round_detail, name="round-detail"),
    path("rounds/<id:pk>/score/", views.round_score, name="round-score"),
    path("rounds/<id:pk>/publish/", views.round_publish, name="round-publish"),
    path("rounds/<id:pk>/compare/", views.round_compare, name="round-compare"),
    path("rounds/<id:pk>/export.xlsx", views.round_export, name="round-export"),
    path("rounds/<id:pk>/compounds/<id:compound_id>/", views.round_entry, name="round-entry"),
    path("scenarios/<id:pk>/", views.scenario_detail, name="scenario-detail"),
    path("scenarios/<id:pk>/adopt/", views.scenario_adopt, name="scenario-adopt"),
    path("models/", views.model_list, name="model-list"),
    path("models/<id:pk>/", views.model_detail, name="model-detail"),
    path("indicators/<id:pk>/", views.manual_detail, name="manual-detail"),
    path("evidence/<id:pk>/", views.manual_evidence, name="manual-evidence"),
]

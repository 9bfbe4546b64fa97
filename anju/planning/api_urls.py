from django.urls import path

from . import api

urlpatterns = [
    path("five-year-plans/", api.FiveYearPlanListAPI.as_view(), name="api-five-year-plan-list"),
    path(
        "five-year-plans/<id:pk>/",
        api.FiveYearPlanDetailAPI.as_view(),
        name="api-five-year-plan-detail",
    ),
    path("annual-plans/", api.AnnualPlanListAPI.as_view(), name="api-annual-plan-list"),
    path(
        "annual-plans/<id:pk>/",
        api.AnnualPlanDetailAPI.as_view(),
        name="api-annual-plan-detail",
    ),
    path(
        "annual-plans/<id:pk>/advance/",
        api.AnnualPlanAdvanceAPI.as_view(),
        name="api-annual-plan-advance",
    ),
    path(
        "annual-plans/<id:pk>/budgets/<str:district_code>/",
        api.AnnualPlanBudgetAPI.as_view(),
        name="api-annual-plan-budget",
    ),
    path(
        "annual-plans/<id:pk>/overrides/",
        api.AnnualPlanOverridesAPI.as_view(),
        name="api-annual-plan-overrides",
    ),
    path("scoring-models/", api.ScoringModelListAPI.as_view(), name="api-scoring-model-list"),
    path(
        "scoring-models/<id:pk>/versions/",
        api.ScoringModelVersionsAPI.as_view(),
        name="api-scoring-model-versions",
    ),
    path("rounds/", api.RoundListAPI.as_view(), name="api-round-list"),
    path("rounds/<id:pk>/", api.RoundDetailAPI.as_view(), name="api-round-detail"),
    path("rounds/<id:pk>/score/", api.RoundScoreAPI.as_view(), name="api-round-score"),
    path("rounds/<id:pk>/publish/", api.RoundPublishAPI.as_view(), name="api-round-publish"),
    path("rounds/<id:pk>/entries/", api.RoundEntriesAPI.as_view(), name="api-round-entries"),
    path(
        "rounds/<id:pk>/entries/<str:compound_code>/",
        api.RoundEntryAPI.as_view(),
        name="api-round-entry",
    ),
    path(
        "rounds/<id:pk>/scenarios/",
        api.RoundScenariosAPI.as_view(),
        name="api-round-scenarios",
    ),
    path("scenarios/<id:pk>/", api.ScenarioDetailAPI.as_view(), name="api-scenario-detail"),
    path(
        "scenarios/<id:pk>/adopt/",
        api.ScenarioAdoptAPI.as_view(),
        name="api-scenario-adopt",
    ),
]

from django.urls import path

from . import api

urlpatterns = [
    path("five-year-plans/", api.FiveYearPlanListAPI.as_view(), name="api-five-year-plan-list"),
    path(
        "five-year-plans/<int:pk>/",
        api.FiveYearPlanDetailAPI.as_view(),
        name="api-five-year-plan-detail",
    ),
    path("annual-plans/", api.AnnualPlanListAPI.as_view(), name="api-annual-plan-list"),
    path(
        "annual-plans/<int:pk>/",
        api.AnnualPlanDetailAPI.as_view(),
        name="api-annual-plan-detail",
    ),
    path(
        "annual-plans/<int:pk>/advance/",
        api.AnnualPlanAdvanceAPI.as_view(),
        name="api-annual-plan-advance",
    ),
    path(
        "annual-plans/<int:pk>/budgets/<str:district_code>/",
        api.AnnualPlanBudgetAPI.as_view(),
        name="api-annual-plan-budget",
    ),
    path(
        "annual-plans/<int:pk>/overrides/",
        api.AnnualPlanOverridesAPI.as_view(),
        name="api-annual-plan-overrides",
    ),
    path("scoring-models/", api.ScoringModelListAPI.as_view(), name="api-scoring-model-list"),
    path(
        "scoring-models/<int:pk>/versions/",
        api.ScoringModelVersionsAPI.as_view(),
        name="api-scoring-model-versions",
    ),
    path("rounds/", api.RoundListAPI.as_view(), name="api-round-list"),
    path("rounds/<int:pk>/", api.RoundDetailAPI.as_view(), name="api-round-detail"),
    path("rounds/<int:pk>/score/", api.RoundScoreAPI.as_view(), name="api-round-score"),
    path("rounds/<int:pk>/publish/", api.RoundPublishAPI.as_view(), name="api-round-publish"),
    path("rounds/<int:pk>/entries/", api.RoundEntriesAPI.as_view(), name="api-round-entries"),
    path(
        "rounds/<int:pk>/entries/<str:compound_code>/",
        api.RoundEntryAPI.as_view(),
        name="api-round-entry",
    ),
    path(
        "rounds/<int:pk>/scenarios/",
        api.RoundScenariosAPI.as_view(),
        name="api-round-scenarios",
    ),
    path("scenarios/<int:pk>/", api.ScenarioDetailAPI.as_view(), name="api-scenario-detail"),
    path(
        "scenarios/<int:pk>/adopt/",
        api.ScenarioAdoptAPI.as_view(),
        name="api-scenario-adopt",
    ),
]

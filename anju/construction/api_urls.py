"""Construction's API, mounted under /api/v1/."""

from django.urls import path  # noqa: F401

from .api import sampling as sampling_api

urlpatterns = [
    # --- parties and schedule ---
    # --- notices ---
    # --- inspections ---
    # --- acceptance ---
    # --- sampling ---
    path(
        "construction/projects/<id:pk>/sampling/",
        sampling_api.ProjectSamplingAPI.as_view(),
        name="api-construction-sampling",
    ),
    path(
        "construction/projects/<id:pk>/sampling/answers/",
        sampling_api.ProjectSamplingAnswersAPI.as_view(),
        name="api-construction-sampling-answers",
    ),
    path(
        "construction/projects/<id:pk>/sampling/close/",
        sampling_api.ProjectSamplingCloseAPI.as_view(),
        name="api-construction-sampling-close",
    ),
    path(
        "construction/satisfaction/",
        sampling_api.SatisfactionStatsAPI.as_view(),
        name="api-construction-satisfaction",
    ),
]

"""Construction's API, mounted under /api/v1/."""

from django.urls import path

from .api import parties as parties_api
from .api import schedule as schedule_api

from .api import sampling as sampling_api

urlpatterns = [
    # --- parties and schedule ---
    path(
        "construction/projects/",
        parties_api.DeliveryProjectListAPI.as_view(),
        name="api-construction-projects",
    ),
    path(
        "construction/projects/<id:pk>/parties/",
        parties_api.DeliveryPartiesAPI.as_view(),
        name="api-construction-parties",
    ),
    path(
        "construction/projects/<id:pk>/parties/<id:party_id>/",
        parties_api.DeliveryPartyAPI.as_view(),
        name="api-construction-party",
    ),
    path(
        "construction/projects/<id:pk>/schedule/",
        schedule_api.DeliveryScheduleAPI.as_view(),
        name="api-construction-schedule",
    ),
    path(
        "construction/projects/<id:pk>/tasks/",
        schedule_api.DeliveryTasksAPI.as_view(),
        name="api-construction-tasks",
    ),
    path(
        "construction/projects/<id:pk>/milestones/",
        schedule_api.DeliveryMilestonesAPI.as_view(),
        name="api-construction-milestones",
    ),
    path(
        "construction/projects/<id:pk>/start/",
        schedule_api.DeliveryStartAPI.as_view(),
        name="api-construction-start",
    ),
    path(
        "construction/projects/<id:pk>/progress-reports/",
        schedule_api.DeliveryProgressReportsAPI.as_view(),
        name="api-construction-progress-reports",
    ),
    path(
        "construction/projects/<id:pk>/progress-reports/<id:report_id>/confirm/",
        schedule_api.DeliveryProgressConfirmAPI.as_view(),
        name="api-construction-progress-confirm",
    ),
    path(
        "construction/projects/<id:pk>/progress-reports/<id:report_id>/dispute/",
        schedule_api.DeliveryProgressDisputeAPI.as_view(),
        name="api-construction-progress-dispute",
    ),
    path(
        "construction/projects/<id:pk>/s-curve/",
        schedule_api.DeliveryCurveAPI.as_view(),
        name="api-construction-s-curve",
    ),
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

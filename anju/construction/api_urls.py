"""Construction's API, mounted under /api/v1/."""

from django.urls import path

from .api import acceptance as acceptance_api
from .api import parties as parties_api
from .api import sampling as sampling_api
from .api import schedule as schedule_api

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
    path(
        "construction/projects/<id:pk>/acceptance-sessions/",
        acceptance_api.ProjectAcceptanceSessionsAPI.as_view(),
        name="api-construction-acceptance-sessions",
    ),
    path(
        "construction/acceptance-sessions/<id:pk>/",
        acceptance_api.AcceptanceSessionAPI.as_view(),
        name="api-construction-acceptance-session",
    ),
    path(
        "construction/acceptance-sessions/<id:pk>/participants/",
        acceptance_api.AcceptanceParticipantsAPI.as_view(),
        name="api-construction-acceptance-participants",
    ),
    path(
        "construction/acceptance-participants/<id:pk>/",
        acceptance_api.AcceptanceParticipantAPI.as_view(),
        name="api-construction-acceptance-participant",
    ),
    path(
        "construction/acceptance-participants/<id:pk>/checks/",
        acceptance_api.AcceptanceChecksAPI.as_view(),
        name="api-construction-acceptance-checks",
    ),
    path(
        "construction/acceptance-sessions/<id:pk>/defects/",
        acceptance_api.AcceptanceDefectsAPI.as_view(),
        name="api-construction-acceptance-defects",
    ),
    path(
        "construction/acceptance-defects/<id:pk>/clear/",
        acceptance_api.AcceptanceDefectClearAPI.as_view(),
        name="api-construction-acceptance-defect-clear",
    ),
    path(
        "construction/acceptance-sessions/<id:pk>/decision/",
        acceptance_api.AcceptanceDecisionAPI.as_view(),
        name="api-construction-acceptance-decision",
    ),
    path(
        "construction/acceptance-sessions/<id:pk>/conditions-cleared/",
        acceptance_api.AcceptanceConditionsClearedAPI.as_view(),
        name="api-construction-acceptance-conditions-cleared",
    ),
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

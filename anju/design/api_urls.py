"""Design's API under /api/v1/: projects, surveys, plan versions, notices, objections, reviews."""

from django.urls import path

from .api import notices as notice_api
from .api import plans as plan_api
from .api import projects
from .api import reviews as review_api
from .api import surveys as survey_api

urlpatterns = [
    # --- projects ---
    path("projects/", projects.ProjectListAPI.as_view(), name="api-project-list"),
    path("projects/<id:pk>/", projects.ProjectDetailAPI.as_view(), name="api-project-detail"),
    path(
        "projects/<id:pk>/assignments/",
        projects.ProjectAssignmentsAPI.as_view(),
        name="api-project-assignments",
    ),
    path(
        "projects/<id:pk>/assignments/<id:assignment_id>/",
        projects.ProjectAssignmentAPI.as_view(),
        name="api-project-assignment",
    ),
    # --- surveys ---
    path(
        "projects/<id:pk>/findings/",
        survey_api.ProjectFindingsAPI.as_view(),
        name="api-project-findings",
    ),
    path("findings/<id:pk>/", survey_api.FindingDetailAPI.as_view(), name="api-finding-detail"),
    path("finding-photos/<id:pk>/", survey_api.FindingPhotoAPI.as_view(), name="api-finding-photo"),
    # --- plan versions ---
    path(
        "projects/<id:pk>/plan-versions/",
        plan_api.ProjectPlanVersionsAPI.as_view(),
        name="api-project-plan-versions",
    ),
    path(
        "plan-versions/<id:pk>/",
        plan_api.PlanVersionDetailAPI.as_view(),
        name="api-plan-version-detail",
    ),
    path(
        "plan-versions/<id:pk>/items/",
        plan_api.PlanVersionItemsAPI.as_view(),
        name="api-plan-version-items",
    ),
    # --- notices ---
    path(
        "plan-versions/<id:pk>/notice/",
        notice_api.PlanVersionNoticeAPI.as_view(),
        name="api-plan-version-notice",
    ),
    path(
        "notices/<id:pk>/objections/",
        notice_api.NoticeObjectionsAPI.as_view(),
        name="api-notice-objections",
    ),
    path(
        "objections/<id:pk>/answer/",
        notice_api.ObjectionAnswerAPI.as_view(),
        name="api-objection-answer",
    ),
    # --- reviews ---
    path(
        "plan-versions/<id:pk>/review/",
        review_api.PlanVersionReviewAPI.as_view(),
        name="api-plan-version-review",
    ),
    path("reviews/<id:pk>/", review_api.ReviewDetailAPI.as_view(), name="api-review-detail"),
    path(
        "reviews/<id:pk>/decisions/<slug:department>/",
        review_api.ReviewDecisionAPI.as_view(),
        name="api-review-decision",
    ),
    path(
        "projects/<id:pk>/reviewers/",
        review_api.ProjectReviewersAPI.as_view(),
        name="api-project-reviewers",
    ),
    path(
        "projects/<id:pk>/permits/<slug:procedure>/",
        review_api.ProjectPermitAPI.as_view(),
        name="api-project-permit",
    ),
]

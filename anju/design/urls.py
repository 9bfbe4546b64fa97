"""Design's workbench pages, mounted under /workbench/projects/."""

from django.urls import path

from .views import notices as notice_views
from .views import plans as plan_views
from .views import projects
from .views import reviews as review_views
from .views import surveys as survey_views

app_name = "design"
urlpatterns = [
    # --- projects ---
    path("", projects.project_list, name="project-list"),
    path("<id:pk>/", projects.project_detail, name="project-detail"),
    path("<id:pk>/assignments/", projects.project_assign, name="project-assign"),
    path(
        "<id:pk>/assignments/<id:assignment_id>/remove/",
        projects.project_unassign,
        name="project-unassign",
    ),
    path("compound-links/<str:code>/", projects.compound_links, name="compound-links"),
    # --- surveys ---
    path("<id:pk>/survey/", survey_views.project_survey, name="survey"),
    path("findings/<id:pk>/correct/", survey_views.finding_correct, name="finding-correct"),
    path("findings/<id:pk>/delete/", survey_views.finding_delete, name="finding-delete"),
    path("findings/photos/<id:pk>/", survey_views.finding_photo, name="finding-photo"),
    # --- plan versions ---
    path("<id:pk>/versions/new/", plan_views.plan_version_create, name="plan-version-create"),
    path("versions/<id:pk>/", plan_views.plan_version_detail, name="plan-version-detail"),
    path("versions/<id:pk>/items/", plan_views.plan_item_add, name="plan-item-add"),
    path("versions/<id:pk>/needs/", plan_views.plan_need_answer, name="plan-need-answer"),
    path("plan-items/<id:pk>/", plan_views.plan_item_edit, name="plan-item-edit"),
    path("plan-items/<id:pk>/delete/", plan_views.plan_item_delete, name="plan-item-delete"),
    path("<id:pk>/workshops/", plan_views.plan_workshop_add, name="plan-workshop-add"),
    path("<id:pk>/schemes/", plan_views.plan_scheme_save, name="plan-scheme-save"),
    path("<id:pk>/plan-ready/", plan_views.plan_mark_ready, name="plan-mark-ready"),
    # --- notices ---
    path("versions/<id:pk>/notice/", notice_views.notice_publish, name="notice-publish"),
    path("notices/<id:pk>/", notice_views.notice_detail, name="notice-detail"),
    path("objections/<id:pk>/answer/", notice_views.objection_answer, name="objection-answer"),
    path("<id:pk>/notice.pdf", notice_views.notice_pdf_for_project, name="notice-pdf"),
    # --- reviews ---
    path("reviews/mine/", review_views.review_mine, name="review-mine"),
    path("reviews/versions/<id:pk>/submit/", review_views.review_submit, name="review-submit"),
    path(
        "reviews/<id:pk>/decisions/<slug:department>/",
        review_views.review_decide,
        name="review-decide",
    ),
    path("<id:pk>/reviewers/", review_views.review_assign, name="review-assign"),
    path("<id:pk>/permits/<slug:procedure>/", review_views.review_permit, name="review-permit"),
]

"""Design's API under /api/v1/: projects, surveys, plan versions, notices, objections, reviews."""

from django.urls import path

from .api import projects

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
    # --- plan versions ---
    # --- notices ---
    # --- reviews ---
]

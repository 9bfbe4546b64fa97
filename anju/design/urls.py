"""Design's workbench pages, mounted under /workbench/projects/."""

from django.urls import path

from .views import projects

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
    # --- plan versions ---
    # --- notices ---
    # --- reviews ---
]

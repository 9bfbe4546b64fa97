"""Design's workbench pages, mounted under /workbench/projects/."""

from django.urls import path  # noqa: F401

app_name = "design"
urlpatterns = [
    # --- projects ---
    # --- surveys ---
    # --- plan versions ---
    # --- notices ---
    # --- reviews ---
]

"""Design's API under /api/v1/: projects, surveys, plan versions, notices, objections, reviews."""

from django.urls import path  # noqa: F401

urlpatterns = [
    # --- projects ---
    # --- surveys ---
    # --- plan versions ---
    # --- notices ---
    # --- reviews ---
]

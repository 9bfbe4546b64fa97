"""Construction's API, mounted under /api/v1/."""

from django.urls import path  # noqa: F401

urlpatterns = [
    # --- parties and schedule ---
    # --- notices ---
    # --- inspections ---
    # --- acceptance ---
    # --- sampling ---
]

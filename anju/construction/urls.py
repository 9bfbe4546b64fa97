"""Construction's workbench pages, mounted under /workbench/construction/."""

from django.urls import path  # noqa: F401

app_name = "construction"
urlpatterns = [
    # --- parties and schedule ---
    # --- notices ---
    # --- inspections ---
    # --- acceptance ---
    # --- sampling ---
]

"""Residents' pages of construction (notice, complaints, satisfaction): /portal/construction/."""

from django.urls import path  # noqa: F401

app_name = "construction-portal"
urlpatterns = [
    # --- notices ---
    # --- sampling ---
]

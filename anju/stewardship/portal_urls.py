"""Residents' pages of stewardship (problem reports), mounted under /portal/stewardship/."""

from django.urls import path  # noqa: F401

app_name = "stewardship-portal"
urlpatterns = [
    # --- reports ---
]

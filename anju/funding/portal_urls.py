"""Residents' pages of funding (their own contribution), mounted under /portal/funding/."""

from django.urls import path  # noqa: F401

app_name = "funding-portal"
urlpatterns = [
    # --- sharing ---
]

"""Stewardship's workbench pages, mounted under /workbench/stewardship/."""

from django.urls import path  # noqa: F401

app_name = "stewardship"
urlpatterns = [
    # --- schemes ---
    # --- coverage ---
    # --- governance ---
    # --- reports ---
]

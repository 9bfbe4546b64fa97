"""Funding's workbench pages, mounted under /workbench/funding/."""

from django.urls import path  # noqa: F401

app_name = "funding"
urlpatterns = [
    # --- ledger ---
    # --- sharing ---
    # --- contracts ---
]

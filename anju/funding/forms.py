"""Funding's forms, a section per chapter (errors shown through `anju.core.forms`)."""

from django import forms  # noqa: F401
from django.utils.translation import gettext_lazy as _  # noqa: F401

# --- ledger ---

# --- end of ledger ---

# --- sharing ---

# --- end of sharing ---

# --- contracts ---

# --- end of contracts ---

"""Stewardship's forms, a section per chapter (errors shown through `anju.core.forms`)."""

from django import forms  # noqa: F401
from django.utils.translation import gettext_lazy as _  # noqa: F401

# --- schemes ---

# --- end of schemes ---

# --- coverage ---

# --- end of coverage ---

# --- governance ---

# --- end of governance ---

# --- reports ---

# --- end of reports ---

"""Construction's forms, a section per chapter (errors shown through `anju.core.forms`)."""

from django import forms  # noqa: F401
from django.utils.translation import gettext_lazy as _  # noqa: F401

# --- parties and schedule ---

# --- end of parties and schedule ---

# --- notices ---

# --- end of notices ---

# --- inspections ---

# --- end of inspections ---

# --- acceptance ---

# --- end of acceptance ---

# --- sampling ---

# --- end of sampling ---

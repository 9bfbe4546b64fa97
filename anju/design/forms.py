"""Forms of the design pages (input shape only; the services enforce the rules)."""

from django import forms  # noqa: F401
from django.utils.translation import gettext_lazy as _  # noqa: F401

# --- projects --------------------------------------------------------------------------------

# --- surveys ---------------------------------------------------------------------------------

# --- plan versions ---------------------------------------------------------------------------

# --- notices and objections ------------------------------------------------------------------

# --- joint review and permits ----------------------------------------------------------------

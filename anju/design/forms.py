"""Forms of the design pages (input shape only; the services enforce the rules)."""

from django import forms
from django.utils.translation import gettext_lazy as _

# --- projects --------------------------------------------------------------------------------

# --- surveys ---------------------------------------------------------------------------------

# --- plan versions ---------------------------------------------------------------------------

# --- notices and objections ------------------------------------------------------------------

# --- joint review and permits ----------------------------------------------------------------

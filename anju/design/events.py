"""Named constructors for design's audit events, one section per chapter."""

from django.utils.translation import gettext_lazy as _  # noqa: F401

from anju.core.audit import record_event, register_verbs  # noqa: F401

# --- projects: stage and assignments ---------------------------------------------------------

# --- surveys ---------------------------------------------------------------------------------

# --- price lists and plan versions -----------------------------------------------------------

# --- notices and objections ------------------------------------------------------------------

# --- joint review and permits ----------------------------------------------------------------

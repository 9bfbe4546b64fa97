"""Named constructors for funding's audit events, a section per chapter."""

from django.utils.translation import gettext_lazy as _  # noqa: F401

from anju.core.audit import changed_fields, record_event, register_verbs  # noqa: F401

# --- ledger ---

# --- end of ledger ---

# --- sharing ---

# --- end of sharing ---

# --- contracts ---

# --- end of contracts ---

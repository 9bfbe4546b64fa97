"""Named constructors for construction's audit events, a section per chapter."""

from django.utils.translation import gettext_lazy as _  # noqa: F401

from anju.core.audit import changed_fields, record_event, register_verbs  # noqa: F401

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

"""Writes of stewardship, a module per chapter, re-exported as one `anju.stewardship.services`
(design calls `save_management_scheme`; construction files reports with `file_report`)."""

from .reports import (
    advance_report,
    delete_routing_rule,
    escalate_overdue_reports,
    file_report,
    mark_duplicate,
    reassign_report,
    save_routing_rule,
)
from .schemes import save_management_scheme

__all__ = [
    "advance_report",
    "delete_routing_rule",
    "escalate_overdue_reports",
    "file_report",
    "mark_duplicate",
    "reassign_report",
    "save_management_scheme",
    "save_routing_rule",
]

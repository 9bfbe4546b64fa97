"""Writes of stewardship, a module per chapter, re-exported as one `anju.stewardship.services`
(design calls `save_management_scheme`; construction files reports with `file_report`)."""

from .categories import add_report_category, change_report_category
from .coverage import (
    add_committee_member,
    end_property_contract,
    record_party_member_leaving,
    record_property_contract,
    record_service,
    register_party_member,
    remove_committee_member,
    save_governance_profile,
    set_management_status,
    sync_contract_coverage,
)
from .governance import add_follow_up_task, complete_follow_up_task, record_meeting
from .reports import (
    advance_report,
    delete_routing_rule,
    escalate_overdue_reports,
    file_report,
    mark_duplicate,
    reassign_report,
    save_routing_rule,
)
from .schemes import (
    add_budget_line,
    change_budget_line,
    remove_budget_line,
    save_management_scheme,
)

__all__ = [
    "add_budget_line",
    "add_committee_member",
    "add_follow_up_task",
    "add_report_category",
    "advance_report",
    "change_budget_line",
    "change_report_category",
    "complete_follow_up_task",
    "delete_routing_rule",
    "end_property_contract",
    "escalate_overdue_reports",
    "file_report",
    "mark_duplicate",
    "reassign_report",
    "record_meeting",
    "record_party_member_leaving",
    "record_property_contract",
    "record_service",
    "register_party_member",
    "remove_budget_line",
    "remove_committee_member",
    "save_governance_profile",
    "save_management_scheme",
    "save_routing_rule",
    "set_management_status",
    "sync_contract_coverage",
]

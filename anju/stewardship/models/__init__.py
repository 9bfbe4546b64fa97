"""Keeping it up (改管并重): management schemes, coverage, joint governance and residents'
problem reports. Each module is one chapter, re-exported here as one `anju.stewardship.models`.
"""

from .coverage import (
    CONTRACT_STATUSES,
    CommitteeMember,
    GovernanceProfile,
    PartyMember,
    PropertyContract,
    ServiceRecord,
)
from .governance import Body, FollowUpTask, GovernanceMeeting
from .reports import (
    OPEN_STATUSES,
    TRANSITIONS,
    Channel,
    Escalation,
    HandlerKind,
    ProblemReport,
    ReportCategory,
    ReportPhoto,
    ReportStep,
    RoutingRule,
    Status,
)
from .schemes import COMPANY_MODELS, BudgetLine, ManagementModel, ManagementScheme, UpkeepSource

__all__ = [
    "COMPANY_MODELS",
    "CONTRACT_STATUSES",
    "OPEN_STATUSES",
    "TRANSITIONS",
    "Body",
    "BudgetLine",
    "Channel",
    "CommitteeMember",
    "Escalation",
    "FollowUpTask",
    "GovernanceMeeting",
    "GovernanceProfile",
    "HandlerKind",
    "ManagementModel",
    "ManagementScheme",
    "PartyMember",
    "ProblemReport",
    "PropertyContract",
    "ReportCategory",
    "ReportPhoto",
    "ReportStep",
    "RoutingRule",
    "ServiceRecord",
    "Status",
    "UpkeepSource",
]

"""One compound, one plan (一小区一方案): surveys, priced plan versions made with residents,
public notices with objections answered, and the joint review with permits.

Each module is one chapter; they are re-exported here so Django and callers see one
`anju.design.models`.
"""

from .notices import Notice, Objection
from .plans import NeedResponse, PlanItem, PlanVersion, Workshop
from .projects import ProjectAssignment, StageChange
from .reviews import PermitStep, Review, ReviewDecision, ReviewerAssignment
from .surveys import FindingPhoto, Severity, SurveyFinding

__all__ = [
    "FindingPhoto",
    "NeedResponse",
    "Notice",
    "Objection",
    "PermitStep",
    "PlanItem",
    "PlanVersion",
    "ProjectAssignment",
    "Review",
    "ReviewDecision",
    "ReviewerAssignment",
    "Severity",
    "StageChange",
    "SurveyFinding",
    "Workshop",
]

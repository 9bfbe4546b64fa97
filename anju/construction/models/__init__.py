"""Building well (精细施工): parties and schedule, construction notice, quality and safety
supervision, joint completion acceptance and the random satisfaction check. Each module is
one chapter, re-exported here as one `anju.construction.models`."""

from .acceptance import AcceptanceCheck, AcceptanceDefect, AcceptanceSession, Participant
from .inspections import (
    CheckResult,
    EvidencePhoto,
    Finding,
    FindingPhoto,
    Inspection,
    InspectionItem,
    RectificationStep,
    Severity,
    WorkType,
)
from .notices import ConstructionNotice
from .parties import KIND_FOR_ROLE, PartyRole, ProjectParty
from .sampling import SampledHousehold, SatisfactionAnswer, SatisfactionSurvey
from .schedule import Milestone, ProgressPhoto, ProgressReport, Task, TaskProgress

__all__ = [
    "KIND_FOR_ROLE",
    "AcceptanceCheck",
    "AcceptanceDefect",
    "AcceptanceSession",
    "CheckResult",
    "ConstructionNotice",
    "EvidencePhoto",
    "Finding",
    "FindingPhoto",
    "Inspection",
    "InspectionItem",
    "Milestone",
    "Participant",
    "PartyRole",
    "ProgressPhoto",
    "ProgressReport",
    "ProjectParty",
    "RectificationStep",
    "SampledHousehold",
    "SatisfactionAnswer",
    "SatisfactionSurvey",
    "Severity",
    "Task",
    "TaskProgress",
    "WorkType",
]

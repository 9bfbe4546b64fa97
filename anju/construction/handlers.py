"""Construction's receiver of territory's `registry_replacing` signal (docs/architecture.md)."""

from .models import (
    AcceptanceSession,
    ConstructionNotice,
    Inspection,
    Milestone,
    ProgressReport,
    ProjectParty,
    SatisfactionSurvey,
    Task,
)

# Children before parents: acceptance sessions and findings protect the parties they name,
# samples and answers protect their households.
DELIVERY_RECORDS = (
    SatisfactionSurvey,
    AcceptanceSession,
    Inspection,
    ProgressReport,
    Task,
    Milestone,
    ConstructionNotice,
    ProjectParty,
)


def forget_delivery(sender, **kwargs):
    """The registry is being replaced (demo and test cities only): parties, schedules,
    inspections, acceptance sessions and samples of the old projects go. The checklists
    (work types and their items) are reference data and stay."""
    for model in DELIVERY_RECORDS:
        model.objects.all().delete()

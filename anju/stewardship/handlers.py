"""Stewardship's receivers of territory's two documented signals (docs/architecture.md)."""

from .models import ProblemReport


def forget_reports(sender, **kwargs):
    """The registry is being replaced (demo and test cities only): residents' problem reports
    about the old compounds go with them (a report keeps its compound, so the replace could
    not delete the compounds while they remain). Schemes, contracts, committees and meetings
    go by CASCADE with their compounds."""
    ProblemReport.objects.update(duplicate_of=None)
    ProblemReport.objects.all().delete()

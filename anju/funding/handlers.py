"""Funding's receiver of territory's `registry_replacing` signal (docs/architecture.md)."""

from .models import InvestmentContract, LedgerEntry, Loan


def forget_ledgers(sender, **kwargs):
    """The registry is being replaced (demo and test cities only): the ledgers, contracts
    and loans of the old projects go. Posted ledger lines are otherwise immutable and
    protect their project; this bulk delete (no `LedgerEntry.delete`) is the one way they
    leave, and only with the registry they were posted for. Funding plans, accounts and cost
    shares go by CASCADE with the projects; funding sources and floor-coefficient tables are
    reference data and stay."""
    LedgerEntry.objects.update(reverses=None)
    LedgerEntry.objects.all().delete()
    InvestmentContract.objects.all().delete()
    Loan.objects.all().delete()

"""Paying from many purses (多元筹资): sources, the ledger per project, cost sharing and
investment contracts with loans. Each module is one chapter, re-exported as one
`anju.funding.models`."""

from .contracts import ContractFlow, InvestmentContract, Loan, RevenueRight
from .ledger import FundingPlan, FundingPlanLine, LedgerDocument, LedgerEntry, SourceAccount
from .sharing import CoefficientTable, CostShare, FloorCoefficient, HouseholdContribution
from .sources import PAYER_OF_GROUP, FundingSource, SourceGroup

__all__ = [
    "PAYER_OF_GROUP",
    "CoefficientTable",
    "ContractFlow",
    "CostShare",
    "FloorCoefficient",
    "FundingPlan",
    "FundingPlanLine",
    "FundingSource",
    "HouseholdContribution",
    "InvestmentContract",
    "LedgerDocument",
    "LedgerEntry",
    "Loan",
    "RevenueRight",
    "SourceAccount",
    "SourceGroup",
]

"""Funding's API, mounted under /api/v1/."""

from django.urls import path

from .api import contracts as contracts_api
from .api import ledger as ledger_api
from .api import sharing as sharing_api

urlpatterns = [
    # --- ledger ---
    path(
        "funding/projects/<id:pk>/plan/",
        ledger_api.LedgerPlanAPI.as_view(),
        name="api-funding-plan",
    ),
    path(
        "funding/projects/<id:pk>/plan/confirm/",
        ledger_api.LedgerPlanConfirmAPI.as_view(),
        name="api-funding-plan-confirm",
    ),
    path(
        "funding/projects/<id:pk>/entries/",
        ledger_api.LedgerEntriesAPI.as_view(),
        name="api-funding-entries",
    ),
    path(
        "funding/projects/<id:pk>/entries/<id:entry_id>/reverse/",
        ledger_api.LedgerReverseAPI.as_view(),
        name="api-funding-entry-reverse",
    ),
    path(
        "funding/projects/<id:pk>/documents/<id:document_id>/",
        ledger_api.LedgerDocumentAPI.as_view(),
        name="api-funding-document",
    ),
    path(
        "funding/projects/<id:pk>/accounts/",
        ledger_api.LedgerAccountsAPI.as_view(),
        name="api-funding-accounts",
    ),
    path("funding/totals/", ledger_api.LedgerTotalsAPI.as_view(), name="api-funding-totals"),
    # --- sharing ---
    path(
        "funding/projects/<id:pk>/shares/",
        sharing_api.SharingSharesAPI.as_view(),
        name="api-funding-shares",
    ),
    path(
        "funding/projects/<id:pk>/shares/compute/",
        sharing_api.SharingComputeAPI.as_view(),
        name="api-funding-shares-compute",
    ),
    path(
        "funding/shares/<id:pk>/",
        sharing_api.SharingShareAPI.as_view(),
        name="api-funding-share",
    ),
    path(
        "funding/shares/<id:pk>/contributions/",
        sharing_api.SharingContributionsAPI.as_view(),
        name="api-funding-share-contributions",
    ),
    # --- end of sharing ---
    # --- contracts ---
    path("funding/contracts/", contracts_api.ContractsAPI.as_view(), name="api-funding-contracts"),
    path(
        "funding/contracts/<id:pk>/",
        contracts_api.ContractAPI.as_view(),
        name="api-funding-contract",
    ),
    path(
        "funding/contracts/<id:pk>/rights/",
        contracts_api.ContractRightsAPI.as_view(),
        name="api-funding-contract-rights",
    ),
    path(
        "funding/contracts/<id:pk>/rights/<id:right_id>/",
        contracts_api.ContractRightAPI.as_view(),
        name="api-funding-contract-right",
    ),
    path(
        "funding/contracts/<id:pk>/flows/",
        contracts_api.ContractFlowsAPI.as_view(),
        name="api-funding-contract-flows",
    ),
    path(
        "funding/contracts/<id:pk>/flows/<id:flow_id>/",
        contracts_api.ContractFlowAPI.as_view(),
        name="api-funding-contract-flow",
    ),
    path(
        "funding/contracts/<id:pk>/payback/",
        contracts_api.ContractPaybackAPI.as_view(),
        name="api-funding-contract-payback",
    ),
    path("funding/loans/", contracts_api.LoansAPI.as_view(), name="api-funding-loans"),
    path("funding/loans/<id:pk>/", contracts_api.LoanAPI.as_view(), name="api-funding-loan"),
    # --- end of contracts ---
]

"""Funding's API, mounted under /api/v1/."""

from django.urls import path

from .api import contracts as contracts_api

urlpatterns = [
    # --- ledger ---
    # --- sharing ---
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
        "funding/contracts/<id:pk>/payback/",
        contracts_api.ContractPaybackAPI.as_view(),
        name="api-funding-contract-payback",
    ),
    path("funding/loans/", contracts_api.LoansAPI.as_view(), name="api-funding-loans"),
    path("funding/loans/<id:pk>/", contracts_api.LoanAPI.as_view(), name="api-funding-loan"),
    # --- end of contracts ---
]

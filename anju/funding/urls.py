"""Funding's workbench pages, mounted under /workbench/funding/."""

from django.urls import path

from .views import contracts as contract_views

app_name = "funding"
urlpatterns = [
    # --- ledger ---
    # --- sharing ---
    # --- contracts ---
    path("contracts/", contract_views.contract_list, name="contract-list"),
    path("contracts/new/", contract_views.contract_create, name="contract-create"),
    path("contracts/<id:pk>/", contract_views.contract_detail, name="contract-detail"),
    path("contracts/<id:pk>/edit/", contract_views.contract_edit, name="contract-edit"),
    path("contracts/<id:pk>/rights/", contract_views.right_add, name="contract-right-add"),
    path(
        "contracts/<id:pk>/rights/<id:right_id>/",
        contract_views.right_edit,
        name="contract-right-edit",
    ),
    path(
        "contracts/<id:pk>/rights/<id:right_id>/remove/",
        contract_views.right_remove,
        name="contract-right-remove",
    ),
    path("contracts/<id:pk>/flows/", contract_views.flow_add, name="contract-flow-add"),
    path(
        "contracts/<id:pk>/flows/<id:flow_id>/remove/",
        contract_views.flow_remove,
        name="contract-flow-remove",
    ),
    path("loans/", contract_views.loan_list, name="loan-list"),
    path("loans/new/", contract_views.loan_create, name="loan-create"),
    path("loans/<id:pk>/", contract_views.loan_detail, name="loan-detail"),
    # --- end of contracts ---
]

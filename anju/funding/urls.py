"""Funding's workbench pages, mounted under /workbench/funding/."""

from django.urls import path

from .views import contracts as contract_views
from .views import ledger as ledger_views
from .views import projects as project_views
from .views import sharing as sharing_views

app_name = "funding"
urlpatterns = [
    # --- ledger ---
    path("", ledger_views.index, name="index"),
    path("totals.xlsx", ledger_views.totals_export, name="totals-export"),
    path("sources/", ledger_views.source_list, name="sources"),
    path("sources/<id:pk>/active/", ledger_views.source_toggle, name="source-toggle"),
    path("projects/<id:pk>/", project_views.project_funding, name="project"),
    path("projects/<id:pk>/plan/lines/", ledger_views.plan_line_add, name="plan-line-add"),
    path(
        "projects/<id:pk>/plan/lines/<id:line_id>/remove/",
        ledger_views.plan_line_remove,
        name="plan-line-remove",
    ),
    path("projects/<id:pk>/plan/confirm/", ledger_views.plan_confirm, name="plan-confirm"),
    path("projects/<id:pk>/postings/", ledger_views.post_entry, name="post"),
    path(
        "projects/<id:pk>/postings/<id:entry_id>/reverse/",
        ledger_views.reverse_entry,
        name="reverse",
    ),
    path("projects/<id:pk>/ledger.xlsx", ledger_views.ledger_export, name="ledger-export"),
    path(
        "projects/<id:pk>/documents/<id:document_id>/",
        ledger_views.document_file,
        name="document",
    ),
    # --- end of ledger ---
    # --- sharing ---
    path("projects/<id:pk>/sharing/", sharing_views.sharing_page, name="sharing"),
    path(
        "projects/<id:pk>/sharing/compute/", sharing_views.sharing_compute, name="sharing-compute"
    ),
    path(
        "projects/<id:pk>/sharing/items/<id:item_id>/",
        sharing_views.sharing_item,
        name="sharing-item",
    ),
    path("projects/<id:pk>/sharing/sheet.pdf", sharing_views.sheet_pdf, name="sharing-sheet-pdf"),
    path(
        "projects/<id:pk>/sharing/sheet.xlsx", sharing_views.sheet_xlsx, name="sharing-sheet-xlsx"
    ),
    path("coefficient-tables/", sharing_views.table_list, name="sharing-tables"),
    path(
        "coefficient-tables/<id:pk>/deactivate/",
        sharing_views.table_deactivate,
        name="sharing-table-deactivate",
    ),
    # --- end of sharing ---
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
    path("loans/<id:pk>/edit/", contract_views.loan_edit, name="loan-edit"),
    # --- end of contracts ---
]

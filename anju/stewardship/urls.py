"""Stewardship's workbench pages, mounted under /workbench/stewardship/."""

from django.urls import path

from .views import categories as category_views
from .views import compounds as compound_views
from .views import coverage as coverage_views
from .views import governance as governance_views
from .views import reports as report_views
from .views import schemes as scheme_views

app_name = "stewardship"
urlpatterns = [
    # --- schemes ---
    path("compounds/", compound_views.compound_list, name="compound-list"),
    path("compounds/<str:code>/", compound_views.compound, name="compound"),
    path("compounds/<str:code>/scheme/", scheme_views.scheme_edit, name="scheme-edit"),
    path(
        "compounds/<str:code>/budget-lines/",
        scheme_views.budget_line_add,
        name="budget-line-add",
    ),
    path(
        "compounds/<str:code>/budget-lines/<id:pk>/",
        scheme_views.budget_line_edit,
        name="budget-line-edit",
    ),
    path(
        "compounds/<str:code>/budget-lines/<id:pk>/delete/",
        scheme_views.budget_line_delete,
        name="budget-line-delete",
    ),
    path("upkeep/", scheme_views.upkeep, name="upkeep"),
    path("upkeep/export/", scheme_views.upkeep_export, name="upkeep-export"),
    # --- coverage ---
    path("", coverage_views.index, name="index"),
    path("coverage/", coverage_views.coverage_report, name="coverage"),
    path("coverage/export/", coverage_views.coverage_export, name="coverage-export"),
    path(
        "compounds/<str:code>/coverage/",
        coverage_views.compound_coverage,
        name="coverage-compound",
    ),
    path(
        "compounds/<str:code>/coverage/contracts/",
        coverage_views.contract_add,
        name="coverage-contract-add",
    ),
    path(
        "coverage/contracts/<id:pk>/end/",
        coverage_views.contract_end,
        name="coverage-contract-end",
    ),
    path(
        "compounds/<str:code>/coverage/status/",
        coverage_views.management_status,
        name="coverage-status",
    ),
    path(
        "compounds/<str:code>/coverage/profile/",
        coverage_views.governance_profile,
        name="coverage-profile",
    ),
    path(
        "compounds/<str:code>/coverage/members/",
        coverage_views.member_add,
        name="coverage-member-add",
    ),
    path(
        "coverage/members/<id:pk>/remove/",
        coverage_views.member_remove,
        name="coverage-member-remove",
    ),
    path(
        "compounds/<str:code>/coverage/party-members/",
        coverage_views.party_member_add,
        name="coverage-party-member-add",
    ),
    path(
        "coverage/party-members/<id:pk>/leave/",
        coverage_views.party_member_leave,
        name="coverage-party-member-leave",
    ),
    path(
        "coverage/party-members/<id:pk>/services/",
        coverage_views.service_add,
        name="coverage-service-add",
    ),
    # --- governance ---
    path(
        "compounds/<str:code>/meetings/new/",
        governance_views.meeting_create,
        name="meeting-create",
    ),
    path("meetings/<id:pk>/", governance_views.meeting_detail, name="meeting-detail"),
    path("meetings/<id:pk>/tasks/", governance_views.task_add, name="task-add"),
    path("tasks/<id:pk>/done/", governance_views.task_done, name="task-done"),
    path("tasks/overdue/", governance_views.overdue_task_list, name="task-overdue"),
    # --- reports ---
    path("reports/", report_views.report_list, name="report-list"),
    path("reports/new/", report_views.report_file, name="report-file"),
    path("reports/suggest/", report_views.report_suggest, name="report-suggest"),
    path("reports/<id:pk>/", report_views.report_detail, name="report-detail"),
    path("reports/<id:pk>/advance/", report_views.report_advance, name="report-advance"),
    path("reports/<id:pk>/reassign/", report_views.report_reassign, name="report-reassign"),
    path("reports/<id:pk>/duplicate/", report_views.report_duplicate, name="report-duplicate"),
    path(
        "reports/<id:pk>/photos/<id:photo_id>/",
        report_views.report_photo,
        name="report-photo",
    ),
    path("reports/routing/", report_views.routing_rules, name="routing-rules"),
    path(
        "reports/routing/<id:pk>/delete/",
        report_views.routing_rule_delete,
        name="routing-rule-delete",
    ),
    path("reports/categories/", category_views.category_list, name="category-list"),
    path(
        "reports/categories/<str:code>/",
        category_views.category_edit,
        name="category-edit",
    ),
    path("reports/metrics/", report_views.report_metrics, name="report-metrics"),
    path(
        "reports/metrics/export/",
        report_views.report_metrics_export,
        name="report-metrics-export",
    ),
    path(
        "compounds/<str:code>/reports/",
        report_views.compound_reports_panel,
        name="compound-reports",
    ),
]

"""Stewardship's API, mounted under /api/v1/."""

from django.urls import path

from .api import coverage as coverage_api
from .api import governance as governance_api
from .api import reports as report_api
from .api import schemes as scheme_api

urlpatterns = [
    # --- schemes ---
    path(
        "stewardship/compounds/<str:code>/scheme/",
        scheme_api.SchemeAPI.as_view(),
        name="api-stewardship-scheme",
    ),
    path(
        "stewardship/compounds/<str:code>/budget-lines/",
        scheme_api.BudgetLinesAPI.as_view(),
        name="api-stewardship-budget-lines",
    ),
    path(
        "stewardship/compounds/<str:code>/budget-lines/<id:pk>/",
        scheme_api.BudgetLineAPI.as_view(),
        name="api-stewardship-budget-line",
    ),
    path("stewardship/upkeep/", scheme_api.UpkeepAPI.as_view(), name="api-stewardship-upkeep"),
    # --- coverage ---
    path(
        "stewardship/coverage/",
        coverage_api.CoverageFiguresAPI.as_view(),
        name="api-stewardship-coverage",
    ),
    path(
        "stewardship/compounds/<str:code>/coverage/",
        coverage_api.CompoundCoverageAPI.as_view(),
        name="api-stewardship-compound-coverage",
    ),
    path(
        "stewardship/compounds/<str:code>/coverage/contracts/",
        coverage_api.CompoundContractsAPI.as_view(),
        name="api-stewardship-compound-contracts",
    ),
    path(
        "stewardship/contracts/<id:pk>/",
        coverage_api.ContractEndAPI.as_view(),
        name="api-stewardship-contract",
    ),
    path(
        "stewardship/compounds/<str:code>/coverage/status/",
        coverage_api.CompoundManagementStatusAPI.as_view(),
        name="api-stewardship-compound-status",
    ),
    path(
        "stewardship/compounds/<str:code>/coverage/profile/",
        coverage_api.CompoundGovernanceProfileAPI.as_view(),
        name="api-stewardship-compound-profile",
    ),
    path(
        "stewardship/compounds/<str:code>/coverage/committee-members/",
        coverage_api.CompoundCommitteeMembersAPI.as_view(),
        name="api-stewardship-compound-committee-members",
    ),
    path(
        "stewardship/committee-members/<id:pk>/",
        coverage_api.CommitteeMemberAPI.as_view(),
        name="api-stewardship-committee-member",
    ),
    path(
        "stewardship/compounds/<str:code>/coverage/party-members/",
        coverage_api.CompoundPartyMembersAPI.as_view(),
        name="api-stewardship-compound-party-members",
    ),
    path(
        "stewardship/party-members/<id:pk>/leave/",
        coverage_api.PartyMemberLeaveAPI.as_view(),
        name="api-stewardship-party-member-leave",
    ),
    path(
        "stewardship/party-members/<id:pk>/services/",
        coverage_api.PartyMemberServicesAPI.as_view(),
        name="api-stewardship-party-member-services",
    ),
    # --- governance ---
    path(
        "stewardship/compounds/<str:code>/meetings/",
        governance_api.MeetingsAPI.as_view(),
        name="api-stewardship-meetings",
    ),
    path(
        "stewardship/tasks/<id:pk>/done/",
        governance_api.TaskDoneAPI.as_view(),
        name="api-stewardship-task-done",
    ),
    path(
        "stewardship/tasks/overdue/",
        governance_api.OverdueTasksAPI.as_view(),
        name="api-stewardship-overdue-tasks",
    ),
    # --- reports ---
    path("stewardship/reports/", report_api.ReportListAPI.as_view(), name="api-report-list"),
    path(
        "stewardship/reports/suggestions/",
        report_api.ReportSuggestionsAPI.as_view(),
        name="api-report-suggestions",
    ),
    path(
        "stewardship/reports/<id:pk>/",
        report_api.ReportDetailAPI.as_view(),
        name="api-report-detail",
    ),
    path(
        "stewardship/reports/<id:pk>/photos/<id:photo_id>/",
        report_api.ReportPhotoAPI.as_view(),
        name="api-report-photo",
    ),
    path(
        "stewardship/reports/<id:pk>/advance/",
        report_api.ReportAdvanceAPI.as_view(),
        name="api-report-advance",
    ),
    path(
        "stewardship/reports/<id:pk>/reassign/",
        report_api.ReportReassignAPI.as_view(),
        name="api-report-reassign",
    ),
    path(
        "stewardship/reports/<id:pk>/duplicate/",
        report_api.ReportDuplicateAPI.as_view(),
        name="api-report-duplicate",
    ),
    path(
        "stewardship/report-categories/",
        report_api.ReportCategoryListAPI.as_view(),
        name="api-report-categories",
    ),
    path(
        "stewardship/report-categories/<str:code>/",
        report_api.ReportCategoryAPI.as_view(),
        name="api-report-category",
    ),
    path(
        "stewardship/routing-rules/",
        report_api.ReportRoutingRuleListAPI.as_view(),
        name="api-routing-rule-list",
    ),
    path(
        "stewardship/routing-rules/<id:pk>/",
        report_api.ReportRoutingRuleDetailAPI.as_view(),
        name="api-routing-rule-detail",
    ),
    path(
        "stewardship/report-metrics/",
        report_api.ReportMetricsAPI.as_view(),
        name="api-report-metrics",
    ),
    # --- end of reports ---
]

"""Construction's workbench pages, mounted under /workbench/construction/."""

from django.urls import path

from .views import acceptance, checklists, notices, sampling
from .views import inspections as inspection_views
from .views import projects as delivery_projects
from .views import schedule as delivery_schedule

app_name = "construction"
urlpatterns = [
    # --- parties and schedule ---
    path("", delivery_projects.project_list, name="project-list"),
    path("projects/<id:pk>/", delivery_projects.project_hub, name="project"),
    path("projects/<id:pk>/parties/", delivery_schedule.party_name, name="party-name"),
    path(
        "projects/<id:pk>/parties/<id:party_id>/",
        delivery_schedule.party_change,
        name="party-change",
    ),
    path(
        "projects/<id:pk>/parties/<id:party_id>/remove/",
        delivery_schedule.party_remove,
        name="party-remove",
    ),
    path("projects/<id:pk>/milestones/", delivery_schedule.milestone_add, name="milestone-add"),
    path(
        "projects/<id:pk>/milestones/<id:milestone_id>/",
        delivery_schedule.milestone_change,
        name="milestone-change",
    ),
    path(
        "projects/<id:pk>/milestones/<id:milestone_id>/remove/",
        delivery_schedule.milestone_remove,
        name="milestone-remove",
    ),
    path("projects/<id:pk>/tasks/", delivery_schedule.task_add, name="task-add"),
    path(
        "projects/<id:pk>/tasks/<id:task_id>/",
        delivery_schedule.task_change,
        name="task-change",
    ),
    path(
        "projects/<id:pk>/tasks/<id:task_id>/remove/",
        delivery_schedule.task_remove,
        name="task-remove",
    ),
    path("projects/<id:pk>/start/", delivery_schedule.construction_start, name="start"),
    path("projects/<id:pk>/progress/", delivery_schedule.progress_submit, name="progress-submit"),
    path(
        "projects/<id:pk>/progress/<id:report_id>/confirm/",
        delivery_schedule.progress_confirm,
        name="progress-confirm",
    ),
    path(
        "projects/<id:pk>/progress/<id:report_id>/dispute/",
        delivery_schedule.progress_dispute,
        name="progress-dispute",
    ),
    path(
        "projects/<id:pk>/progress-photos/<id:photo_id>/",
        delivery_projects.progress_photo,
        name="progress-photo",
    ),
    # --- notices ---
    path("projects/<id:pk>/notice/", notices.notice_edit, name="notice-edit"),
    path("projects/<id:pk>/notice/board.pdf", notices.notice_board, name="notice-board"),
    # --- inspections ---
    path(
        "projects/<id:pk>/inspections/new/",
        inspection_views.inspection_create,
        name="inspection-create",
    ),
    path("projects/<id:pk>/findings/", inspection_views.project_findings, name="findings"),
    path("inspections/<id:pk>/", inspection_views.inspection_detail, name="inspection-detail"),
    path("findings/overdue/", inspection_views.overdue_list, name="findings-overdue"),
    path("findings/<id:pk>/", inspection_views.finding_detail, name="finding-detail"),
    path("findings/<id:pk>/answer/", inspection_views.finding_answer, name="finding-answer"),
    path("findings/<id:pk>/close/", inspection_views.finding_close, name="finding-close"),
    path("findings/<id:pk>/reopen/", inspection_views.finding_reopen, name="finding-reopen"),
    path("finding-photos/<id:pk>/", inspection_views.finding_photo, name="finding-photo"),
    path("evidence-photos/<id:pk>/", inspection_views.evidence_photo, name="evidence-photo"),
    path("party-records/", inspection_views.party_records, name="party-records"),
    path("work-types/", checklists.work_types, name="work-types"),
    path(
        "work-types/<slug:code>/items/",
        checklists.work_type_item_add,
        name="work-type-item-add",
    ),
    path(
        "inspection-items/<id:pk>/",
        checklists.inspection_item_change,
        name="inspection-item-change",
    ),
    # --- acceptance ---
    path("projects/<id:pk>/acceptance/", acceptance.project_acceptance, name="acceptance"),
    path("acceptance/<id:pk>/", acceptance.acceptance_session, name="acceptance-session"),
    path(
        "acceptance/<id:pk>/participants/",
        acceptance.acceptance_invite,
        name="acceptance-invite",
    ),
    path(
        "acceptance/participants/<id:pk>/remove/",
        acceptance.acceptance_participant_remove,
        name="acceptance-participant-remove",
    ),
    path(
        "acceptance/participants/<id:pk>/checklist/",
        acceptance.acceptance_checklist,
        name="acceptance-checklist",
    ),
    path(
        "acceptance/<id:pk>/defects/",
        acceptance.acceptance_defect_add,
        name="acceptance-defect-add",
    ),
    path(
        "acceptance/defects/<id:pk>/clear/",
        acceptance.acceptance_defect_clear,
        name="acceptance-defect-clear",
    ),
    path("acceptance/<id:pk>/decide/", acceptance.acceptance_decide, name="acceptance-decide"),
    path(
        "acceptance/<id:pk>/clear-conditions/",
        acceptance.acceptance_clear_conditions,
        name="acceptance-clear-conditions",
    ),
    path(
        "acceptance/<id:pk>/certificate.pdf",
        acceptance.acceptance_certificate,
        name="acceptance-certificate",
    ),
    # --- sampling ---
    path("projects/<id:pk>/sampling/", sampling.project_sampling, name="sampling"),
    path("projects/<id:pk>/sampling/answers/", sampling.sampling_answer, name="sampling-answer"),
    path("projects/<id:pk>/sampling/close/", sampling.sampling_close, name="sampling-close"),
    path("satisfaction/", sampling.satisfaction_overview, name="satisfaction"),
]

"""Construction's services, a module per chapter (parties and schedule, notices,
inspections, acceptance, sampling)."""

# --- parties and schedule ---
from .parties import (  # noqa: I001
    change_party as change_party,
    name_party as name_party,
    remove_party as remove_party,
)
from .schedule import (
    confirm_progress as confirm_progress,
    dispute_progress as dispute_progress,
    remove_milestone as remove_milestone,
    remove_task as remove_task,
    save_milestone as save_milestone,
    save_task as save_task,
    start_construction as start_construction,
    submit_progress as submit_progress,
)

# --- end of parties and schedule ---

# --- notices ---
from .notices import (
    file_complaint as file_complaint,
    publish_notice as publish_notice,
)

# --- end of notices ---

# --- inspections ---
from .checklists import (
    add_inspection_item as add_inspection_item,
    add_work_type as add_work_type,
    change_inspection_item as change_inspection_item,
)
from .inspections import (
    add_finding_photos as add_finding_photos,
    answer_finding as answer_finding,
    close_finding as close_finding,
    escalate_overdue_findings as escalate_overdue_findings,
    record_inspection as record_inspection,
    reopen_finding as reopen_finding,
)

# --- end of inspections ---

# --- acceptance ---
from .acceptance import (
    clear_conditions as clear_conditions,
    clear_defect as clear_defect,
    decide_outcome as decide_outcome,
    invite_participants as invite_participants,
    open_session as open_session,
    record_checklist as record_checklist,
    record_defect as record_defect,
    remove_participant as remove_participant,
    submit_resident_checklist as submit_resident_checklist,
)

# --- end of acceptance ---

# --- sampling ---
from .sampling import (
    answer_survey as answer_survey,
    close_due_surveys as close_due_surveys,
    close_survey as close_survey,
    draw_sample as draw_sample,
    record_answer as record_answer,
)

# --- end of sampling ---

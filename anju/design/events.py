"""Named constructors for design's audit events, one section per chapter."""

from django.utils.translation import gettext_lazy as _

from anju.core.audit import record_event, register_verbs

# --- projects: stage and assignments ---------------------------------------------------------

register_verbs(
    {
        "project.stage_changed": _("项目阶段变更"),
        "project.assigned": _("委托项目"),
        "project.unassigned": _("取消项目委托"),
    }
)


def stage_changed(*, actor, project, old_stage, new_stage):
    return record_event(
        actor=actor,
        verb="project.stage_changed",
        target=project,
        territory_path=project.path,
        summary=project.code,
        before={"stage": old_stage},
        after={"stage": new_stage},
    )


def project_assigned(*, actor, assignment):
    return record_event(
        actor=actor,
        verb="project.assigned",
        target=assignment.project,
        territory_path=assignment.project.path,
        summary=assignment.project.code,
        after={"organisation": assignment.organisation.name, "role": assignment.role},
    )


def project_unassigned(*, actor, assignment):
    return record_event(
        actor=actor,
        verb="project.unassigned",
        target=assignment.project,
        territory_path=assignment.project.path,
        summary=assignment.project.code,
        before={"organisation": assignment.organisation.name, "role": assignment.role},
    )


# --- surveys ---------------------------------------------------------------------------------

# --- price lists and plan versions -----------------------------------------------------------

# --- notices and objections ------------------------------------------------------------------

# --- joint review and permits ----------------------------------------------------------------

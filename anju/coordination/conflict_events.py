"""Audit events of dig-once conflicts."""

from django.utils.translation import gettext_lazy as _

from anju.core.audit import record_event, register_verbs

register_verbs(
    {
        "conflicts.detected": _("排查开挖冲突"),
        "conflicts.resolved": _("协调开挖冲突"),
    }
)


def detected(*, actor, annual_plan, scope, summary):
    return record_event(
        actor=actor,
        verb="conflicts.detected",
        target=annual_plan,
        territory_path=scope.node_paths[0] if len(scope.node_paths) == 1 else "",
        summary=str(annual_plan.year),
        after=summary,
    )


def resolved(*, actor, conflict, before):
    return record_event(
        actor=actor,
        verb="conflicts.resolved",
        target=conflict,
        territory_path=conflict.path,
        summary=str(conflict),
        before=before,
        after={
            "status": conflict.status,
            "note": conflict.note,
            "joint_starts_on": conflict.joint_starts_on,
            "joint_ends_on": conflict.joint_ends_on,
        },
    )

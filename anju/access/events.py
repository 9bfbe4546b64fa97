"""Named constructors for access's audit events."""

from django.utils.translation import gettext_lazy as _

from anju.core.audit import record_event, register_verbs

register_verbs(
    {
        "household_code.issued": _("发放住户码"),
        "household_code.sheet_printed": _("打印住户码"),
        "role.assigned": _("分配角色"),
    }
)


def household_codes_issued(*, actor, compound, count, scope_label):
    return record_event(
        actor=actor,
        verb="household_code.issued",
        target=compound,
        territory_path=compound.path,
        after={"households": count, "for": scope_label},
    )


def role_assigned(*, actor, assignment):
    return record_event(
        actor=actor,
        verb="role.assigned",
        target=assignment,
        territory_path=assignment.node.path if assignment.node_id else "",
        after={"user": assignment.user.get_username(), "role": assignment.role},
    )

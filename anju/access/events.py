"""Named constructors for access's audit events."""

from django.utils.translation import gettext_lazy as _

from anju.core.audit import record_event, register_verbs

register_verbs(
    {
        "household_code.issued": _("发放住户码"),
        "household_code.sheet_printed": _("打印住户码"),
        "role.assigned": _("分配角色"),
        "role.revoked": _("撤销角色"),
        "staff.created": _("创建工作人员账号"),
        "staff.deactivated": _("停用工作人员账号"),
        "staff.reactivated": _("恢复工作人员账号"),
        "staff.password_set": _("重设工作人员密码"),
        "organisation.registered": _("登记机构"),
        "compound.assigned": _("委托机构到小区"),
        "compound.unassigned": _("撤销小区委托"),
        "access.onboarded": _("批量导入人员和机构"),
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


def _role_path(assignment) -> str:
    return assignment.node.path if assignment.node_id else ""


def role_revoked(*, actor, assignment):
    return record_event(
        actor=actor,
        verb="role.revoked",
        target=assignment.user,
        territory_path=_role_path(assignment),
        before={
            "user": assignment.user.get_username(),
            "role": assignment.role,
            "node": assignment.node.code if assignment.node_id else "",
            "organisation": assignment.organisation_id,
        },
    )


def staff_created(*, actor, user, territory_path, password_generated):
    return record_event(
        actor=actor,
        verb="staff.created",
        target=user,
        territory_path=territory_path,
        after={
            "username": user.get_username(),
            "name": user.first_name,
            "email": user.email,
            "password": "generated" if password_generated else "set by administrator",
        },
    )


def staff_active_changed(*, actor, user, territory_path):
    """Deactivation keeps the account and its roles (history); reactivation restores them."""
    return record_event(
        actor=actor,
        verb="staff.reactivated" if user.is_active else "staff.deactivated",
        target=user,
        territory_path=territory_path,
        before={"is_active": not user.is_active},
        after={"is_active": user.is_active},
    )


def staff_password_set(*, actor, user, territory_path, password_generated):
    return record_event(
        actor=actor,
        verb="staff.password_set",
        target=user,
        territory_path=territory_path,
        after={"password": "generated" if password_generated else "set by administrator"},
    )


def organisation_registered(*, actor, organisation):
    return record_event(
        actor=actor,
        verb="organisation.registered",
        target=organisation,
        after={
            "name": organisation.name,
            "kind": organisation.kind,
            "credit_code": organisation.credit_code,
            "department": organisation.department,
        },
    )


def compound_assigned(*, actor, assignment):
    return record_event(
        actor=actor,
        verb="compound.assigned",
        target=assignment.compound,
        territory_path=assignment.compound.path,
        after={"organisation": assignment.organisation.name, "kind": assignment.organisation.kind},
    )


def compound_unassigned(*, actor, assignment):
    return record_event(
        actor=actor,
        verb="compound.unassigned",
        target=assignment.compound,
        territory_path=assignment.compound.path,
        before={"organisation": assignment.organisation.name},
    )


def onboarded(*, actor, territory_path, filename, counts):
    return record_event(
        actor=actor,
        verb="access.onboarded",
        summary=filename,
        territory_path=territory_path,
        after={"file": filename, **counts},
    )

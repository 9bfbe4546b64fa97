"""Administration of people and organisations: the services (every write) and the accessors.

Staff accounts, roles bound to territory nodes, the registry of organisations and their
assignments to compounds. Every public service is `verb_noun(*, actor, ...)` in
`transaction.atomic(durable=True)`, checks the predicates of `anju.access.rules` (nobody grants
more than their own scope), validates with `full_clean()` and writes an audit event. The
`_`-prefixed helpers do the same work inside a caller's transaction, for the onboarding
importer, which writes a whole file in one.

Deactivating keeps the account and its role bindings (the history stays readable);
`scope_for` gives an inactive account nothing, Django refuses its sessions and tokens.
Initial passwords are either the administrator's (Django's password validators apply) or
generated here and returned once; only the hash is stored.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.territory.models import Compound, Node
from anju.territory.paths import common_path

from . import events, rules
from .models import TERRITORIAL_ROLES, CompoundAssignment, Organisation, Role, RoleAssignment

User = get_user_model()
PASSWORD_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"  # noqa: S105 - an alphabet
NOT_ADMINISTRATOR = _("只有市改造办和区工作专班可以管理人员和机构。")


@dataclass(frozen=True)
class RoleGrant:
    role: str
    node: Node | None = None
    organisation: Organisation | None = None


@dataclass(frozen=True)
class NewAccount:
    """The account created, and the generated password to show once (None when the
    administrator chose it)."""

    user: object
    generated_password: str | None


def generate_password() -> str:
    """Three groups of four characters without look-alikes (≈ 69 bits), e.g. "k7Qm-3xPa-Wd9r"."""
    return "-".join("".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3))


def require_administrator(authority: rules.Authority) -> None:
    if not rules.may_administer(authority):
        raise PermissionDenied(NOT_ADMINISTRATOR)


def _validation_error(error: ValidationError) -> DomainError:
    fields = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    first = next(iter(fields.values()))[0]
    return DomainError(first, code="invalid", fields=fields)


def check_grant(authority: rules.Authority, grant: RoleGrant) -> None:
    """The grant's shape (node level, organisation kind) and the actor's right to make it."""
    role = grant.role
    if role not in Role.values:
        raise DomainError(_("未知的角色。"), fields={"role": [_("未知的角色。")]})
    if role in TERRITORIAL_ROLES:
        if grant.node is None:
            raise DomainError(_("该角色必须绑定辖区。"), fields={"node": [_("必填")]})
        if grant.node.kind not in rules.ROLE_NODE_KINDS[role]:
            raise DomainError(
                _("“%(role)s”不能绑定到“%(node)s”这一级。")
                % {"role": Role(role).label, "node": grant.node.get_kind_display()},
                fields={"node": [_("层级不符")]},
            )
    else:
        organisation = grant.organisation
        if organisation is None:
            raise DomainError(_("该角色必须属于一个机构。"), fields={"organisation": [_("必填")]})
        if organisation.kind != rules.COMPANY_ROLE_KINDS[role]:
            raise DomainError(
                _("“%(organisation)s”是%(kind)s，不能担任“%(role)s”。")
                % {
                    "organisation": organisation.name,
                    "kind": organisation.get_kind_display(),
                    "role": Role(role).label,
                },
                fields={"organisation": [_("机构类型不符")]},
            )
    if not rules.may_grant(authority, role, grant.node):
        is_delegable = role in TERRITORIAL_ROLES and role != Role.CITY_OFFICE
        if is_delegable and not authority.covers(grant.node.path):
            raise NotFound()
        raise PermissionDenied(_("您不能分配超出自己权限的角色。"))


def check_password(password: str, user) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise DomainError(error.messages[0], fields={"password": error.messages}) from None


def _territory_of(user) -> str:
    paths = [a.node.path for a in user.role_assignments.all() if a.node_id]
    return common_path(paths) if paths else ""


# --- staff -----------------------------------------------------------------------------------


def _create_staff(
    *, actor, authority, username, full_name, email="", password=None, grants=()
) -> NewAccount:
    grants = list(grants)
    if not grants:
        raise DomainError(_("请至少为账号分配一个角色。"), fields={"role": [_("必填")]})
    for grant in grants:
        check_grant(authority, grant)
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(
            _("用户名“%(username)s”已被使用。") % {"username": username},
            code="username_taken",
            fields={"username": [_("已被使用")]},
        )
    user = User(username=username, first_name=full_name, email=email, is_active=True)
    generated = None
    if password:
        check_password(password, user)
    else:
        password = generated = generate_password()
    user.set_password(password)
    try:
        user.full_clean(exclude=["password", "last_name"])
    except ValidationError as error:
        raise _validation_error(error) from None
    user.save()
    assignments = [_bind(actor=actor, user=user, grant=grant) for grant in grants]
    paths = [a.node.path for a in assignments if a.node_id]
    events.staff_created(
        actor=actor,
        user=user,
        territory_path=common_path(paths) if paths else "",
        password_generated=generated is not None,
    )
    return NewAccount(user=user, generated_password=generated)


def _bind(*, actor, user, grant: RoleGrant) -> RoleAssignment:
    assignment = RoleAssignment(
        user=user, role=grant.role, node=grant.node, organisation=grant.organisation
    )
    if RoleAssignment.objects.filter(user=user, role=grant.role, node=grant.node).exists():
        raise DomainError(_("该账号已有这个角色。"), code="role_held")
    try:
        assignment.full_clean()
    except ValidationError as error:
        raise _validation_error(error) from None
    assignment.save()
    events.role_assigned(actor=actor, assignment=assignment)
    return assignment


def create_staff(
    *, actor, username: str, full_name: str, email: str = "", password: str | None = None,
    grants: list[RoleGrant],
) -> NewAccount:  # fmt: skip
    """A new staff account with its roles; the generated password (if any) is returned once."""
    authority = rules.authority_of(actor)
    require_administrator(authority)
    with transaction.atomic(durable=True):
        return _create_staff(
            actor=actor,
            authority=authority,
            username=username.strip(),
            full_name=full_name.strip(),
            email=email.strip(),
            password=password,
            grants=grants,
        )


def _manageable(authority, user) -> None:
    if not rules.may_manage_account(authority, user.role_assignments.all()):
        raise PermissionDenied(_("该账号有超出您权限的角色，您不能修改它。"))


def grant_role(*, actor, user, grant: RoleGrant) -> RoleAssignment:
    authority = rules.authority_of(actor)
    require_administrator(authority)
    _not_self(actor, user)
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update().get(pk=user.pk)
        _manageable(authority, user)
        check_grant(authority, grant)
        return _bind(actor=actor, user=user, grant=grant)


def revoke_role(*, actor, assignment: RoleAssignment) -> None:
    """Remove a role binding; the audit event keeps what it was."""
    authority = rules.authority_of(actor)
    require_administrator(authority)
    _not_self(actor, assignment.user)
    with transaction.atomic(durable=True):
        _manageable(authority, assignment.user)
        events.role_revoked(actor=actor, assignment=assignment)
        assignment.delete()


def _not_self(actor, user) -> None:
    if getattr(actor, "pk", None) == user.pk:
        raise DomainError(_("不能修改自己的账号，请联系其他管理员。"), code="own_account")


def set_staff_active(*, actor, user, is_active: bool) -> None:
    """Deactivate (or reactivate) an account: its roles stay, ineffective while inactive."""
    authority = rules.authority_of(actor)
    require_administrator(authority)
    _not_self(actor, user)
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update().get(pk=user.pk)
        _manageable(authority, user)
        if user.is_active == is_active:
            return
        user.is_active = is_active
        user.save(update_fields=["is_active"])
        events.staff_active_changed(actor=actor, user=user, territory_path=_territory_of(user))


def set_staff_password(*, actor, user, password: str | None = None) -> str | None:
    """A new password (the administrator's, validated, or generated and returned once)."""
    authority = rules.authority_of(actor)
    require_administrator(authority)
    _not_self(actor, user)
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update().get(pk=user.pk)
        _manageable(authority, user)
        generated = None
        if password:
            check_password(password, user)
        else:
            password = generated = generate_password()
        user.set_password(password)
        user.save(update_fields=["password"])
        events.staff_password_set(
            actor=actor,
            user=user,
            territory_path=_territory_of(user),
            password_generated=generated is not None,
        )
    return generated


# --- organisations and assignments -----------------------------------------------------------


def _register_organisation(
    *, actor, authority, name, kind, credit_code="", department=""
) -> Organisation:
    if not rules.may_register_organisations(authority):
        raise PermissionDenied(_("只有市改造办可以登记机构。"))
    organisation = Organisation(
        name=name, kind=kind, credit_code=credit_code, department=department
    )
    try:
        organisation.full_clean()
    except ValidationError as error:
        raise _validation_error(error) from None
    organisation.save()
    events.organisation_registered(actor=actor, organisation=organisation)
    return organisation


def register_organisation(
    *, actor, name: str, kind: str, credit_code: str = "", department: str = ""
) -> Organisation:
    """Register a company or department city-wide; the credit code is checked (GB 32100)."""
    authority = rules.authority_of(actor)
    require_administrator(authority)
    with transaction.atomic(durable=True):
        return _register_organisation(
            actor=actor,
            authority=authority,
            name=name.strip(),
            kind=kind,
            credit_code=credit_code.strip().upper(),
            department=department.strip(),
        )


def _assign_organisation(*, actor, authority, organisation, compound) -> CompoundAssignment:
    if not rules.may_assign_compound(authority, compound):
        raise NotFound()
    if organisation.kind not in rules.ASSIGNABLE_KINDS:
        raise DomainError(
            _("%(kind)s不能委托到小区。") % {"kind": organisation.get_kind_display()},
            fields={"organisation": [_("机构类型不符")]},
        )
    if CompoundAssignment.objects.filter(organisation=organisation, compound=compound).exists():
        raise DomainError(
            _("“%(organisation)s”已委托到“%(compound)s”。")
            % {"organisation": organisation.name, "compound": compound.name},
            code="already_assigned",
        )
    assignment = CompoundAssignment(organisation=organisation, compound=compound)
    assignment.save()
    events.compound_assigned(actor=actor, assignment=assignment)
    return assignment


def assign_organisation(*, actor, organisation: Organisation, compound: Compound):
    """A designer, builder, supervisor, utility or property company works on a compound: its
    staff see the compound (scope). District offices assign within their district."""
    authority = rules.authority_of(actor)
    require_administrator(authority)
    with transaction.atomic(durable=True):
        return _assign_organisation(
            actor=actor, authority=authority, organisation=organisation, compound=compound
        )


def _unassign_organisation(*, actor, authority, assignment: CompoundAssignment) -> None:
    if not rules.may_assign_compound(authority, assignment.compound):
        raise NotFound()
    events.compound_unassigned(actor=actor, assignment=assignment)
    assignment.delete()


def unassign_organisation(*, actor, assignment: CompoundAssignment) -> None:
    authority = rules.authority_of(actor)
    require_administrator(authority)
    if not rules.may_assign_compound(authority, assignment.compound):
        raise NotFound()
    with transaction.atomic(durable=True):
        _unassign_organisation(actor=actor, authority=authority, assignment=assignment)


def create_first_admin(*, actor, username: str, city_code: str, password: str | None = None):
    """The very first city-office account of a new city (CLI only, `anju onboard
    --first-admin`): refused once an active city-office account exists."""
    if getattr(actor, "pk", None) is not None:
        raise PermissionDenied()
    city = Node.objects.valid_on().filter(code=city_code, kind=Node.Kind.CITY).first()
    if city is None:
        raise DomainError(
            _("找不到市级区划“%(code)s”，请先导入区划。") % {"code": city_code}, code="no_city"
        )
    if RoleAssignment.objects.filter(role=Role.CITY_OFFICE, user__is_active=True).exists():
        raise DomainError(
            _("已有市改造办账号，请由其在工作台“管理”中创建账号。"), code="admin_exists"
        )
    authority = rules.Authority(paths=(city.path,), is_city_office=True)
    with transaction.atomic(durable=True):
        return _create_staff(
            actor=actor,
            authority=authority,
            username=username.strip(),
            full_name=username.strip(),
            password=password,
            grants=[RoleGrant(role=Role.CITY_OFFICE, node=city)],
        )

"""`anju api-token --organisation "名称或统一社会信用代码" [--rotate]`: an organisation's API token;
`anju api-token --user USERNAME [--rotate]`: a staff member's own token.

One token per organisation, held by a service account `api-<organisation id>` bound to the
organisation with its role, so its systems call the API as the organisation (a utility
company loads its own works and sees nothing else). Only utility companies (专营单位,
role utility_company) get one: the other roles either need a territory (department
reviewers) or have no API to call yet, and a token is a standing credential.

A staff member's token (`--user`) belongs to their existing account and carries exactly the
scope of their roles, like their sign-in: a district's data system reads its district and
nothing else. Only active accounts with at least one role get one.

The token is printed once, when it is made: re-running reuses the account and the token but
does not show it again (say --rotate if it is lost); `--rotate` replaces it, and the old one
stops working at once. The token goes to stdout alone, so it can be piped into a secrets
store; what happened goes to stderr. Issuing and rotating are audited
(`access.api_token_issued`).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token
from stdnum.cn import uscc

from anju.access.models import Organisation, Role, RoleAssignment
from anju.core.actors import CLI
from anju.core.audit import record_event, register_verbs

ROLE_FOR_KIND = {Organisation.Kind.UTILITY: Role.UTILITY_COMPANY}
VERB = "access.api_token_issued"

register_verbs({VERB: _("发放 API 令牌")})


def find_organisation(reference: str) -> Organisation:
    reference = reference.strip()
    organisation = Organisation.objects.filter(name=reference).first()
    if organisation is None and len(reference) >= 18:
        organisation = Organisation.objects.filter(credit_code=uscc.compact(reference)).first()
    if organisation is None:
        raise CommandError(
            _("找不到名称或统一社会信用代码为“%(reference)s”的机构。") % {"reference": reference}
        )
    return organisation


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _(
            "为机构（服务账号 api-<机构编号>）或已有的工作人员账号（--user）创建 API 令牌；"
            "令牌只在创建时显示一次，--rotate 更换令牌。"
        )

    def add_arguments(self, parser):
        whose = parser.add_mutually_exclusive_group(required=True)
        whose.add_argument("--organisation", help=_("机构名称或统一社会信用代码"))
        whose.add_argument("--user", help=_("已有工作人员账号的用户名"))
        parser.add_argument("--rotate", action="store_true", help=_("更换令牌，旧令牌立即失效"))

    def handle(self, *args, organisation: str | None, user: str | None, rotate: bool, **options):
        if user is not None:
            account = staff_account(user)
            self.issue(account, target=account, label=account.username, rotate=rotate)
            return
        organisation = find_organisation(organisation)
        role = ROLE_FOR_KIND.get(organisation.kind)
        if role is None:
            raise CommandError(
                _(
                    "“%(name)s”是%(kind)s，目前只为专营单位发放 API 令牌；"
                    "其他机构的工程请由市改造办在工作台上传或代为登记。"
                )
                % {"name": organisation.name, "kind": organisation.get_kind_display()}
            )
        with transaction.atomic():
            account = service_account(organisation, role)
        self.issue(account, target=organisation, label=organisation.name, rotate=rotate)

    def issue(self, user, *, target, label: str, rotate: bool) -> None:
        """Make the account's token (or replace it with --rotate), audited on `target`."""
        with transaction.atomic():
            existing = Token.objects.select_for_update().filter(user=user).first()
            if existing is not None and not rotate:
                self.stderr.write(
                    _(
                        "%(org)s 已有 API 令牌（账号 %(user)s），令牌只在创建时显示一次；"
                        "如已遗失，请加 --rotate 更换。"
                    )
                    % {"org": label, "user": user.username}
                )
                return
            if existing is not None:
                existing.delete()
            token = Token.objects.create(user=user)
            record_event(
                actor=CLI,
                verb=VERB,
                target=target,
                summary=user.username,
                after={"user": user.username, "rotated": existing is not None},
            )
        message = (
            _("已更换 %(org)s 的 API 令牌（账号 %(user)s），旧令牌已失效。新令牌只显示这一次：")
            if existing is not None
            else _("%(org)s 的 API 令牌（账号 %(user)s），只显示这一次：")
        )
        self.stderr.write(message % {"org": label, "user": user.username})
        self.stdout.write(token.key)


def staff_account(username: str):
    """An existing, active staff account with at least one role (a token is a standing
    credential: it is never made for an account that could not sign in and work)."""
    user = get_user_model().objects.filter(username=username.strip()).first()
    if user is None:
        raise CommandError(_("找不到用户名为“%(username)s”的账号。") % {"username": username})
    if not user.is_active:
        raise CommandError(_("账号 %(username)s 已停用，不能发放令牌。") % {"username": username})
    if not RoleAssignment.objects.filter(user=user).exists():
        raise CommandError(
            _("账号 %(username)s 还没有任何角色，请先分配角色再发放令牌。") % {"username": username}
        )
    return user


def service_account(organisation: Organisation, role: str):
    """The organisation's service account, bound to it with its role (created once)."""
    user, created = get_user_model().objects.get_or_create(username=f"api-{organisation.pk}")
    if created:
        user.set_unusable_password()
        user.save()
    if not RoleAssignment.objects.filter(user=user, role=role, organisation=organisation).exists():
        assignment = RoleAssignment(user=user, role=role, organisation=organisation)
        assignment.full_clean()
        assignment.save()
    return user

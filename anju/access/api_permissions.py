"""DRF permission: signed-in staff (session or token) with a non-empty scope."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


class IsStaffWithScope(BasePermission):
    message = _("请先登录，且您的账号需要分配辖区。")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and not request.scope.is_empty)


class IsStaffOrOrganisation(BasePermission):
    """Signed-in staff with a scope, or an organisation's staff without a territory (a
    utility's service account), for endpoints of the organisation's own records."""

    message = _("请先登录，且您的账号需要分配辖区或机构。")

    def has_permission(self, request, view) -> bool:
        user = request.user
        scope = request.scope
        if not (user and user.is_authenticated) or scope.is_resident:
            return False
        return not scope.is_empty or scope.acts_for_organisation_only

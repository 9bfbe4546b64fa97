"""Domain errors: what a service says when a rule stops a change.

Each error has a stable machine code and a translated message. Pages show the message, the API
answers 4xx with ``{"code", "message", "fields"}``, the CLI prints it and exits non-zero.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "invalid"
    status = 400
    default_message = _("请求无法完成。")

    def __init__(self, message=None, *, code: str | None = None, fields: dict | None = None):
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.fields = fields or {}
        super().__init__(str(self.message))

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "message": str(self.message),
            "fields": {name: [str(m) for m in msgs] for name, msgs in self.fields.items()},
        }


class NotFound(DomainError):
    """Absent or outside the viewer's territory: the same answer, so existence never leaks."""

    code = "not_found"
    status = 404
    default_message = _("找不到该记录。")


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403
    default_message = _("您无权执行此操作。")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message = _("该记录已被他人修改，请刷新后重试。")


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429
    default_message = _("尝试次数过多，请稍后再试。")

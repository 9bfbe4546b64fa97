"""The API's error answers: every failure is a 4xx with `{"code", "message", "fields"}`."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        body = {"code": "invalid", "message": _("输入有误。"), "fields": fields}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("找不到该记录。"))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(exc, exceptions.ValidationError):
        fields = detail if isinstance(detail, dict) else {"__all__": detail}
        response.data = {"code": "invalid", "message": _("输入有误。"), "fields": fields}
    else:
        message = detail.get("detail", "") if isinstance(detail, dict) else str(detail)
        code = getattr(exc, "default_code", "error")
        response.data = {"code": code, "message": str(message), "fields": {}}
    return response

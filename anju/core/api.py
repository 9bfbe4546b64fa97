"""The API's error answers (every failure is a 4xx with `{"code", "message", "fields"}`) and
the schema class that documents them and the paginated lists."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
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


class Pagination(PageNumberPagination):
    """The one page shape of every API list: 50 a page, `?page_size=` up to 500."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class ErrorOutput(serializers.Serializer):
    """The one error body of every 4xx (DomainError.as_dict, `exception_handler`)."""

    code = serializers.CharField(help_text=_lazy("稳定的错误代码，例如 not_found、invalid"))
    message = serializers.CharField(help_text=_lazy("给人看的说明（按请求的语言）"))
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_lazy("出错的字段 → 说明列表；与字段无关时为空"),
    )

    class Meta:
        ref_name = "Error"


ERROR_ANSWERS = {
    "400": _lazy("输入有误：fields 指出哪些字段、为什么。"),
    "401": _lazy("未提供凭据或凭据无效（请求头 Authorization: Token …）。"),
    "403": _lazy("无权执行此操作。"),
    "404": _lazy("找不到该记录；不在您范围内的记录也这样回答。"),
}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, told what our APIViews answer when they fail.

    Every operation documents its errors as `Error` (`{code, message, fields}`): 401 and 403
    where the view requires a caller, 404 where the path names a record, 400 where there is
    input. (A list documents its page, `{count, next, previous, results}`, because the view
    declares the `pagination_class` its handler pages with.)
    """

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self.error_codes():
            if code not in responses:
                answer = OpenApiResponse(ErrorOutput, description=ERROR_ANSWERS[code])
                responses[code] = self._get_response_for_code(answer, code, direction=direction)
        return responses

    def error_codes(self) -> list[str]:
        codes = []
        has_input = self.method != "GET" or bool(self._get_parameters())
        if has_input:
            codes.append("400")
        if any(not isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes += ["401", "403"]
        if "{" in self.path:
            codes.append("404")
        return codes

"""Pages answer a DomainError with its message (404 for not-found, otherwise the status it
names) and a wrong method with the styled 405 page; personal answers are never cached."""

from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from .errors import DomainError


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError):
            return render(
                request,
                "web/error.html",
                {"status": exception.status, "message": exception.message},
                status=exception.status,
            )
        return None


class MethodNotAllowedPageMiddleware:
    """A page's 405 (`require_POST` and friends answer an empty body) becomes the styled
    error page, keeping its Allow header. The API's 405s are DRF's JSON and stay as they are."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not request.path.startswith("/api/"):
            page = render(
                request,
                "web/error.html",
                {"status": 405, "message": _("此页面不接受这种请求方式。")},
                status=405,
            )
            page["Allow"] = response["Allow"]
            return page
        return response


class PrivateCacheMiddleware:
    """Answers for a signed-in staff member or resident, and every API answer, carry
    `Cache-Control: no-store, private`: they hold personal data (PIPL), which a shared proxy
    or the browser's disk cache must not keep. Public pages stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        already = "no-store" in response.get("Cache-Control", "")
        if not already and (request.path.startswith("/api/") or self.is_personal(request)):
            patch_cache_control(response, no_store=True, private=True)
        return response

    @staticmethod
    def is_personal(request) -> bool:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return True
        scope = getattr(request, "scope", None)
        return scope is not None and scope.is_resident

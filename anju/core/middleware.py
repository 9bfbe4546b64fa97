"""Pages answer a DomainError with its message: 404 for not-found, otherwise the status it names."""

from django.shortcuts import render

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

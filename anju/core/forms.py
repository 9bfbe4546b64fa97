"""Putting a service's refusal back on the form that asked for the change."""

from __future__ import annotations

from django import forms

from .errors import DomainError, NotFound, PermissionDenied


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the form: its message above the form, and its short
    per-field notes on the fields it names."""
    form.add_error(None, str(error.message))
    for name, messages in error.fields.items():
        if name in form.fields and name not in form.errors:
            form.add_error(name, [str(message) for message in messages])


class errors_on:
    """`with errors_on(form) as attempt: services.x(...)`, then `if attempt.succeeded:`.

    A rule the service enforces becomes a form error (the page answers 400 with the form);
    not-found and permission refusals pass through, so they still answer 404 and 403."""

    def __init__(self, form: forms.Form):
        self.form = form
        self.succeeded = False

    def __enter__(self) -> errors_on:
        return self

    def __exit__(self, exc_type, exc, traceback) -> bool:
        if exc is None:
            self.succeeded = True
            return False
        if isinstance(exc, DomainError) and not isinstance(exc, NotFound | PermissionDenied):
            add_domain_error(self.form, exc)
            return True
        return False

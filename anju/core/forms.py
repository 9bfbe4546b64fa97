"""Putting a service's refusal back on the form that asked for the change."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from .errors import DomainError, NotFound, PermissionDenied
from .models import Holiday


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the form: its message above the form, and its short
    per-field notes on the fields it names (a form whose field has another name than the
    service's argument says so in `service_field_names`, e.g. {"reason": "note"})."""
    form.add_error(None, str(error.message))
    aliases = getattr(form, "service_field_names", {})
    for argument, messages in error.fields.items():
        name = aliases.get(argument, argument)
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


class HolidayForm(forms.ModelForm):
    """One day of the holiday table: its shape; the service checks who may change it."""

    class Meta:
        model = Holiday
        fields = ["date", "is_working_day", "name"]
        widgets = {
            "date": forms.DateInput(
                attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"
            ),
            "is_working_day": forms.CheckboxInput(attrs={"class": "form-check-input"}),
            "name": forms.TextInput(attrs={"class": "form-control"}),
        }


class HolidayImportForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年份"), min_value=2000, max_value=2100)
    file = forms.FileField(
        label=gettext_lazy("节假日表格"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.xls"}),
    )

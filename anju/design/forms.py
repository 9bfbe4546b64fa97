"""Forms of the design pages (input shape only; the services enforce the rules)."""

from django import forms  # noqa: F401
from django.utils.translation import gettext_lazy as _  # noqa: F401

# --- projects --------------------------------------------------------------------------------


class ProjectAssignForm(forms.Form):
    """Assign a design firm to a project, as its designer or its planner."""

    organisation = forms.ModelChoiceField(
        label=_("设计单位"),
        queryset=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("找不到该机构。")},
    )
    role = forms.ChoiceField(
        label=_("角色"), choices=(), widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, organisations, **kwargs):
        from .models import ProjectAssignment

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["role"].choices = ProjectAssignment.Role.choices


# --- surveys ---------------------------------------------------------------------------------

# --- plan versions ---------------------------------------------------------------------------

# --- notices and objections ------------------------------------------------------------------

# --- joint review and permits ----------------------------------------------------------------

"""Forms of the dig-once conflict pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from anju.engine.conflicts import DEFAULT_DISTANCE_M, DEFAULT_MONTHS

from .models import ConflictStatus


def styled(form: forms.Form) -> forms.Form:
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)
    return form


class DetectForm(forms.Form):
    distance_m = forms.FloatField(
        label=_("距离(米)"), min_value=0, max_value=1000, initial=DEFAULT_DISTANCE_M
    )
    months = forms.IntegerField(
        label=_("前后月数"), min_value=0, max_value=60, initial=DEFAULT_MONTHS
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)


# A date input reads and writes ISO dates only; the locale's format (2027/05/10) shows empty.
ISO_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ResolveForm(forms.Form):
    status = forms.ChoiceField(
        label=_("协调结果"),
        choices=[(ConflictStatus.JOINT, _("约定同步施工")), (ConflictStatus.DECLINED, _("不同步"))],
        widget=forms.RadioSelect,
    )
    joint_starts_on = forms.DateField(label=_("约定开工"), required=False, widget=ISO_DATE)
    joint_ends_on = forms.DateField(label=_("约定完工"), required=False, widget=ISO_DATE)
    note = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不同步时必须写明理由，例如工期无法调整、已预埋套管。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("joint_starts_on", "joint_ends_on", "note"):
            self.fields[name].widget.attrs.setdefault("class", "form-control")

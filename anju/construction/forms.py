"""Construction's forms, a section per chapter (errors shown through `anju.core.forms`)."""

from django import forms  # noqa: F401
from django.utils.translation import gettext_lazy as _  # noqa: F401

# --- parties and schedule ---

# --- end of parties and schedule ---

# --- notices ---

# --- end of notices ---

# --- inspections ---

# --- end of inspections ---

# --- acceptance ---

# --- end of acceptance ---

# --- sampling ---

SCORE_CHOICES = [(score, str(score)) for score in range(5, 0, -1)]


class SampleDrawForm(forms.Form):
    """Confidence and margin of the draw, as decimals (0.95, 0.05); bounds in the service."""

    confidence = forms.DecimalField(
        label=_("置信水平"),
        max_digits=4,
        decimal_places=3,
        help_text=_("0.800 至 0.999，例如 0.95 即 95%"),
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.001"}),
    )
    margin = forms.DecimalField(
        label=_("允许误差"),
        max_digits=4,
        decimal_places=3,
        help_text=_("0.010 至 0.200，例如 0.05 即 ±5%"),
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.001"}),
    )


class SatisfactionAnswerForm(forms.Form):
    """A sampled household's three scores (5 = very satisfied) and an optional comment."""

    overall = forms.TypedChoiceField(
        label=_("总体满意度"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    quality = forms.TypedChoiceField(
        label=_("工程质量"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    conduct = forms.TypedChoiceField(
        label=_("文明施工"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("意见建议"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )


class StaffSatisfactionAnswerForm(SatisfactionAnswerForm):
    """Staff record a sampled household's answer given by phone or on a visit."""

    sampled = forms.TypedChoiceField(
        label=_("受访住户"), coerce=int, widget=forms.Select(attrs={"class": "form-select"})
    )
    channel = forms.ChoiceField(
        label=_("渠道"),
        choices=[("phone", _("电话回访")), ("visit", _("入户走访"))],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    field_order = ["sampled", "channel", "overall", "quality", "conduct", "comment"]

    def __init__(self, *args, sampled=(), **kwargs):
        """`sampled`: (SampledHousehold pk, public label) of the households still to answer."""
        super().__init__(*args, **kwargs)
        self.fields["sampled"].choices = [("", "—")] + [(pk, label) for pk, label in sampled]


# --- end of sampling ---

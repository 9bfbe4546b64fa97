"""Input shapes for residents' sign-in and staff reveals; the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeSignInForm(forms.Form):
    """What a resident types: checked only for presence and length here. Normalising (case,
    spaces, dashes) and validity belong to `services.sign_in_with_code`."""

    code = forms.CharField(
        label=_("住户码"),
        max_length=40,
        error_messages={"required": _("请输入住户码。")},
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg household-code text-center",
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autocapitalize": "characters",
                "autocorrect": "off",
                "spellcheck": "false",
                "enterkeyhint": "go",
                "placeholder": "XXXXX-XXXXX",
                "aria-describedby": "code-help",
            }
        ),
    )


class RevealPhoneForm(forms.Form):
    reason = forms.CharField(
        label=_("查看原因"),
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": _("如：上门通知征询")}
        ),
    )

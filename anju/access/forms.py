"""Input shapes of access's pages: residents' sign-in, staff reveals and the administration
pages. The rules live in `services`, `administration` and `rules`."""

from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Organisation, Role

WIDGET = {"class": "form-control"}
SELECT = {"class": "form-select"}


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


# --- Administration pages -------------------------------------------------------------------


class RoleFields(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices, widget=forms.Select(SELECT))
    node = forms.ModelChoiceField(
        label=_("辖区"),
        queryset=None,
        required=False,
        to_field_name="code",
        widget=forms.Select(SELECT),
        help_text=_("市改造办、区工作专班、街道办、社区工作者和部门审查人须选择辖区。"),
    )
    organisation = forms.ModelChoiceField(
        label=_("机构"),
        queryset=Organisation.objects.order_by("kind", "name"),
        required=False,
        widget=forms.Select(SELECT),
        help_text=_("企业人员须选择所属机构。"),
    )

    def __init__(self, *args, nodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes
        self.fields["node"].label_from_instance = lambda node: "　" * node.depth + node.name


class StaffCreateForm(RoleFields):
    username = forms.CharField(
        label=_("用户名"), max_length=150, widget=forms.TextInput({**WIDGET, "autocomplete": "off"})
    )
    full_name = forms.CharField(label=_("姓名"), max_length=150, widget=forms.TextInput(WIDGET))
    email = forms.EmailField(label=_("邮箱"), required=False, widget=forms.EmailInput(WIDGET))
    password = forms.CharField(
        label=_("初始密码"),
        required=False,
        max_length=128,
        widget=forms.PasswordInput({**WIDGET, "autocomplete": "new-password"}),
        help_text=_("留空由系统生成，只显示一次。"),
    )

    field_order = ["username", "full_name", "email", "password", "role", "node", "organisation"]


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=_("新密码"),
        required=False,
        max_length=128,
        widget=forms.PasswordInput({**WIDGET, "autocomplete": "new-password"}),
        help_text=_("留空由系统生成，只显示一次。"),
    )


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("机构名称"), max_length=120, widget=forms.TextInput(WIDGET))
    kind = forms.ChoiceField(
        label=_("类型"), choices=Organisation.Kind.choices, widget=forms.Select(SELECT)
    )
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=18,
        required=False,
        widget=forms.TextInput({**WIDGET, "autocapitalize": "characters"}),
    )
    department = forms.CharField(
        label=_("所属部门"), max_length=60, required=False, widget=forms.TextInput(WIDGET)
    )


class AssignmentForm(forms.Form):
    compound = forms.CharField(label=_("小区编码"), max_length=24, widget=forms.TextInput(WIDGET))
    organisation = forms.ModelChoiceField(
        label=_("机构"),
        queryset=Organisation.objects.exclude(
            kind__in=[Organisation.Kind.GOVERNMENT, Organisation.Kind.DEPARTMENT]
        ).order_by("kind", "name"),
        widget=forms.Select(SELECT),
    )


class OnboardUploadForm(forms.Form):
    file = forms.FileField(
        label=_("人员和机构文件"),
        help_text=_("按模板填写的 .xlsx 文件（机构、人员、委托工作表）。"),
    )
    dry_run = forms.BooleanField(label=_("只检查，不导入"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in {".xlsx", ".xls"}:
            raise forms.ValidationError(_("请上传 .xlsx 文件。"))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过 5 MB。"))
        return upload

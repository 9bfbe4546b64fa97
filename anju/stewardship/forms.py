"""Stewardship's forms, a section per chapter (errors shown through `anju.core.forms`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from anju.engagement.portal_forms import MultipleFileField, MultipleFileInput

from .models import Channel, HandlerKind, ReportCategory, Status

# --- schemes ---

# --- end of schemes ---

# --- coverage ---

# --- end of coverage ---

# --- governance ---

# --- end of governance ---

# --- reports ---
# The problem reports' forms check the input's shape only (STYLE 7): which compound the viewer
# may report in, who handles, which step comes next are the services' rules.

REPORT_PHOTO_ACCEPT = "image/*"
STAFF_CHANNELS = (Channel.PHONE, Channel.VISIT, Channel.HOTLINE)


def _report_photos_field(label):
    return MultipleFileField(
        label=label,
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": REPORT_PHOTO_ACCEPT, "capture": "environment", "class": "form-control"}
        ),
    )


class ReportPlaceMixin(forms.Form):
    """Where: a building of the compound, or a point on its map (both optional)."""

    building = forms.ModelChoiceField(
        label=_("楼栋"),
        queryset=None,
        required=False,
        empty_label=_("不限楼栋（公共区域）"),
        widget=forms.Select(attrs={"class": "form-select form-select-lg"}),
        error_messages={"invalid_choice": _("该楼栋不属于本小区。")},
    )
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if (data.get("longitude") is None) != (data.get("latitude") is None):
            raise forms.ValidationError(_("地图上的位置不完整，请重新点选。"), code="point")
        return data


class ProblemReportForm(ReportPlaceMixin):
    """A resident's report from the phone: what, where, a description and up to 3 photos."""

    category = forms.ModelChoiceField(
        label=_("问题类别"),
        queryset=ReportCategory.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("请选择问题类别。"),
            "invalid_choice": _("请选择列出的问题类别。"),
        },
    )
    description = forms.CharField(
        label=_("问题描述"),
        max_length=2000,
        widget=forms.Textarea(
            attrs={
                "class": "form-control",
                "rows": 4,
                "placeholder": _("什么问题、在哪里、从什么时候开始"),
            }
        ),
        error_messages={"required": _("请描述一下问题。")},
    )
    photos = _report_photos_field(_("照片（最多 3 张）"))
    field_order = ["category", "description", "building", "longitude", "latitude", "photos"]

    def __init__(self, *args, buildings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ReportCategory.objects.filter(is_active=True)
        self.fields["building"].queryset = buildings
        self.fields["building"].label_from_instance = lambda b: b.number


class CallerReportForm(ProblemReportForm):
    """Staff filing for a caller (phone, visit, 12345 hotline): the channel is required, the
    caller's name and phone are optional."""

    channel = forms.ChoiceField(
        label=_("渠道"),
        choices=[(c.value, c.label) for c in STAFF_CHANNELS],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    caller_name = forms.CharField(
        label=_("来电人"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    caller_phone = forms.CharField(
        label=_("联系电话"),
        required=False,
        max_length=20,
        widget=forms.TextInput(
            attrs={"class": "form-control", "inputmode": "tel", "autocomplete": "off"}
        ),
    )
    field_order = ["channel", "caller_name", "caller_phone", *ProblemReportForm.field_order]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].widget = forms.Select(attrs={"class": "form-select"})
        self.fields["category"].widget.choices = self.fields["category"].choices
        self.fields["building"].widget.attrs["class"] = "form-select"


class ReportCompoundForm(forms.Form):
    """Which compound the caller lives in (by code; the page looks it up in the viewer's
    territory, so another district's code answers like an unknown one)."""

    compound = forms.CharField(
        label=_("小区编码"),
        max_length=32,
        widget=forms.TextInput(attrs={"class": "form-control", "list": "report-compounds"}),
    )


class ReportAdvanceForm(forms.Form):
    """One step of a report (the page offers only the steps `next_steps` allows)."""

    to_status = forms.ChoiceField(label=_("下一步"), choices=Status.choices)
    note = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )
    photos = _report_photos_field(_("处理照片（最多 3 张）"))
    rating = forms.TypedChoiceField(
        label=_("满意度评价"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[(n, n) for n in range(1, 6)],
        widget=forms.RadioSelect,
    )
    rating_comment = forms.CharField(
        label=_("评价意见"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class ReportConfirmForm(forms.Form):
    """The reporter confirms the fix and rates the handling (1–5)."""

    rating = forms.TypedChoiceField(
        label=_("您对处理结果满意吗？"),
        coerce=int,
        choices=[(n, n) for n in range(1, 6)],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择 1 到 5 颗星。")},
    )
    rating_comment = forms.CharField(
        label=_("评价意见（选填）"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class ReportReopenForm(forms.Form):
    """Anyone in the compound may reopen a resolved report, saying why."""

    note = forms.CharField(
        label=_("重新打开的原因"),
        max_length=1000,
        widget=forms.Textarea(
            attrs={
                "class": "form-control",
                "rows": 3,
                "placeholder": _("问题还在吗？哪里没有解决？"),
            }
        ),
        error_messages={"required": _("请说明为什么问题没有解决。")},
    )


class ReportReassignForm(forms.Form):
    handler = forms.ChoiceField(
        label=_("承办方"),
        choices=HandlerKind.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("承办单位"),
        queryset=None,
        required=False,
        empty_label=_("（按承办方确定）"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    note = forms.CharField(
        label=_("改派原因"),
        max_length=1000,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
        error_messages={"required": _("请说明改派原因。")},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ReportDuplicateForm(forms.Form):
    of = forms.CharField(
        label=_("与哪份报告重复（编号）"),
        max_length=24,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


class ReportFilterForm(forms.Form):
    """The workbench list's filters (a bad value is ignored, never a 500)."""

    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部状态")), ("open", _("未办结")), *Status.choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    category = forms.ModelChoiceField(
        label=_("问题类别"),
        required=False,
        queryset=ReportCategory.objects.all(),
        empty_label=_("全部类别"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    overdue = forms.BooleanField(
        label=_("已超期"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    escalated = forms.BooleanField(
        label=_("已督办"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    q = forms.CharField(
        label=_("编号或小区"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


class RoutingRuleForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("问题类别"),
        required=False,
        queryset=ReportCategory.objects.all(),
        empty_label=_("所有类别"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    node = forms.ModelChoiceField(
        label=_("辖区"),
        required=False,
        queryset=None,
        empty_label=_("全市"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
        error_messages={"invalid_choice": _("请选择您辖区内的区、街道或社区。")},
    )
    handler = forms.ChoiceField(
        label=_("承办方"),
        choices=HandlerKind.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("承办单位"),
        required=False,
        queryset=None,
        empty_label=_("（不指定）"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args, nodes, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes
        self.fields["organisation"].queryset = organisations


# --- end of reports ---

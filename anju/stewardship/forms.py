"""Stewardship's forms, a section per chapter (errors shown through `anju.core.forms`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from anju.engagement.portal_forms import MultipleFileField, MultipleFileInput

from .models import Channel, HandlerKind, ReportCategory, Status

# --- schemes ---


def _date_input():
    return forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class SchemeForm(forms.Form):
    """A compound's management scheme: its shape only; the service checks the rules (a
    bundle needs its name, the company must be a property company, no negative budget)."""

    management_model = forms.ChoiceField(
        label=_("管理模式"), choices=(), widget=forms.Select(attrs={"class": "form-select"})
    )
    property_company = forms.ModelChoiceField(
        label=_("物业企业"),
        queryset=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text=_("专业物业、红色物业、片区打包时填写；实施前须确定"),
    )
    bundle_name = forms.CharField(
        label=_("打包片区"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    upkeep_sources = forms.MultipleChoiceField(
        label=_("维护经费来源"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    yearly_upkeep_budget = forms.DecimalField(
        label=_("年度维护经费(元)"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
    )
    starts_on = forms.DateField(label=_("实施日期"), required=False, widget=_date_input())
    note = forms.CharField(
        label=_("说明"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, companies, **kwargs):
        from .models import ManagementModel, UpkeepSource

        super().__init__(*args, **kwargs)
        self.fields["management_model"].choices = ManagementModel.choices
        self.fields["upkeep_sources"].choices = UpkeepSource.choices
        self.fields["property_company"].queryset = companies


class BudgetLineForm(forms.Form):
    year = forms.IntegerField(
        label=_("预算年度"), widget=forms.NumberInput(attrs={"class": "form-control"})
    )
    amount = forms.DecimalField(
        label=_("列入预算金额(元)"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
    )
    reference = forms.CharField(
        label=_("预算文号或科目"),
        max_length=120,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text=_("如区财政预算批复文号、预算科目编码"),
    )


# --- end of schemes ---

# --- coverage ---


def _date(label, *, required=True):
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )


def _text(label, max_length, *, required=False):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


def _select(label, choices=()):
    return forms.ChoiceField(
        label=label, choices=choices, widget=forms.Select(attrs={"class": "form-select"})
    )


class PropertyContractForm(forms.Form):
    """A property-service contract: the company, the way it serves, the dates and fee."""

    company = forms.ModelChoiceField(
        label=_("物业企业"),
        queryset=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("找不到该物业企业。")},
    )
    service_kind = _select(_("服务方式"))
    starts_on = _date(_("合同开始"))
    ends_on = _date(_("合同结束"), required=False)
    monthly_fee_per_m2 = forms.DecimalField(
        label=_("物业费(元/m²·月)"),
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
    )
    note = _text(_("说明"), 300)

    def __init__(self, *args, companies, **kwargs):
        from anju.stewardship.models import CONTRACT_STATUSES

        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies
        self.fields["service_kind"].choices = [(s.value, s.label) for s in CONTRACT_STATUSES]


class ContractEndForm(forms.Form):
    ended_on = _date(_("终止日期"))
    note = _text(_("终止原因"), 200)


class ManagementStatusForm(forms.Form):
    """A compound no company serves: owners' self-management, street-managed or none."""

    status = _select(_("管理状态"))

    def __init__(self, *args, **kwargs):
        from anju.territory.models import ManagementStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (s.value, s.label)
            for s in (
                ManagementStatus.SELF_MANAGED,
                ManagementStatus.STREET_MANAGED,
                ManagementStatus.NONE,
            )
        ]


class GovernanceProfileForm(forms.Form):
    residents_committee = _text(_("居民委员会"), 100)
    owners_committee_elected_on = _date(_("业委会成立日期"), required=False)
    owners_committee_term_ends_on = _date(_("业委会任期届满"), required=False)
    party_organisation = _select(_("党组织"))
    party_branch_name = _text(_("党组织名称"), 100)
    party_branch_secretary = _text(_("党组织书记"), 40)

    def __init__(self, *args, **kwargs):
        from anju.territory.models import PartyOrganisation

        super().__init__(*args, **kwargs)
        self.fields["party_organisation"].choices = PartyOrganisation.choices


class CommitteeMemberForm(forms.Form):
    name = _text(_("姓名"), 40, required=True)
    position = _select(_("职务"))

    def __init__(self, *args, **kwargs):
        from anju.stewardship.models import CommitteeMember

        super().__init__(*args, **kwargs)
        self.fields["position"].choices = CommitteeMember.Position.choices


class PartyMemberForm(forms.Form):
    name = _text(_("姓名"), 40, required=True)
    phone = _text(_("联系电话"), 20)
    home_organisation = _text(_("所在单位党组织"), 120)
    registered_on = _date(_("报到日期"))


class PartyMemberLeaveForm(forms.Form):
    left_on = _date(_("离开日期"))


class ServiceRecordForm(forms.Form):
    served_on = _date(_("服务日期"))
    hours = forms.DecimalField(
        label=_("服务时长(小时)"),
        min_value=0.5,
        max_value=24,
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.5"}),
    )
    activity = _text(_("服务内容"), 200, required=True)


# --- end of coverage ---

# --- governance ---


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("会议日期"), widget=_date_input())
    subject = forms.CharField(
        label=_("议题"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    bodies = forms.MultipleChoiceField(
        label=_("参会组织"),
        choices=(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    attendees = forms.CharField(
        label=_("参会人员"),
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        help_text=_("每行一人：单位 姓名"),
    )
    decisions = forms.CharField(
        label=_("议定事项"),
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        from .models import Body

        super().__init__(*args, **kwargs)
        self.fields["bodies"].choices = Body.choices


class FollowUpTaskForm(forms.Form):
    title = forms.CharField(
        label=_("任务"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    owner = forms.CharField(
        label=_("责任方"), max_length=100, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    owner_body = forms.ChoiceField(
        label=_("责任组织"), choices=(), widget=forms.Select(attrs={"class": "form-select"})
    )
    due_on = forms.DateField(label=_("完成期限"), widget=_date_input())

    def __init__(self, *args, **kwargs):
        from .models import Body

        super().__init__(*args, **kwargs)
        self.fields["owner_body"].choices = Body.choices


class TaskDoneForm(forms.Form):
    done_on = forms.DateField(label=_("完成日期"), widget=_date_input())
    note = forms.CharField(
        label=_("完成情况"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


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


def _deadline_input(size=""):
    return forms.NumberInput(
        attrs={"class": f"form-control {size}".strip(), "min": 1, "max": 60, "style": "width: 6rem"}
    )


class ReportCategoryForm(forms.Form):
    """One category's row on the categories page: its shape only; the service checks the
    deadline's range and who may change it."""

    name = forms.CharField(
        label=_("名称"),
        max_length=40,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    name_en = forms.CharField(
        label=_("英文名称"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    deadline_days = forms.IntegerField(
        label=_("办理时限(工作日)"), widget=_deadline_input("form-control-sm")
    )
    is_active = forms.BooleanField(
        label=_("启用"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class ReportCategoryAddForm(forms.Form):
    code = forms.CharField(
        label=_("编码"),
        max_length=30,
        help_text=_("小写字母和下划线，添加后不能修改"),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    name = forms.CharField(
        label=_("名称"), max_length=40, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    name_en = forms.CharField(
        label=_("英文名称"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    deadline_days = forms.IntegerField(label=_("办理时限(工作日)"), widget=_deadline_input())


# --- end of reports ---

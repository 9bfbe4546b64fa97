"""Forms of the design pages (input shape only; the services enforce the rules)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from anju.engagement.portal_forms import MultipleFileField, MultipleFileInput

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


class FindingForm(forms.Form):
    """One finding: the compound (one of the project's), the building (optional, one of
    that compound's; the service checks the pair), the checklist item, severity, a note and
    up to three photos (checked and stripped by the service)."""

    compound = forms.ModelChoiceField(
        label=_("小区"),
        queryset=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("该小区不属于本项目。")},
    )
    building = forms.ModelChoiceField(
        label=_("楼栋"),
        queryset=None,
        required=False,
        empty_label=_("全小区（不限楼栋）"),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("该楼栋不属于本项目的小区。")},
    )
    checklist_item = forms.ModelChoiceField(
        label=_("检查项"),
        queryset=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("找不到该检查项。")},
    )
    severity = forms.ChoiceField(
        label=_("严重程度"), choices=(), widget=forms.Select(attrs={"class": "form-select"})
    )
    note = forms.CharField(
        label=_("情况说明"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )
    photos = MultipleFileField(
        label=_("照片（最多 3 张）"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp", "class": "form-control"}
        ),
    )

    def __init__(self, *args, compounds, buildings, items, **kwargs):
        from .models import Severity

        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = compounds
        self.fields["building"].queryset = buildings
        self.fields["building"].label_from_instance = lambda b: f"{b.compound.name} {b.number}"
        self.fields["checklist_item"].queryset = items
        self.fields["checklist_item"].label_from_instance = lambda item: (
            f"{item} （{item.get_kind_display()}）"
        )
        self.fields["severity"].choices = Severity.choices


class FindingCorrectForm(forms.Form):
    """A finding's severity, note and building, corrected (the service checks the building
    belongs to the finding's compound)."""

    severity = forms.ChoiceField(
        label=_("严重程度"), choices=(), widget=forms.Select(attrs={"class": "form-select"})
    )
    building = forms.ModelChoiceField(
        label=_("楼栋"),
        queryset=None,
        required=False,
        empty_label=_("全小区（不限楼栋）"),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("该楼栋不属于本项目的小区。")},
    )
    note = forms.CharField(
        label=_("情况说明"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )

    def __init__(self, *args, buildings, **kwargs):
        from .models import Severity

        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = buildings
        self.fields["severity"].choices = Severity.choices


# --- plan versions ---------------------------------------------------------------------------


class PlanVersionForm(forms.Form):
    """A new version: what changed since the last and why (the service requires it from v2)."""

    changes = forms.CharField(
        label=_("本版修改内容及原因"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )


class PlanItemForm(forms.Form):
    """One line: compound (one of the project's), catalogue item, quantity; payer and unit
    price only when they differ from the item's rule and the price list (then with a note)."""

    compound = forms.ModelChoiceField(
        label=_("小区"),
        queryset=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("不是本项目的小区。")},
    )
    item = forms.ModelChoiceField(
        label=_("改造内容"),
        queryset=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("找不到该改造内容。")},
    )
    quantity = forms.DecimalField(
        label=_("数量"),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
    )
    payer = forms.ChoiceField(
        label=_("出资方"),
        required=False,
        choices=(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    unit_price = forms.DecimalField(
        label=_("单价(元)"),
        required=False,
        max_digits=14,
        decimal_places=2,
        help_text=_("不填则按价格清单。"),
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
    )
    note = forms.CharField(
        label=_("说明"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, compounds, **kwargs):
        from anju.catalogue.models import CatalogueItem, Payer

        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = compounds
        self.fields["item"].queryset = CatalogueItem.objects.in_catalogue_order()
        self.fields["payer"].choices = [("", _("按默认")), *Payer.choices]


class PlanItemChangeForm(PlanItemForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("compound", "item"):
            del self.fields[name]


class NeedAnswerForm(forms.Form):
    compound = forms.IntegerField(widget=forms.HiddenInput)
    item = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("未纳入原因"),
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


class WorkshopForm(forms.Form):
    held_on = forms.DateField(
        label=_("日期"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    place = forms.CharField(
        label=_("地点"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    attendees = forms.IntegerField(
        label=_("参加人数"),
        min_value=1,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    attendee_groups = forms.CharField(
        label=_("参加人员"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    suggestions = forms.CharField(
        label=_("居民意见建议"),
        max_length=3000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
    outcome = forms.CharField(
        label=_("方案据此作出的修改"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class ManagementSchemeForm(forms.Form):
    """A compound's management scheme (stewardship), filled on the project's plan section."""

    compound = forms.ModelChoiceField(
        label=_("小区"),
        queryset=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("不是本项目的小区。")},
    )
    management_model = forms.ChoiceField(
        label=_("管理模式"), choices=(), widget=forms.Select(attrs={"class": "form-select"})
    )
    yearly_upkeep_budget = forms.DecimalField(
        label=_("年度维护经费(元)"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
    )
    note = forms.CharField(
        label=_("说明"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, compounds, **kwargs):
        from anju.stewardship.models import ManagementModel

        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = compounds
        self.fields["management_model"].choices = ManagementModel.choices


# --- notices and objections ------------------------------------------------------------------


class NoticePublishForm(forms.Form):
    """The notice's closing date (the service refuses one shorter than the default period)
    and how residents may object, if not the default wording."""

    closes_on = forms.DateField(
        label=_("公示结束日期"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        help_text=_(
            "默认自发布之日起 7 个工作日（安居默认值，按节假日表计算），可延长，不可缩短。"
        ),
    )
    how_to_object = forms.CharField(
        label=_("意见反映方式"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
        help_text=_("留空则使用默认说明：凭住户码在居民端提出，或向社区居委会书面反映。"),
    )


class ObjectionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[("comment", _("意见建议")), ("objection", _("异议"))],
        initial="comment",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("请选择意见建议或异议。")},
    )
    text = forms.CharField(
        label=_("内容"),
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 5, "maxlength": 2000}),
        error_messages={
            "required": _("请填写内容。"),
            "max_length": _("内容不能超过 2000 个字。"),
        },
    )


class ObjectionAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("公开答复"),
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        error_messages={"required": _("请填写答复内容。")},
    )


# --- joint review and permits ----------------------------------------------------------------


class ReviewerAssignForm(forms.Form):
    """A department's reviewer for the project: both choices are offered from the plan's
    departments and the territory's reviewers, and the service checks them again."""

    department = forms.CharField(
        label=_("审查部门"), widget=forms.Select(attrs={"class": "form-select"})
    )
    reviewer = forms.CharField(
        label=_("审查人"), widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, departments=(), reviewers=(), **kwargs):
        kwargs.setdefault("auto_id", "review-assign-%s")
        super().__init__(*args, **kwargs)
        self.fields["department"].widget.choices = [(d.code, d.name) for d in departments]
        self.fields["reviewer"].widget.choices = [
            (u.get_username(), u.get_full_name() or u.get_username()) for u in reviewers
        ]


class ReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审查意见"),
        choices=[("approved", _("同意")), ("returned", _("退回修改"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    comments = forms.CharField(
        label=_("审查意见说明"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        help_text=_("退回修改时必填。"),
    )


class PermitStepForm(forms.Form):
    document_number = forms.CharField(
        label=_("文号"), max_length=80, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    done_on = forms.DateField(
        label=_("办结日期"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )

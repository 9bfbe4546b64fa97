"""Construction's forms, a section per chapter (errors shown through `anju.core.forms`)."""

from django import forms  # noqa: F401
from django.utils.translation import gettext_lazy as _  # noqa: F401

# --- parties and schedule ---


def _date_input():
    return forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def _text_input():
    return forms.TextInput(attrs={"class": "form-control"})


from anju.engagement.portal_forms import MultipleFileField, MultipleFileInput  # noqa: E402


class PartyForm(forms.Form):
    """A party of the project: its role (when naming), organisation and contract terms. The
    service checks the organisation's kind and credit code and the dates across fields."""

    role = forms.ChoiceField(
        label=_("参建角色"), choices=(), widget=forms.Select(attrs={"class": "form-select"})
    )
    organisation = forms.ModelChoiceField(
        label=_("单位"),
        queryset=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("找不到该机构。")},
    )
    responsible_person = forms.CharField(
        label=_("项目负责人"), max_length=40, widget=_text_input()
    )
    responsible_phone = forms.CharField(label=_("负责人电话"), max_length=20, widget=_text_input())
    contract_sum = forms.DecimalField(
        label=_("合同金额(元)"),
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
    )
    contract_signed_on = forms.DateField(label=_("合同签订日期"), widget=_date_input())
    starts_on = forms.DateField(label=_("合同开始"), widget=_date_input())
    ends_on = forms.DateField(label=_("合同结束"), widget=_date_input())

    def __init__(self, *args, organisations, with_role: bool = True, **kwargs):
        from .models import PartyRole

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if with_role:
            self.fields["role"].choices = PartyRole.choices
        else:
            del self.fields["role"]


class MilestoneForm(forms.Form):
    name = forms.CharField(label=_("节点名称"), max_length=100, widget=_text_input())
    planned_on = forms.DateField(label=_("计划完成"), widget=_date_input())
    reached_on = forms.DateField(label=_("实际完成"), required=False, widget=_date_input())


class TaskForm(forms.Form):
    name = forms.CharField(label=_("任务名称"), max_length=100, widget=_text_input())
    milestone = forms.ModelChoiceField(
        label=_("所属节点"),
        queryset=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("找不到该进度节点。")},
    )
    planned_start = forms.DateField(label=_("计划开始"), widget=_date_input())
    planned_end = forms.DateField(label=_("计划结束"), widget=_date_input())
    weight = forms.DecimalField(
        label=_("权重"),
        max_digits=6,
        decimal_places=2,
        min_value=0.01,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
    )

    def __init__(self, *args, milestones, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = milestones


class ProgressForm(forms.Form):
    """The week's report: a percent per task (named `task_<id>`; the service checks 0–100 and
    drops below the last confirmed value), notes and photos."""

    week_ending = forms.DateField(
        label=_("周报所在周（任一天）"), required=False, widget=_date_input()
    )
    note = forms.CharField(
        label=_("本周情况"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
    photos = MultipleFileField(
        label=_("现场照片（最多 3 张）"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp", "class": "form-control"}
        ),
    )

    def __init__(self, *args, tasks, confirmed=None, **kwargs):
        super().__init__(*args, **kwargs)
        confirmed = confirmed or {}
        self.task_fields = []
        for task in tasks:
            name = f"task_{task.pk}"
            self.fields[name] = forms.DecimalField(
                label=task.name,
                required=False,
                max_digits=8,
                decimal_places=1,
                initial=confirmed.get(task.pk),
                widget=forms.NumberInput(
                    attrs={"class": "form-control", "step": "0.1", "min": "0", "max": "100"}
                ),
            )
            self.task_fields.append(name)
        self.tasks = {f"task_{task.pk}": task for task in tasks}

    def percents(self) -> dict:
        return {
            self.tasks[name]: self.cleaned_data[name]
            for name in self.task_fields
            if self.cleaned_data.get(name) is not None
        }


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=_("异议理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


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

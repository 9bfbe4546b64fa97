"""Construction's forms, a section per chapter (errors shown through `anju.core.forms`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

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
    responsible_person = forms.CharField(label=_("项目负责人"), max_length=40, widget=_text_input())
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


class NoticeForm(forms.Form):
    """The construction notice's text; the service checks the phone and who may publish."""

    scope_summary = forms.CharField(
        label=_("施工内容"),
        max_length=2000,
        help_text=_("每行一项；默认取自审查通过的改造方案"),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 6}),
    )
    working_hours = forms.CharField(
        label=_("施工时间"),
        max_length=100,
        required=False,
        help_text=_("例如：每日 8:00–12:00、14:00–18:00，夜间和午休不施工"),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    complaint_phone = forms.CharField(
        label=_("投诉电话"), max_length=40, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    safety_note = forms.CharField(
        label=_("安全提示"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


# --- end of notices ---

# --- inspections ---


def _inspection_photos(label):
    return MultipleFileField(
        label=label,
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp", "class": "form-control"}
        ),
    )


class InspectionForm(forms.Form):
    """An inspection of one work type: a result for each checklist item and, for a failed
    item (or an extra problem), a rectification order. The service checks the rules; the
    form only the input's shape. Fields per item: `result_<code>` and `<code>_severity`,
    `<code>_description`, `<code>_party`, `<code>_days`, `<code>_photos`; the extra order
    uses the prefix `extra`."""

    kind = forms.ChoiceField(
        label=_("检查类别"), choices=(), widget=forms.Select(attrs={"class": "form-select"})
    )
    inspected_on = forms.DateField(label=_("检查日期"), widget=_date_input())
    note = forms.CharField(
        label=_("检查说明"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )

    def __init__(self, *args, work_type, parties, **kwargs):
        from .models import CheckResult, Inspection, Severity

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Inspection.Kind.choices
        self.items = list(work_type.items.filter(is_active=True).order_by("position", "code"))
        self.parties = list(parties)
        party_choices = [("", "—")] + [
            (party.pk, f"{party.get_role_display()} · {party.organisation.name}")
            for party in self.parties
        ]
        severity_choices = [("", "—"), *Severity.choices]
        for item in self.items:
            self.fields[f"result_{item.code}"] = forms.ChoiceField(
                label=item.text,
                choices=CheckResult.Result.choices,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
        for prefix in [item.code for item in self.items] + ["extra"]:
            self.fields[f"{prefix}_severity"] = forms.ChoiceField(
                label=_("严重程度"),
                choices=severity_choices,
                required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"{prefix}_description"] = forms.CharField(
                label=_("问题描述"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
            )
            self.fields[f"{prefix}_party"] = forms.TypedChoiceField(
                label=_("责任单位"),
                choices=party_choices,
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"{prefix}_days"] = forms.IntegerField(
                label=_("整改时限(工作日)"),
                required=False,
                min_value=1,
                max_value=60,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
            )
            self.fields[f"{prefix}_photos"] = _inspection_photos(_("问题照片（最多 3 张）"))

    def item_rows(self):
        """(item, result field, finding fields) for the template, in checklist order."""
        return [
            (item, self[f"result_{item.code}"], self.finding_fields(item.code))
            for item in self.items
        ]

    def finding_fields(self, prefix):
        return [
            self[f"{prefix}_{name}"] for name in ("severity", "description", "party", "days")
        ] + [self[f"{prefix}_photos"]]

    def clean(self):
        data = super().clean()
        for prefix in [item.code for item in self.items] + ["extra"]:
            if not (data.get(f"{prefix}_description") or "").strip():
                continue
            for name, message in (
                ("severity", _("请选择严重程度。")),
                ("party", _("请选择责任单位。")),
            ):
                if not data.get(f"{prefix}_{name}"):
                    self.add_error(f"{prefix}_{name}", message)
        return data

    def results(self) -> dict:
        return {item.code: self.cleaned_data[f"result_{item.code}"] for item in self.items}

    def drafts(self) -> list:
        from .services.inspections import FindingDraft

        parties = {party.pk: party for party in self.parties}
        drafts = []
        for item in [*self.items, None]:
            prefix = item.code if item else "extra"
            description = (self.cleaned_data.get(f"{prefix}_description") or "").strip()
            if not description:
                continue
            drafts.append(
                FindingDraft(
                    severity=self.cleaned_data[f"{prefix}_severity"],
                    description=description,
                    responsible_party=parties[self.cleaned_data[f"{prefix}_party"]],
                    item=item,
                    deadline_days=self.cleaned_data.get(f"{prefix}_days"),
                    photos=self.cleaned_data.get(f"{prefix}_photos") or [],
                )
            )
        return drafts


class FindingAnswerForm(forms.Form):
    note = forms.CharField(
        label=_("整改情况"),
        max_length=1000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
    photos = _inspection_photos(_("整改后照片（1 至 3 张）"))


class FindingReviewForm(forms.Form):
    """Close (the note is optional) or reopen (the reason is required, the service says so)."""

    service_field_names = {"reason": "note"}  # reopen_finding(reason=…) takes the note

    note = forms.CharField(
        label=_("复查意见"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class WorkTypeForm(forms.Form):
    """A new work type; the service checks the code's letters and that it is free."""

    code = forms.CharField(
        label=_("编码"),
        max_length=30,
        help_text=_("小写字母和下划线，如 fire_safety"),
        widget=_text_input(),
    )
    name = forms.CharField(label=_("名称"), max_length=40, widget=_text_input())
    name_en = forms.CharField(
        label=_("英文名称"), max_length=60, required=False, widget=_text_input()
    )


class InspectionItemAddForm(forms.Form):
    text = forms.CharField(label=_("检查内容"), max_length=200, widget=_text_input())
    is_safety = forms.BooleanField(
        label=_("安全项"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class InspectionItemChangeForm(forms.Form):
    """An item's wording and whether new inspections ask for it (unticked: switched off)."""

    text = forms.CharField(label=_("检查内容"), max_length=200, widget=_text_input())
    is_active = forms.BooleanField(
        label=_("启用"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


# --- end of inspections ---

# --- acceptance ---


def _date_input():
    return forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class AcceptanceOpenForm(forms.Form):
    scheduled_on = forms.DateField(label=_("验收日期"), widget=_date_input())
    place = forms.CharField(
        label=_("地点"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class AcceptanceInviteForm(forms.Form):
    """Invite a department (an organisation, or a named person), someone of the office, or
    residents' representatives (households of the project's compounds, several at once)."""

    kind = forms.ChoiceField(
        label=_("参加方"),
        choices=[
            ("resident", _("居民代表")),
            ("department", _("行业部门")),
            ("office", _("改造办")),
        ],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    organisation = forms.TypedChoiceField(
        label=_("部门"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    households = forms.TypedMultipleChoiceField(
        label=_("居民代表（住户）"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 6}),
    )
    name = forms.CharField(
        label=_("姓名"),
        max_length=40,
        required=False,
        help_text=_("部门参加人或改造办人员的姓名；居民代表默认用住户登记的业主姓名"),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, departments=(), households=(), **kwargs):
        """`departments`: (pk, name); `households`: (pk, address) not yet invited."""
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "—"), *departments]
        self.fields["households"].choices = list(households)


class AcceptanceChecklistForm(forms.Form):
    """One participant's checklist: a pass/fail and note per line of the approved plan
    (fields `result_<n>`, `note_<n>` in checklist order), the opinion, a comment and how it
    was given."""

    opinion = forms.ChoiceField(
        label=_("验收意见"),
        choices=[("agree", _("同意")), ("conditional", _("有条件同意")), ("disagree", _("不同意"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("说明"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )
    channel = forms.ChoiceField(
        label=_("填报方式"),
        choices=[("workbench", _("本人在工作台填报")), ("paper", _("纸质签字，工作人员录入"))],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, lines=(), with_channel=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for index, line in enumerate(self.lines):
            self.fields[f"result_{index}"] = forms.ChoiceField(
                label=line.label,
                choices=[("pass", _("合格")), ("fail", _("不合格"))],
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{index}"] = forms.CharField(
                label=_("说明"),
                max_length=300,
                required=False,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )
        if not with_channel:
            del self.fields["channel"]

    def rows(self):
        return [
            (line, self[f"result_{index}"], self[f"note_{index}"])
            for index, line in enumerate(self.lines)
        ]

    def answers(self) -> list:
        from .services.acceptance import CheckAnswer

        return [
            CheckAnswer(
                code=line.code,
                result=self.cleaned_data[f"result_{index}"],
                note=self.cleaned_data[f"note_{index}"],
            )
            for index, line in enumerate(self.lines)
        ]


class AcceptanceDefectForm(forms.Form):
    description = forms.CharField(
        label=_("问题"), max_length=500, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    owner = forms.TypedChoiceField(
        label=_("责任单位"), coerce=int, widget=forms.Select(attrs={"class": "form-select"})
    )
    due_on = forms.DateField(label=_("整改期限"), widget=_date_input())

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "—"), *parties]


class AcceptanceDefectClearForm(forms.Form):
    note = forms.CharField(
        label=_("整改情况"),
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


class AcceptanceDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("验收结论"),
        choices=[
            ("passed", _("验收合格")),
            ("conditional", _("有条件通过")),
            ("failed", _("验收不合格")),
        ],
        widget=forms.RadioSelect,
    )
    conditions = forms.CharField(
        label=_("整改条件"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )


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

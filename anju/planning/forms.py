"""Forms of the planning pages. They parse and validate shape; the services decide."""

from __future__ import annotations

from fractions import Fraction

from django import forms
from django.utils.translation import gettext_lazy as _

from anju.engine.scoring import AhpMethod, Direction, Normalisation
from anju.territory.models import Node

from .models import OverrideAction

YEAR_RANGE = (2000, 2100)
MAX_BUDGET = 10**14


def control(widget: forms.Widget) -> forms.Widget:
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    widget.attrs.setdefault("class", css)
    return widget


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxInput):
                control(field.widget)


def money_field(label, *, required=True, help_text=""):
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_value=MAX_BUDGET,
        max_digits=16,
        decimal_places=2,
        required=required,
        help_text=help_text,
    )


class FiveYearPlanForm(StyledForm):
    name = forms.CharField(label=_("名称"), max_length=120)
    start_year = forms.IntegerField(
        label=_("起始年"), min_value=YEAR_RANGE[0], max_value=YEAR_RANGE[1]
    )
    end_year = forms.IntegerField(
        label=_("终止年"), min_value=YEAR_RANGE[0], max_value=YEAR_RANGE[1]
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("start_year")
            and data.get("end_year")
            and data["end_year"] < data["start_year"]
        ):
            self.add_error("end_year", _("终止年不能早于起始年。"))
        return data


class TargetForm(StyledForm):
    district = forms.ModelChoiceField(label=_("区"), queryset=Node.objects.none())
    compounds = forms.IntegerField(label=_("小区数"), min_value=0)
    households = forms.IntegerField(label=_("户数"), min_value=0)
    floor_area = forms.DecimalField(
        label=_("建筑面积(m²)"), min_value=0, max_digits=14, decimal_places=2
    )
    investment = money_field(_("投资(元)"))

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = (
            districts if districts is not None else Node.objects.none()
        )


class AnnualPlanForm(StyledForm):
    year = forms.IntegerField(label=_("年度"), min_value=YEAR_RANGE[0], max_value=YEAR_RANGE[1])
    total_budget = money_field(_("总预算(元)"))


class BudgetForm(StyledForm):
    district = forms.ModelChoiceField(label=_("区"), queryset=Node.objects.none())
    max_cost = money_field(_("预算上限(元)"), required=False, help_text=_("留空表示不设上限"))
    min_count = forms.IntegerField(
        label=_("最少项目数"), min_value=0, required=False, help_text=_("留空表示不设下限")
    )

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = (
            districts if districts is not None else Node.objects.none()
        )


class RoundForm(StyledForm):
    name = forms.CharField(label=_("名称"), max_length=120)
    node = forms.ModelChoiceField(label=_("评分范围"), queryset=Node.objects.none())
    model = forms.ModelChoiceField(label=_("评分模型"), queryset=None)
    cost_per_m2 = forms.DecimalField(
        label=_("估算单价(元/m²)"),
        min_value=0,
        max_digits=8,
        decimal_places=2,
        initial=400,
        help_text=_("设计概算出来之前，按建筑面积×单价估算每个小区的改造投资。"),
    )

    def __init__(self, *args, nodes=None, models=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes if nodes is not None else Node.objects.none()
        self.fields["model"].queryset = models


class ScenarioForm(StyledForm):
    name = forms.CharField(label=_("方案名称"), max_length=120)
    total_budget = money_field(_("总预算(元)"))
    time_limit = forms.FloatField(
        label=_("求解时限(秒)"), min_value=1, max_value=600, initial=10, required=False
    )

    def __init__(self, *args, indicators=(), districts=(), **kwargs):
        """One optional weight per indicator (blank: the round's model) and, per district, an
        optional cap and minimum (blank: as the district reported)."""
        super().__init__(*args, **kwargs)
        self.indicator_keys = []
        for indicator in indicators:
            name = f"weight_{indicator.key}"
            self.fields[name] = forms.FloatField(
                label=indicator.name_zh, min_value=0, max_value=1000, required=False
            )
            control(self.fields[name].widget).attrs["placeholder"] = f"{indicator.weight:g}"
            self.indicator_keys.append(indicator.key)
        self.district_rows = []
        for district, reported in districts:
            cap, minimum = f"cap_{district.pk}", f"min_{district.pk}"
            self.fields[cap] = money_field(district.name, required=False)
            self.fields[minimum] = forms.IntegerField(
                label=district.name, min_value=0, required=False
            )
            control(self.fields[cap].widget).attrs["placeholder"] = reported.get("max_cost") or ""
            control(self.fields[minimum].widget).attrs["placeholder"] = (
                reported.get("min_count") or ""
            )
            self.district_rows.append((district, self[cap], self[minimum], reported))

    def weights(self) -> dict:
        given = {key: self.cleaned_data.get(f"weight_{key}") for key in self.indicator_keys}
        if all(value is None for value in given.values()):
            return {}
        return {key: value for key, value in given.items() if value is not None}

    def caps(self, reported: dict) -> dict:
        caps = {key: dict(value) for key, value in reported.items()}
        for district, _cap, _minimum, _reported in self.district_rows:
            row = caps.setdefault(str(district.pk), {"max_cost": None, "min_count": None})
            cap = self.cleaned_data.get(f"cap_{district.pk}")
            minimum = self.cleaned_data.get(f"min_{district.pk}")
            if cap is not None:
                row["max_cost"] = str(cap)
            if minimum is not None:
                row["min_count"] = minimum
        return caps


class OverrideForm(StyledForm):
    compound = forms.CharField(label=_("小区编码"), max_length=24)
    action = forms.ChoiceField(label=_("调整"), choices=OverrideAction.choices)
    reason = forms.CharField(
        label=_("理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("必填。调整会被记录，并显示由此放弃的评分。"),
    )


class WeightsForm(StyledForm):
    note = forms.CharField(label=_("说明"), max_length=500, required=False)

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.keys = []
        for indicator in indicators:
            name = f"weight_{indicator.key}"
            self.fields[name] = forms.FloatField(
                label=indicator.name_zh, min_value=0, max_value=1000, initial=indicator.weight
            )
            control(self.fields[name].widget)
            self.keys.append(indicator.key)

    def weights(self) -> dict:
        return {key: self.cleaned_data[f"weight_{key}"] for key in self.keys}


def parse_judgement(text: str):
    text = text.strip()
    try:
        return Fraction(text) if "/" in text else float(text)
    except (ValueError, ZeroDivisionError):
        raise forms.ValidationError(_("“%(value)s”不是数字或分数。") % {"value": text}) from None


class AhpForm(StyledForm):
    matrix = forms.CharField(
        label=_("两两比较矩阵"),
        widget=forms.Textarea(attrs={"rows": 12, "class": "form-control font-monospace"}),
        help_text=_(
            "每行一个指标，按模型中的顺序；数值用空格分隔，可写分数如 1/3（Saaty 1–9 标度）。"
        ),
    )
    method = forms.ChoiceField(
        label=_("计算方法"),
        choices=[
            (AhpMethod.EIGENVECTOR, _("特征向量法")),
            (AhpMethod.GEOMETRIC_MEAN, _("几何平均法")),
        ],
        initial=AhpMethod.EIGENVECTOR,
    )
    note = forms.CharField(label=_("说明"), max_length=500, required=False)

    def clean_matrix(self):
        rows = [line.split() for line in self.cleaned_data["matrix"].splitlines() if line.strip()]
        return [[parse_judgement(cell) for cell in row] for row in rows]


class ManualIndicatorForm(StyledForm):
    key = forms.SlugField(
        label=_("指标标识"), max_length=40, help_text=_("英文小写字母、数字和下划线")
    )
    name_zh = forms.CharField(label=_("中文名称"), max_length=60)
    name_en = forms.CharField(label=_("英文名称"), max_length=80)
    guidance = forms.CharField(
        label=_("填报说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class AddIndicatorForm(StyledForm):
    indicator = forms.ModelChoiceField(label=_("人工指标"), queryset=None)
    weight = forms.FloatField(label=_("权重"), min_value=0, max_value=1000)
    normalisation = forms.ChoiceField(
        label=_("标准化方法"),
        choices=[(Normalisation.MIN_MAX, _("极差标准化")), (Normalisation.RANK, _("排序百分位"))],
    )
    direction = forms.ChoiceField(
        label=_("方向"),
        choices=[
            (Direction.HIGHER_RAISES_PRIORITY, _("数值越高越优先")),
            (Direction.HIGHER_LOWERS_PRIORITY, _("数值越低越优先")),
        ],
    )

    def __init__(self, *args, indicators=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators


class ManualValueForm(StyledForm):
    compound = forms.CharField(label=_("小区编码"), max_length=24)
    value = forms.DecimalField(label=_("数值"), max_digits=14, decimal_places=4)
    evidence = forms.FileField(label=_("佐证材料"), help_text=_("扫描件、照片或报告，最大 10 MB"))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

    def clean_evidence(self):
        upload = self.cleaned_data["evidence"]
        if upload.size > self.MAX_EVIDENCE_BYTES:
            raise forms.ValidationError(_("文件超过 10 MB。"))
        return upload

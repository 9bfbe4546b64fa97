"""Forms of the package pages. They check the input's shape; `packages` decides."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .packages import DEFAULT_COST_PER_M2, DEFAULT_DISTANCE_M

MAX_DISTANCE_M = 1_000
MAX_MONEY = 10**14


def styled(form: forms.Form) -> forms.Form:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select form-select-sm")
        else:
            widget.attrs.setdefault("class", "form-control form-control-sm")
    return form


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)


class ProposeForm(StyledForm):
    node = forms.CharField(label=_("范围"), max_length=20)
    distance_m = forms.FloatField(
        label=_("邻近距离(米)"),
        min_value=0,
        max_value=MAX_DISTANCE_M,
        initial=int(DEFAULT_DISTANCE_M),
        help_text=_("两个小区的边界相距不超过此距离即为相邻；没有边界的小区按点位和默认半径计。"),
    )
    group_by = forms.ChoiceField(
        label=_("连片单元"),
        choices=[("street", _("按街道")), ("community", _("按社区"))],
        initial="street",
    )
    max_households = forms.IntegerField(
        label=_("每片户数上限"), min_value=1, required=False, help_text=_("留空则不限。")
    )
    max_cost = forms.DecimalField(
        label=_("每片投资上限(元)"),
        min_value=Decimal("0.01"),
        max_value=MAX_MONEY,
        max_digits=16,
        decimal_places=2,
        required=False,
        help_text=_("留空则不限。"),
    )
    cost_per_m2 = forms.DecimalField(
        label=_("估算单价(元/m²)"),
        min_value=0,
        max_value=100_000,
        max_digits=10,
        decimal_places=2,
        initial=DEFAULT_COST_PER_M2,
    )

    def __init__(self, *args, nodes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].widget = forms.Select(
            choices=[(node.code, node_label(node)) for node in nodes],
            attrs={"class": "form-select form-select-sm"},
        )


def node_label(node) -> str:
    return f"{'　' * max(node.depth - 1, 0)}{node.name}"


class AcceptForm(StyledForm):
    name = forms.CharField(label=_("片区名称"), max_length=160)
    is_model_project = forms.BooleanField(label=_("样板工程"), required=False)
    confirm = forms.BooleanField(
        label=_("我已知晓：采纳后不能撤销"), required=False
    )  # the service refuses an unconfirmed acceptance, saying what it means


class RejectForm(StyledForm):
    reason = forms.CharField(label=_("不采纳理由"), max_length=300)


class SplitForm(StyledForm):
    members = forms.TypedMultipleChoiceField(
        label=_("拆出的小区"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [(c.pk, c.name) for c in members]


class MergeForm(StyledForm):
    other = forms.CharField(label=_("与之合并的建议"), max_length=40)

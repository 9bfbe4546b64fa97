"""Forms of coordination's workbench pages, by area: others' works, dig-once conflicts, package
proposals. They check the input's shape only; the services check the rules (STYLE.md rule 7)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.core.scope import Scope
from anju.engine.conflicts import DEFAULT_DISTANCE_M as CONFLICT_DISTANCE_M
from anju.engine.conflicts import DEFAULT_MONTHS as CONFLICT_MONTHS
from anju.engine.geo import CRS

from . import packages, works
from .importers import GEOJSON_SUFFIXES, SPREADSHEET_SUFFIXES
from .models import ConflictStatus, WorkKind, WorkStatus

MAX_UPLOAD_MB = 20
MAX_DISTANCE_M = 1_000
MAX_MONEY = 10**14
CRS_CHOICES = [
    (CRS.WGS84.value, gettext_lazy("WGS84 / CGCS2000（GPS、测绘成果）")),
    (CRS.GCJ02.value, gettext_lazy("GCJ-02（高德、腾讯地图）")),
    (CRS.BD09.value, gettext_lazy("BD-09（百度地图）")),
]


class WorksFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("类别"),
        required=False,
        choices=[("", gettext_lazy("全部类别")), *WorkKind.choices],
    )
    status = forms.ChoiceField(
        label=gettext_lazy("状态"),
        required=False,
        choices=[("", gettext_lazy("全部状态")), *WorkStatus.choices],
    )
    organisation = forms.TypedChoiceField(
        label=gettext_lazy("建设单位"), required=False, coerce=int, empty_value=None
    )
    district = forms.CharField(label=gettext_lazy("区"), required=False, max_length=20)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [
            ("", _("全部建设单位")),
            *((organisation.pk, organisation.name) for organisation in organisations),
        ]

    def to_filters(self) -> works.WorkFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return works.WorkFilters(
            kind=data.get("kind", ""),
            status=data.get("status", ""),
            organisation_id=data.get("organisation"),
            district=data.get("district", ""),
        )


class WorksUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("工程文件"),
        help_text=gettext_lazy("按模板填写的 .xlsx（或 .csv）文件，或 GeoJSON（.geojson）文件。"),
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("建设单位"), queryset=works.owner_organisations()
    )
    crs = forms.ChoiceField(
        label=gettext_lazy("坐标系"),
        choices=CRS_CHOICES,
        initial=CRS.WGS84.value,
        help_text=gettext_lazy("文件中坐标所用的坐标系，系统统一换算为 WGS84 保存。"),
    )
    dry_run = forms.BooleanField(label=gettext_lazy("只检查，不导入"), required=False)

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        choices = works.organisation_choices(scope)
        field = self.fields["organisation"]
        field.queryset = choices
        if not scope.has_role(works.CITY_OFFICE):
            own = choices.first()
            field.initial = own.pk if own else None
            field.disabled = True

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in SPREADSHEET_SUFFIXES | GEOJSON_SUFFIXES:
            raise forms.ValidationError(_("请上传 .xlsx、.xls、.csv 或 .geojson 文件。"))
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("文件不能超过 %(size)d MB，请分批导入。") % {"size": MAX_UPLOAD_MB}
            )
        return upload


# Dig-once conflicts.


def styled_full_size(form: forms.Form) -> forms.Form:
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)
    return form


class DetectForm(forms.Form):
    distance_m = forms.FloatField(
        label=gettext_lazy("距离(米)"), min_value=0, max_value=1000, initial=CONFLICT_DISTANCE_M
    )
    months = forms.IntegerField(
        label=gettext_lazy("前后月数"), min_value=0, max_value=60, initial=CONFLICT_MONTHS
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled_full_size(self)


# A date input reads and writes ISO dates only; the locale's format (2027/05/10) shows empty.
ISO_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ResolveForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("协调结果"),
        choices=[
            (ConflictStatus.JOINT, gettext_lazy("约定同步施工")),
            (ConflictStatus.DECLINED, gettext_lazy("不同步")),
        ],
        widget=forms.RadioSelect,
    )
    joint_starts_on = forms.DateField(
        label=gettext_lazy("约定开工"), required=False, widget=ISO_DATE
    )
    joint_ends_on = forms.DateField(label=gettext_lazy("约定完工"), required=False, widget=ISO_DATE)
    note = forms.CharField(
        label=gettext_lazy("说明"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("不同步时必须写明理由，例如工期无法调整、已预埋套管。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("joint_starts_on", "joint_ends_on", "note"):
            self.fields[name].widget.attrs.setdefault("class", "form-control")


# Package proposals (连片改造建议): the pages' side panels use the small controls.


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
    node = forms.CharField(label=gettext_lazy("范围"), max_length=20)
    distance_m = forms.FloatField(
        label=gettext_lazy("邻近距离(米)"),
        min_value=0,
        max_value=MAX_DISTANCE_M,
        initial=int(packages.DEFAULT_DISTANCE_M),
        help_text=gettext_lazy(
            "两个小区的边界相距不超过此距离即为相邻；没有边界的小区按点位和默认半径计。"
        ),
    )
    group_by = forms.ChoiceField(
        label=gettext_lazy("连片单元"),
        choices=[("street", gettext_lazy("按街道")), ("community", gettext_lazy("按社区"))],
        initial="street",
    )
    max_households = forms.IntegerField(
        label=gettext_lazy("每片户数上限"),
        min_value=1,
        required=False,
        help_text=gettext_lazy("留空则不限。"),
    )
    max_cost = forms.DecimalField(
        label=gettext_lazy("每片投资上限(元)"),
        min_value=Decimal("0.01"),
        max_value=MAX_MONEY,
        max_digits=16,
        decimal_places=2,
        required=False,
        help_text=gettext_lazy("留空则不限。"),
    )
    cost_per_m2 = forms.DecimalField(
        label=gettext_lazy("估算单价(元/m²)"),
        min_value=0,
        max_value=100_000,
        max_digits=10,
        decimal_places=2,
        initial=packages.DEFAULT_COST_PER_M2,
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
    name = forms.CharField(label=gettext_lazy("片区名称"), max_length=160)
    is_model_project = forms.BooleanField(label=gettext_lazy("样板工程"), required=False)
    confirm = forms.BooleanField(
        label=gettext_lazy("我已知晓：采纳后不能撤销"), required=False
    )  # the service refuses an unconfirmed acceptance, saying what it means


class RejectForm(StyledForm):
    reason = forms.CharField(label=gettext_lazy("不采纳理由"), max_length=300)


class SplitForm(StyledForm):
    members = forms.TypedMultipleChoiceField(
        label=gettext_lazy("拆出的小区"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [(c.pk, c.name) for c in members]


class MergeForm(StyledForm):
    other = forms.CharField(label=gettext_lazy("与之合并的建议"), max_length=40)

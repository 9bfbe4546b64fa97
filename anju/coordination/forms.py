"""Forms of coordination's workbench pages. They check the input's shape only; the services
check the rules (STYLE.md rule 7)."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.core.scope import Scope
from anju.engine.geo import CRS

from . import works
from .importers import GEOJSON_SUFFIXES, SPREADSHEET_SUFFIXES
from .models import WorkKind, WorkStatus

MAX_UPLOAD_MB = 20
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

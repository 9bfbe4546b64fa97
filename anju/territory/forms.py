from pathlib import Path

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import ManagementStatus, Stage
from .selectors import ORDERINGS, CompoundFilters


class CompoundFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=60)
    district = forms.CharField(label=_("区"), required=False, max_length=20)
    street = forms.CharField(label=_("街道"), required=False, max_length=20)
    stage = forms.ChoiceField(
        label=_("阶段"), required=False, choices=[("", _("全部阶段")), *Stage.choices]
    )
    management = forms.ChoiceField(
        label=_("管理状态"),
        required=False,
        choices=[("", _("全部管理状态")), *ManagementStatus.choices],
    )
    year_from = forms.IntegerField(
        label=_("建成年份自"), required=False, min_value=1900, max_value=2100
    )
    year_to = forms.IntegerField(label=_("至"), required=False, min_value=1900, max_value=2100)
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[
            ("path", _("按区划")),
            ("name", _("按名称")),
            ("year", _("建成年份（早→晚）")),
            ("-year", _("建成年份（晚→早）")),
            ("households", _("户数（多→少）")),
            ("area", _("面积（大→小）")),
        ],
    )

    def to_filters(self) -> CompoundFilters:
        data = self.cleaned_data if self.is_valid() else {}
        sort = data.get("sort") or "path"
        return CompoundFilters(
            search=data.get("q", ""),
            district=data.get("district", ""),
            street=data.get("street", ""),
            stage=data.get("stage", ""),
            management_status=data.get("management", ""),
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            ordering=sort if sort in ORDERINGS else "path",
        )


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("查看日期"), widget=forms.DateInput(attrs={"type": "date"}))


def date_input():
    return forms.DateInput(attrs={"type": "date"})


class NodeAddForm(forms.Form):
    kind = forms.ChoiceField(label=_("层级"), choices=[])
    code = forms.CharField(label=_("区划代码"), max_length=20)
    name = forms.CharField(label=_("名称"), max_length=80)
    valid_from = forms.DateField(label=_("设立日期"), widget=date_input())
    decision = forms.CharField(label=_("批准文件"), max_length=200, required=False)


class NodeRenameForm(forms.Form):
    name = forms.CharField(label=_("新名称"), max_length=80)
    effective_on = forms.DateField(label=_("生效日期"), widget=date_input())
    decision = forms.CharField(label=_("批准文件"), max_length=200, required=False)


class NodeMoveForm(forms.Form):
    parent = forms.ChoiceField(label=_("新上级"), choices=[])
    effective_on = forms.DateField(label=_("生效日期"), widget=date_input())
    decision = forms.CharField(label=_("批准文件"), max_length=200, required=False)


class NodeEndForm(forms.Form):
    valid_to = forms.DateField(label=_("最后有效日"), widget=date_input())
    decision = forms.CharField(label=_("批准文件"), max_length=200, required=False)


UPLOAD_SUFFIXES = {".xlsx", ".xls", ".csv"}
MAX_UPLOAD_MB = 20


class RegistryUploadForm(forms.Form):
    file = forms.FileField(
        label=_("台账文件"),
        help_text=_("按模板填写的 .xlsx 文件，或只含“小区”表的 .csv 文件。"),
    )
    dry_run = forms.BooleanField(label=_("只检查，不导入"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in UPLOAD_SUFFIXES:
            raise forms.ValidationError(gettext("请上传 .xlsx、.xls 或 .csv 文件。"))
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                gettext("文件不能超过 %(size)d MB，请分批导入。") % {"size": MAX_UPLOAD_MB}
            )
        return upload

"""Workbench forms of engagement: the input's shape only (STYLE.md rule 7).

Which compounds, nodes and households a viewer may pick comes from the scoped querysets the
views pass in; the rules across rows (windows, electorates, one answer per household) are the
services'. A `DomainError` from a service is put back on the form with
`anju.core.forms.errors_on`.
"""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.catalogue.models import CatalogueItem

from .models import MAJOR_MATTERS, Channel, Choice, Matter, Willingness

# Answers staff record on a household's behalf (the resident's own is "online"; files are
# "imported").
ON_BEHALF_CHANNELS = (Channel.DOOR_TO_DOOR, Channel.PHONE, Channel.FORUM)
# A paper ballot is collected at the door (入户) or handed in at an owners' meeting (座谈会).
PAPER_BALLOT_CHANNELS = (Channel.DOOR_TO_DOOR, Channel.FORUM)
UPLOAD_SUFFIXES = {".xlsx", ".xls", ".csv"}
MAX_UPLOAD_MB = 10


class BootstrapForm(forms.Form):
    """Bootstrap 5 classes on every widget, so templates render `{{ field }}` as is."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(
                widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.CheckboxInput
            ):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def datetime_input():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def item_choices(items) -> list[tuple[str, str]]:
    return [(item.code, f"{item.code} {item.name}") for item in items]


class CampaignForm(BootstrapForm):
    title = forms.CharField(label=gettext_lazy("标题"), max_length=120)
    node = forms.ChoiceField(label=gettext_lazy("发起辖区"))
    compounds = forms.MultipleChoiceField(
        label=gettext_lazy("小区"), required=False, widget=forms.CheckboxSelectMultiple
    )
    all_compounds = forms.BooleanField(label=gettext_lazy("辖区内全部小区"), required=False)
    starts_on = forms.DateField(label=gettext_lazy("开始日期"), widget=date_input())
    ends_on = forms.DateField(label=gettext_lazy("截止日期"), widget=date_input())
    asks_contribution = forms.BooleanField(
        label=gettext_lazy("询问出资意愿"), required=False, initial=True
    )
    introduction = forms.CharField(
        label=gettext_lazy("说明"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, nodes, compounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.nodes = {node.code: node for node in nodes}
        self.compound_objects = {str(c.pk): c for c in compounds}
        self.fields["node"].choices = [
            (node.code, f"{node.get_kind_display()} · {node.name}") for node in nodes
        ]
        self.fields["compounds"].choices = [(str(c.pk), f"{c.name}（{c.code}）") for c in compounds]

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("截止日期不能早于开始日期。"))
        if data.get("all_compounds"):
            data["compounds"] = list(self.compound_objects)
        if not data.get("compounds"):
            self.add_error("compounds", _("请至少选择一个小区。"))
        data["node_object"] = self.nodes.get(data.get("node"))
        data["compound_objects"] = [self.compound_objects[pk] for pk in data.get("compounds") or []]
        return data


class HouseholdFields(BootstrapForm):
    """Building / unit / room, as written on the paper (“1栋”, “1单元”, “101”)."""

    building = forms.CharField(label=gettext_lazy("楼栋号"), max_length=20)
    unit = forms.CharField(
        label=gettext_lazy("单元号"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("楼栋只有一个单元时可不填。"),
    )
    room = forms.CharField(label=gettext_lazy("房号"), max_length=20)


class AnswerForm(HouseholdFields):
    """A household's answer recorded by staff from a paper, a visit or a phone call."""

    compound = forms.ChoiceField(label=gettext_lazy("小区"))
    channel = forms.ChoiceField(
        label=gettext_lazy("渠道"),
        choices=[(c.value, c.label) for c in ON_BEHALF_CHANNELS],
        initial=Channel.DOOR_TO_DOOR,
    )
    paper_reference = forms.CharField(
        label=gettext_lazy("纸质表编号"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("入户收集的纸质问卷必填。"),
    )
    needs = forms.MultipleChoiceField(
        label=gettext_lazy("需要的改造内容"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    urgent = forms.MultipleChoiceField(
        label=gettext_lazy("急需"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("勾选“急需”即视为需要。"),
    )
    willingness = forms.ChoiceField(
        label=gettext_lazy("出资意愿"),
        required=False,
        choices=[("", gettext_lazy("未回答")), *Willingness.choices],
    )
    comment = forms.CharField(
        label=gettext_lazy("其他意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    field_order = ["compound", "building", "unit", "room", "channel", "paper_reference"]

    def __init__(self, *args, compounds, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.compound_objects = {str(c.pk): c for c in compounds}
        self.fields["compound"].choices = [(str(c.pk), f"{c.name}（{c.code}）") for c in compounds]
        self.fields["needs"].choices = item_choices(self.items)
        self.fields["urgent"].choices = item_choices(self.items)

    def clean(self):
        data = super().clean()
        urgent = list(data.get("urgent") or [])
        needs = list(dict.fromkeys([*(data.get("needs") or []), *urgent]))
        data["need_choices"] = [(code, code in urgent) for code in needs]
        data["compound_object"] = self.compound_objects.get(data.get("compound"))
        return data

    def item_rows(self):
        """(item, needed?, urgent?) for the checkbox table, grouped by category in order."""
        needs = set(self["needs"].value() or [])
        urgent = set(self["urgent"].value() or [])
        return [(item, item.code in needs, item.code in urgent) for item in self.items]


class ForumForm(BootstrapForm):
    compound = forms.ChoiceField(label=gettext_lazy("小区"))
    held_on = forms.DateField(label=gettext_lazy("日期"), widget=date_input())
    attendance = forms.IntegerField(label=gettext_lazy("参会人数"), min_value=1, max_value=10000)
    items = forms.MultipleChoiceField(
        label=gettext_lazy("提出的需求"), required=False, widget=forms.CheckboxSelectMultiple
    )
    minutes = forms.CharField(
        label=gettext_lazy("纪要"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, compounds, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.compound_objects = {str(c.pk): c for c in compounds}
        self.fields["compound"].choices = [(str(c.pk), f"{c.name}（{c.code}）") for c in compounds]
        self.fields["items"].choices = item_choices(items)

    def clean(self):
        data = super().clean()
        data["compound_object"] = self.compound_objects.get(data.get("compound"))
        return data


class NeedsUploadForm(BootstrapForm):
    file = forms.FileField(
        label=gettext_lazy("纸质问卷文件"),
        help_text=gettext_lazy("按模板填写的 .xlsx 文件（工作表“问卷”）。"),
    )
    dry_run = forms.BooleanField(label=gettext_lazy("只检查，不导入"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in UPLOAD_SUFFIXES:
            raise forms.ValidationError(_("请上传 .xlsx、.xls 或 .csv 文件。"))
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("文件不能超过 %(size)d MB，请分批导入。") % {"size": MAX_UPLOAD_MB}
            )
        return upload


def matter_choices() -> list[tuple[int, str]]:
    """Art. 278's nine matters, the major ones (items 6–8) marked."""
    choices = []
    for matter in Matter:
        if matter.value in MAJOR_MATTERS:
            label = _("%(number)d. %(name)s（重大事项，须四分之三以上同意）") % {
                "number": matter.value,
                "name": matter.label,
            }
        else:
            label = _("%(number)d. %(name)s（一般事项，须过半数同意）") % {
                "number": matter.value,
                "name": matter.label,
            }
        choices.append((matter.value, label))
    return choices


class VoteForm(BootstrapForm):
    title = forms.CharField(label=gettext_lazy("表决事项"), max_length=160)
    matter = forms.TypedChoiceField(
        label=gettext_lazy("民法典第278条事项"), coerce=int, choices=matter_choices
    )
    compound = forms.CharField(
        label=gettext_lazy("小区编码"),
        max_length=24,
        help_text=gettext_lazy("输入或从列表选择本辖区的小区。"),
    )
    building = forms.ChoiceField(label=gettext_lazy("楼栋"), required=False)
    unit = forms.ChoiceField(
        label=gettext_lazy("单元"),
        required=False,
        help_text=gettext_lazy("加装电梯按单元表决。"),
    )
    opens_at = forms.DateTimeField(label=gettext_lazy("开始时间"), widget=datetime_input())
    closes_at = forms.DateTimeField(label=gettext_lazy("截止时间"), widget=datetime_input())
    description = forms.CharField(
        label=gettext_lazy("说明"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, buildings=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.building_objects = {str(b.pk): b for b in buildings}
        self.unit_objects = {str(u.pk): u for u in units}
        self.fields["building"].choices = [
            ("", gettext_lazy("整个小区")),
            *((str(b.pk), b.number) for b in buildings),
        ]
        self.fields["unit"].choices = [
            ("", gettext_lazy("整栋楼")),
            *((str(u.pk), f"{u.building.number} {u.number}") for u in units),
        ]

    def clean(self):
        data = super().clean()
        opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("截止时间须晚于开始时间。"))
        data["building_object"] = self.building_objects.get(data.get("building") or "")
        data["unit_object"] = self.unit_objects.get(data.get("unit") or "")
        return data


class BallotForm(HouseholdFields):
    """A paper ballot, entered by staff with its reference."""

    choice = forms.ChoiceField(
        label=gettext_lazy("表决意见"), choices=Choice.choices, widget=forms.RadioSelect
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("收票方式"),
        choices=[(c.value, c.label) for c in PAPER_BALLOT_CHANNELS],
        initial=Channel.DOOR_TO_DOOR,
    )
    paper_reference = forms.CharField(label=gettext_lazy("纸质票编号"), max_length=60)
    replace = forms.BooleanField(
        label=gettext_lazy("确认替换该户已有的表决票"),
        required=False,
        help_text=gettext_lazy("该户已有表决票时才需要勾选；被替换的票会保留记录。"),
    )


def active_items():
    return CatalogueItem.objects.active().in_catalogue_order()

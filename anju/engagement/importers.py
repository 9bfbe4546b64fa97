"""Paper survey sheets (纸质问卷) of a needs campaign, imported from .xlsx through the import core.

One sheet, 问卷, one row per household's paper answer:

======== ==== ============================================================================
列        必填  内容
======== ==== ============================================================================
小区编码    是   a compound of this campaign, inside the importer's territory
楼栋号      是   as in the registry; "1", "1栋", "1号楼" and "1幢" are the same building
单元号      否   "1" and "1单元" are the same; blank when the building has a single unit
房号        是   "101" and "101室" are the same room
纸质表编号  是   the paper's reference, unique within the file and the campaign
需求        否   catalogue codes or names separated by "," "，" "、" ";" or spaces
                 ("B15,I13" or "外墙修缮、加装电梯"); blank: the household needs nothing
急需        否   the urgent subset of 需求, same notation
出资意愿    否   不愿出资 / 愿意出一部分 / 愿意按要求分摊
其他意见    否   free text, up to 2,000 characters
======== ==== ============================================================================

Rules (all checked before anything is written; one problem rejects the whole file, nothing is
written, and the annotated copy marks every problem cell):

* Each row passes the same rules as an answer recorded on the page or the API, because it is
  checked by `services.check_needs` (window open today, paper reference present, known active
  items, no item twice) and written by `services.write_needs`, all rows in the import core's one
  `transaction.atomic(durable=True)`; each answer gets its `needs.submitted` audit event and the
  file one `needs.imported`. The channel is `imported` (纸质导入).
* One row per household: a second row for the same room is refused, and so is a paper
  reference used twice in the file or already used by another household in this campaign.
* A household that already answered online keeps its own answer: the paper row is refused
  (a resident's own answer is never overwritten by a typist). A household already entered on
  paper or door to door is updated, so importing the same corrected file twice is harmless.
* 小区编码 outside the campaign or outside the importer's territory get the same message.

Cost: four queries to read what the file refers to (households of the named compounds, their
submissions, paper references, catalogue), then a handful per row inside the one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.catalogue.models import CatalogueItem, Category
from anju.core import excel
from anju.core.calendar import today
from anju.core.errors import DomainError, PermissionDenied
from anju.core.importing import (
    Column,
    Importer,
    ImportParams,
    ImportReport,
    Row,
    SheetData,
    SheetSpec,
    choice,
    choice_labels,
    identifier,
    import_upload,
    narrow,
    sheet_rows,
    squeeze,
    stage_upload,
    text,
    uploader,
    write_instructions,
)
from anju.core.progress import Progress
from anju.core.scope import Scope
from anju.core.tasks import start_job
from anju.territory.models import Household

from . import events, selectors, services
from .exports import campaign_compounds
from .models import Campaign, Channel, Submission, Willingness

SHEET = "问卷"
ITEMS_SHEET = "改造内容"
COMPOUNDS_SHEET = "本次征集小区"
MAX_ROWS = 5000
SEPARATORS = re.compile(r"[,，、;；/\s]+")
LABEL_SUFFIXES = ("号楼", "单元", "栋", "幢", "室", "号")

IMPORT_JOB = "anju.engagement.importers.import_needs_job"

COUNT_LABELS = {
    "answers_created": gettext_lazy("新增答卷"),
    "answers_updated": gettext_lazy("更新答卷"),
}


def label_key(value: str | None) -> str:
    """A building, unit or room label as people write it, reduced for matching:
    "1号楼" / "1栋" / "1幢" → "1", "2单元" → "2", "101室" → "101"; full-width digits narrowed."""
    key = squeeze(str(value or ""))
    for suffix in LABEL_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key[: -len(suffix)]
            break
    return key


def find_household(households, *, building: str, unit: str, room: str) -> Household | None:
    """The one household at building/unit/room among `households` (a queryset or list with
    `unit__building` loaded). A blank unit matches when the room is unique in the building."""
    building_key, unit_key, room_key = label_key(building), label_key(unit), label_key(room)
    matches = [
        household
        for household in households
        if label_key(household.unit.building.number) == building_key
        and label_key(household.room) == room_key
        and (not unit_key or label_key(household.unit.number) == unit_key)
    ]
    return matches[0] if len(matches) == 1 else None


def item_lookup(items) -> dict[str, CatalogueItem]:
    """Every way a sheet may name an active item: its code (any case) and its name."""
    lookup = {}
    for item in items:
        lookup[squeeze(item.name)] = item
        lookup[squeeze(item.code)] = item
    return lookup


def parse_items(value: str, lookup: dict[str, CatalogueItem]) -> tuple[list[str], list[str]]:
    """(item codes in the order written, tokens that name no item)."""
    codes, unknown = [], []
    for token in SEPARATORS.split(narrow(value or "")):
        if not token:
            continue
        item = lookup.get(squeeze(token))
        if item is None:
            unknown.append(token)
        else:
            codes.append(item.code)
    return codes, unknown


QUESTIONNAIRE = SheetSpec(
    name=SHEET,
    required=True,
    help=gettext_lazy("每行一户的纸质问卷。"),
    columns=(
        Column(
            "小区编码",
            "compound",
            identifier(24),
            required=True,
            is_text=True,
            width=18,
            example="420102001001001",
            help=gettext_lazy("本次征集范围内、您辖区内的小区编码，文本格式。"),
        ),
        Column(
            "楼栋号",
            "building",
            text(20),
            required=True,
            width=8,
            example="1栋",
            help=gettext_lazy("与台账一致；“1”“1栋”“1号楼”视为同一栋。"),
        ),
        Column(
            "单元号",
            "unit",
            text(20),
            width=8,
            example="1单元",
            help=gettext_lazy("“1”与“1单元”相同；楼栋只有一个单元时可留空。"),
        ),
        Column(
            "房号",
            "room",
            text(20),
            required=True,
            width=8,
            example="101",
            help=gettext_lazy("与台账一致；“101”与“101室”相同。"),
        ),
        Column(
            "纸质表编号",
            "paper_reference",
            identifier(60),
            required=True,
            is_text=True,
            width=14,
            example="JA-2026-0001",
            help=gettext_lazy("纸质问卷上的编号，本文件和本次征集内不能重复。"),
        ),
        Column(
            "需求",
            "needs",
            text(500),
            width=28,
            example="B15,I13",
            help=gettext_lazy(
                "改造内容的编码或名称，用逗号、顿号或空格分隔，如“B15,I13”或"
                "“外墙修缮、加装电梯”。见“改造内容”工作表。留空表示没有需求。"
            ),
        ),
        Column(
            "急需",
            "urgent",
            text(500),
            width=16,
            example="I13",
            help=gettext_lazy("“需求”中最急需的几项，写法相同，须包含在“需求”中。"),
        ),
        Column(
            "出资意愿",
            "willingness",
            choice(Willingness),
            width=16,
            choices=tuple(choice_labels(Willingness)),
            example="愿意出一部分",
            help=gettext_lazy("不愿出资、愿意出一部分、愿意按要求分摊，或留空。"),
        ),
        Column(
            "其他意见",
            "comment",
            text(2000),
            width=40,
            example="",
            help=gettext_lazy("其他意见和建议，不超过2000字。"),
        ),
    ),
)


HEADERS = QUESTIONNAIRE.headers


@dataclass
class NeedsPlan:
    answers: list[services.CheckedAnswer] = field(default_factory=list)


class NeedsImporter(Importer):
    """Import the 问卷 sheet into one campaign; see the module docstring for the rules."""

    sheets = (QUESTIONNAIRE,)
    csv_sheet = SHEET
    audit_verb = "needs.imported"
    # Rows a sheet may reach before a cell is read: MAX_ROWS data rows plus title, header and
    # blank rows; a longer sheet is refused before calamine reads it (see Importer).
    max_sheet_rows = MAX_ROWS + 1_000

    def __init__(self, campaign: Campaign):
        self.campaign = campaign

    def authorise(self, params: ImportParams) -> None:
        if not params.scope.has_role(*services.ORGANISERS):
            raise PermissionDenied(_("只有市、区、街道和社区工作人员可以导入纸质问卷。"))

    def validate(
        self,
        tables: dict[str, SheetData],
        params: ImportParams,
        report: ImportReport,
        progress: Progress,
    ) -> NeedsPlan:
        plan = NeedsPlan()
        rows = sheet_rows(tables, SHEET, report)
        if not rows:
            return plan
        campaign = self.campaign
        if not campaign.is_open_on(today()):
            report.add(
                SHEET,
                None,
                _("征集时间为 %(start)s 至 %(end)s，今天不在征集期内，不能导入。")
                % {"start": campaign.starts_on, "end": campaign.ends_on},
            )
            return plan
        progress.report(_("核对系统中的数据"), 35)
        compounds = {c.code: c for c in campaign_compounds(params.scope, campaign).order_by()}
        named = {row.get("compound") for row in rows if row.get("compound") in compounds}
        households_by_compound: dict[str, list[Household]] = {code: [] for code in named}
        for household in Household.objects.filter(
            compound_id__in=[compounds[code].pk for code in named]
        ).select_related("unit__building", "compound"):
            households_by_compound[household.compound.code].append(household)
        answered = dict(
            Submission.objects.filter(
                campaign=campaign, compound_id__in=[compounds[code].pk for code in named]
            ).values_list("household_id", "channel")
        )
        used_references = dict(
            Submission.objects.filter(campaign=campaign)
            .exclude(paper_reference="")
            .values_list("paper_reference", "household_id")
        )
        catalogue = {item.code: item for item in CatalogueItem.objects.active()}
        lookup = item_lookup(catalogue.values())
        compound_ids = {c.pk for c in compounds.values()}

        seen_households: dict[int, int] = {}
        seen_references: dict[str, int] = {}
        for row in rows:
            household = self.household_of(row, compounds, households_by_compound, report)
            reference = row.get("paper_reference")
            if reference is not None:
                if reference in seen_references:
                    report.reject(
                        row,
                        "paper_reference",
                        _("纸质表编号“%(reference)s”与第%(row)d行重复。")
                        % {"reference": reference, "row": seen_references[reference]},
                    )
                else:
                    seen_references[reference] = row.number
                owner = used_references.get(reference)
                if owner is not None and (household is None or owner != household.pk):
                    report.reject(
                        row,
                        "paper_reference",
                        _("纸质表编号“%(reference)s”已用于本次征集的另一户。")
                        % {"reference": reference},
                    )
            if household is not None:
                if household.pk in seen_households:
                    report.reject(
                        row,
                        "room",
                        _("与第%(row)d行是同一户，每户只能有一行。")
                        % {"row": seen_households[household.pk]},
                    )
                else:
                    seen_households[household.pk] = row.number
                if answered.get(household.pk) == Channel.ONLINE:
                    report.reject(
                        row,
                        "room",
                        _("该户已在线提交答卷，纸质问卷不能覆盖居民本人的答卷。"),
                    )
            needs = self.needs_of(row, lookup, report)
            if household is None or needs is None or not row.ok:
                continue
            try:
                answer = services.check_needs(
                    actor=params.actor,
                    campaign=campaign,
                    household=household,
                    needs=needs,
                    willingness=row.get("willingness", ""),
                    comment=row.get("comment", ""),
                    channel=Channel.IMPORTED,
                    paper_reference=reference or "",
                    catalogue=catalogue,
                    campaign_compound_ids=compound_ids,
                )
            except DomainError as exc:
                key = next((k for k in exc.fields if k in COLUMN_KEYS), None)
                report.reject(row, key, exc.message)
                continue
            plan.answers.append(answer)
            report.count("answers_updated" if household.pk in answered else "answers_created")
        return plan

    def household_of(self, row: Row, compounds, households_by_compound, report) -> Household | None:
        code = row.get("compound")
        if code is None or row.get("building") is None or row.get("room") is None:
            return None  # already reported as missing
        if code not in compounds:
            report.reject(
                row,
                "compound",
                _("小区编码“%(code)s”不在本次征集范围内，或不在您的辖区内。") % {"code": code},
            )
            return None
        household = find_household(
            households_by_compound.get(code, []),
            building=row.get("building"),
            unit=row.get("unit", ""),
            room=row.get("room"),
        )
        if household is None:
            report.reject(
                row,
                "room",
                _(
                    "在小区“%(compound)s”的台账中找不到 %(building)s 楼栋 %(unit)s 单元 "
                    "%(room)s 室（楼栋有多个单元时须填写单元号）。"
                )
                % {
                    "compound": compounds[code].name,
                    "building": row.get("building"),
                    "unit": row.get("unit", "—"),
                    "room": row.get("room"),
                },
            )
        return household

    def needs_of(self, row: Row, lookup, report) -> list[services.NeedChoice] | None:
        codes, unknown = parse_items(row.get("needs", ""), lookup)
        urgent, unknown_urgent = parse_items(row.get("urgent", ""), lookup)
        failed = False
        if unknown:
            report.reject(row, "needs", unknown_items_message(unknown))
            failed = True
        if unknown_urgent:
            report.reject(row, "urgent", unknown_items_message(unknown_urgent))
            failed = True
        repeated = sorted({code for code in codes if codes.count(code) > 1})
        if repeated:
            report.reject(
                row,
                "needs",
                _("同一项需求只能写一次：%(codes)s。") % {"codes": "、".join(repeated)},
            )
            failed = True
        outside = [code for code in dict.fromkeys(urgent) if code not in codes]
        if outside and not (unknown or unknown_urgent):
            report.reject(
                row,
                "urgent",
                _("急需的“%(codes)s”不在“需求”中，请同时写入“需求”。")
                % {"codes": "、".join(outside)},
            )
            failed = True
        if failed:
            return None
        return [services.NeedChoice(code, code in urgent) for code in codes]

    def write(self, plan: NeedsPlan, params: ImportParams, report: ImportReport, progress) -> None:
        report.territory_path = self.campaign.path
        for name in COUNT_LABELS:
            report.counts.setdefault(name, 0)
        for answer in plan.answers:
            services.write_needs(actor=params.actor, answer=answer)

    def record(self, params: ImportParams, report: ImportReport) -> None:
        events.needs_imported(
            actor=params.actor,
            campaign=self.campaign,
            filename=params.filename,
            counts={**report.counts, "rows": report.rows},
        )


COLUMN_KEYS = {column.key for column in QUESTIONNAIRE.columns}


def unknown_items_message(tokens: list[str]) -> str:
    return _("未知的改造内容“%(items)s”，请填写“改造内容”工作表中的编码或名称。") % {
        "items": "、".join(tokens)
    }


def labelled_counts(counts: dict) -> list[tuple[str, int]]:
    return [(str(label), counts.get(name, 0)) for name, label in COUNT_LABELS.items()]


# --- the template ----------------------------------------------------------------------------


def instructions() -> list[str]:
    return [
        _("每行填写一户的纸质问卷，工作表“问卷”的第一行是列名，请勿修改。"),
        _(
            "小区编码、楼栋号、单元号、房号须与台账一致（“1栋”与“1”、“1单元”与“1”、"
            "“101室”与“101”视为相同）。楼栋只有一个单元时可以不填单元号。"
        ),
        _(
            "“需求”和“急需”填写改造内容的编码或名称，多项之间用逗号、顿号或空格分隔，"
            "如“B15,I13”或“外墙修缮、加装电梯”；“急需”须是“需求”中的几项。"
            "可选的改造内容见“改造内容”工作表。"
        ),
        _("纸质表编号必填，且在本文件和本次征集中不能重复；编号类的列须为文本格式。"),
        _(
            "已在线提交答卷的住户不能再导入纸质问卷；已登记过纸质问卷的住户，"
            "再次导入时以新文件为准。"
        ),
        _(
            "文件中只要有一处问题，整个文件都不会导入。系统会列出每个问题所在的行和列，"
            "并提供标注了问题单元格的文件供修改。只能在征集期内导入。"
        ),
    ]


def needs_template(scope: Scope, campaign: Campaign) -> bytes:
    """The blank 问卷 workbook of a campaign: 填写说明 (rules, columns with examples), 问卷
    (headers only, identifiers text-formatted, drop-down for 出资意愿), 改造内容 (codes and
    names) and 本次征集小区 (the campaign's compounds in the viewer's territory)."""
    items = list(CatalogueItem.objects.active().in_catalogue_order())
    compounds = list(campaign_compounds(scope, campaign))
    categories = dict(Category.choices)

    def build(workbook):
        formats = excel.Formats(workbook)
        guide = write_instructions(
            workbook,
            formats,
            title=_("纸质问卷导入模板 · 填写说明"),
            subtitle=campaign.title,
            paragraphs=instructions(),
            specs=(QUESTIONNAIRE,),
        )
        excel.write_table(
            workbook,
            SHEET,
            QUESTIONNAIRE.table_columns(),
            [],
            formats=formats,
            choice_rows=MAX_ROWS,
        )
        excel.write_table(
            workbook,
            ITEMS_SHEET,
            [
                excel.TableColumn("编码", 8, is_text=True),
                excel.TableColumn("类别", 10),
                excel.TableColumn("名称", 20),
                excel.TableColumn("说明", 40),
            ],
            (
                [item.code, str(categories.get(item.category, "")), item.name, item.description]
                for item in items
            ),
            formats=formats,
        )
        excel.write_table(
            workbook,
            COMPOUNDS_SHEET,
            [
                excel.TableColumn("小区编码", 18, is_text=True),
                excel.TableColumn("小区名称", 24),
                excel.TableColumn("社区", 16),
            ],
            ([c.code, c.name, c.community.name] for c in compounds),
            formats=formats,
        )
        guide.activate()

    return excel.workbook_bytes(build)


# --- the background job ----------------------------------------------------------------------


def start_needs_import(*, upload, user, scope: Scope, campaign: Campaign, dry_run=False):
    """Keep the upload in default storage and queue the import job for it."""
    arguments = {
        **stage_upload(upload, user, scope),
        "campaign_id": campaign.pk,
        "dry_run": dry_run,
    }
    label = _("导入纸质问卷：%(file)s") % {"file": arguments["filename"]}
    return start_job(
        job=IMPORT_JOB,
        label=label,
        arguments=arguments,
        actor=user,
        territory_path=campaign.path,
        max_attempts=2,
    )


def import_needs_job(
    progress,
    *,
    upload_path: str,
    filename: str,
    campaign_id: int,
    dry_run: bool = False,
    **uploaded_by,
) -> dict:
    """Import the uploaded sheets as the user who uploaded them, into the campaign as their
    scope sees it. On rejection the ImportRejected propagates (the task ends failed) carrying
    `result` with the problems and the annotated copy's name and address."""
    user, scope = uploader(**uploaded_by)
    params = ImportParams(
        actor=user, scope=scope, filename=filename, dry_run=dry_run, max_rows=MAX_ROWS
    )
    return import_upload(
        lambda: NeedsImporter(selectors.get_campaign(scope, campaign_id)),
        upload_path=upload_path,
        params=params,
        progress=progress,
        annotated_view="engagement:needs-import-annotated",
        labelled=labelled_counts,
        result={"filename": filename, "campaign_id": campaign_id},
    )

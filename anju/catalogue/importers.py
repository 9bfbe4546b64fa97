"""A price list from a spreadsheet (价格清单导入), through the one import core.

One sheet, 价格清单: 编码 (the catalogue item), 名称 (checked against the catalogue when given,
so a mistyped code is caught), 计量单位, 单价 (元, ≥ 0). The file replaces the draft's entries
whole, all or nothing: an unknown or retired code, a repeated code, a name that is not the
code's, a negative or missing price is named by row and column and nothing is written. A
published list is never imported into (a correction is version n+1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.core import excel
from anju.core.errors import Conflict, PermissionDenied
from anju.core.importing import (
    Column,
    Importer,
    ImportParams,
    ImportReport,
    SheetData,
    SheetSpec,
    decimal,
    identifier,
    sheet_rows,
    squeeze,
    text,
    write_instructions,
)

from . import events
from .models import CatalogueItem, PriceList, PriceListEntry, catalogue_order_key

SHEET = "价格清单"

PRICE_SHEET = SheetSpec(
    name=SHEET,
    required=True,
    columns=(
        Column(
            "编码",
            "code",
            identifier(20),
            required=True,
            is_text=True,
            example="B01",
            help=gettext_lazy("改造内容清单中的编码。"),
        ),
        Column(
            "名称",
            "name",
            text(60),
            example="供水设施改造",
            width=24,
            help=gettext_lazy("可不填；填写时须与该编码在改造内容清单中的名称一致，用于核对。"),
        ),
        Column(
            "计量单位",
            "unit",
            text(12),
            example="m",
            help=gettext_lazy("如 m、m²、户、台、项；填写单价的行必填。"),
        ),
        Column(
            "单价",
            "unit_price",
            decimal(2, min_value=0),
            example="320.00",
            help=gettext_lazy("单位：元，不能为负数，保留两位小数；留空的行不定价、不导入。"),
        ),
    ),
)


@dataclass
class PricePlan:
    entries: list[PriceListEntry] = field(default_factory=list)


class PriceListImporter(Importer):
    """One draft price list's entries from the 价格清单 sheet (see the module docstring)."""

    sheets = (PRICE_SHEET,)
    audit_verb = "catalogue.price_list_imported"
    max_sheet_rows = 5_000

    def __init__(self, price_list: PriceList):
        self.price_list = price_list

    def authorise(self, params: ImportParams) -> None:
        from .services import may_keep_price_lists

        if not may_keep_price_lists(params.scope):
            raise PermissionDenied(_("只有市改造办可以维护价格清单。"))
        if self.price_list.is_published:
            raise Conflict(
                _("价格清单已发布，不能再修改；如需更正，请新建下一版本。"),
                code="price_list_published",
            )

    def validate(
        self, tables: dict[str, SheetData], params: ImportParams, report: ImportReport, progress
    ) -> PricePlan:
        plan = PricePlan()
        rows = sheet_rows(tables, SHEET, report)
        if not rows:
            return plan
        items = {item.code: item for item in CatalogueItem.objects.all()}
        seen: dict[str, int] = {}
        for row in rows:
            code = row.get("code")
            if code is None:
                continue
            item = items.get(code)
            if item is None or not item.is_active:
                message = (
                    _("改造内容清单中没有编码“%(code)s”。")
                    if item is None
                    else _("“%(code)s”已停用，不能定价。")
                )
                report.reject(row, "code", message % {"code": code})
                continue
            if code in seen:
                report.reject(
                    row,
                    "code",
                    _("编码“%(code)s”与第%(row)d行重复。") % {"code": code, "row": seen[code]},
                )
                continue
            seen[code] = row.number
            name = row.get("name")
            if name and squeeze(name) != squeeze(item.name):
                report.reject(
                    row,
                    "name",
                    _("编码“%(code)s”的名称是“%(name)s”，与填写的不一致。")
                    % {"code": code, "name": item.name},
                )
                continue
            if not row.ok or "unit_price" in row.failed:
                continue
            if row.get("unit_price") is None:
                continue  # not priced in this list
            if not row.get("unit"):
                report.reject(row, "unit", _("填写了单价的行必须填写计量单位。"))
                continue
            plan.entries.append(
                PriceListEntry(item=item, unit=row.get("unit"), unit_price=row.get("unit_price"))
            )
        return plan

    def write(self, plan: PricePlan, params: ImportParams, report: ImportReport, progress) -> None:
        locked = PriceList.objects.select_for_update().get(pk=self.price_list.pk)
        if locked.is_published:
            raise Conflict(
                _("价格清单已发布，不能再修改；如需更正，请新建下一版本。"),
                code="price_list_published",
            )
        removed, _by_model = locked.entries.all().delete()
        for entry in plan.entries:
            entry.price_list = locked
        PriceListEntry.objects.bulk_create(plan.entries)
        report.counts = {"entries_written": len(plan.entries), "entries_removed": removed}

    def record(self, params: ImportParams, report: ImportReport) -> None:
        events.price_list_imported(
            actor=params.actor,
            price_list=self.price_list,
            filename=params.filename,
            counts=report.counts,
        )


def import_price_list(
    *, actor, scope, price_list: PriceList, source, filename: str
) -> ImportReport:
    """Every face's one call: a list is a few hundred rows, imported at once."""
    params = ImportParams(actor=actor, scope=scope, filename=filename, max_rows=5_000)
    return PriceListImporter(price_list).run(source, params)


def price_list_template(price_list: PriceList) -> bytes:
    """The 价格清单 workbook: 填写说明, then every active catalogue item with the list's current
    unit and price (blank where it has none), to fill in and upload again."""
    prices = {entry.item_id: entry for entry in price_list.entries.all()}
    items = sorted(CatalogueItem.objects.active().select_related("rule"), key=catalogue_order_key)
    rows = []
    for item in items:
        entry = prices.get(item.pk)
        unit = entry.unit if entry else getattr(getattr(item, "rule", None), "unit", "")
        rows.append((item.code, item.name, unit, entry.unit_price if entry else None))

    def build(workbook):
        formats = excel.Formats(workbook)
        guide = write_instructions(
            workbook,
            formats,
            title=_("%(year)d年价格清单（第%(version)d版）导入模板 · 填写说明")
            % {"year": price_list.year, "version": price_list.version},
            paragraphs=[
                _("每个改造内容一行：编码、计量单位和单价（元）。单价留空的行不定价、不导入。"),
                _(
                    "上传后，本版本已有的条目全部替换为文件中的内容；文件有任何问题时不导入任何数据。"
                ),
                _("已发布的价格清单不能修改；如需更正，请新建下一版本后再导入。"),
            ],
            specs=[PRICE_SHEET],
        )
        excel.write_table(workbook, SHEET, PRICE_SHEET.table_columns(), rows, formats=formats)
        guide.activate()

    return excel.workbook_bytes(build)

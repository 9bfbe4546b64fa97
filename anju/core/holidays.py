"""The holiday table as the city office keeps it: read a year, add, change or delete a day,
import a year from a spreadsheet, and notice a year nobody has entered yet.

The State Council publishes each year's schedule late in the year before; `chinese-calendar`
(which seeds the table, `calendar.seed_holidays`) stops at 2026. Every notice period and
deadline counted in working days reads this table, so a missing year silently counts only
weekends: the page and `anju check --database default` (run by every `anju migrate`) warn
about it. The table is national reference data, so edits belong to no territory and only
the city office makes them (`may_edit_holidays`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import events, excel
from .audit import CITY_OFFICE, snapshot
from .calendar import today
from .errors import DomainError, NotFound, PermissionDenied
from .importing import (
    Column,
    Importer,
    ImportParams,
    ImportReport,
    SheetData,
    SheetSpec,
    choice,
    day,
    sheet_rows,
    text,
    write_instructions,
)
from .models import Holiday
from .scope import Scope

FIELDS = ["date", "is_working_day", "name"]


def may_edit_holidays(scope: Scope) -> bool:
    """The holiday table is the city's reference data: the city office edits, staff read."""
    return scope.has_role(CITY_OFFICE)


def require_editor(scope: Scope) -> None:
    if not may_edit_holidays(scope):
        raise PermissionDenied(_("只有市改造办可以修改节假日。"))


# --- reads -----------------------------------------------------------------------------------


def holidays_of_year(year: int):
    return Holiday.objects.filter(date__year=year).order_by("date")


def get_holiday(pk) -> Holiday:
    holiday = Holiday.objects.filter(pk=pk).first()
    if holiday is None:
        raise NotFound()
    return holiday


def years_without_entries(on: dt.date | None = None) -> list[int]:
    """The current and next year, those of them with no entry at all."""
    year = (on or today()).year
    known = {
        first.year
        for first in Holiday.objects.filter(date__year__in=[year, year + 1]).dates("date", "year")
    }
    return [y for y in (year, year + 1) if y not in known]


def missing_years_message(years: list[int]) -> str:
    return _(
        "%(years)s年的节假日尚未录入：工作日只按周六、周日计算，公示期和办理时限会算错。"
        "请在国务院办公厅公布放假安排后录入或导入。"
    ) % {"years": "、".join(str(year) for year in years)}


# --- writes ----------------------------------------------------------------------------------


def save_holiday(*, actor, scope: Scope, holiday: Holiday | None, values: dict) -> Holiday:
    """Add (holiday None) or change one day of the table, audited."""
    require_editor(scope)
    with transaction.atomic(durable=True):
        if holiday is None:
            holiday = Holiday()
            before = {}
        else:
            holiday = Holiday.objects.select_for_update().filter(pk=holiday.pk).first()
            if holiday is None:
                raise NotFound()
            before = snapshot(holiday, FIELDS)
        for name in FIELDS:
            if name in values:
                setattr(holiday, name, values[name])
        full_clean(holiday)
        holiday.save()
        events.holiday_saved(
            actor=actor, holiday=holiday, before=before, after=snapshot(holiday, FIELDS)
        )
    return holiday


def delete_holiday(*, actor, scope: Scope, holiday: Holiday) -> None:
    """Remove a day from the table (it becomes an ordinary weekday or weekend), audited."""
    require_editor(scope)
    with transaction.atomic(durable=True):
        locked = Holiday.objects.select_for_update().filter(pk=holiday.pk).first()
        if locked is None:
            raise NotFound()
        events.holiday_deleted(actor=actor, holiday=locked, before=snapshot(locked, FIELDS))
        locked.delete()


def full_clean(holiday: Holiday) -> None:
    try:
        holiday.full_clean()
    except ValidationError as error:
        fields = error.message_dict if hasattr(error, "error_dict") else {}
        messages = [m for ms in fields.values() for m in ms] or error.messages
        raise DomainError("；".join(messages), code="invalid_holiday", fields=fields) from error


# --- importing a year ------------------------------------------------------------------------

SHEET = "节假日"
DAY_OFF, MAKE_UP = "放假", "调休上班"
KINDS = ((DAY_OFF, DAY_OFF), (MAKE_UP, MAKE_UP))


HOLIDAY_SHEET = SheetSpec(
    name=SHEET,
    required=True,
    columns=(
        Column(
            "日期",
            "date",
            day(),
            required=True,
            example="2027-02-06",
            help=gettext_lazy("放假或调休上班的日期；一天一行。"),
        ),
        Column(
            "类型",
            "kind",
            choice(KINDS),
            required=True,
            example=MAKE_UP,
            choices=(DAY_OFF, MAKE_UP),
            help=gettext_lazy("“放假”或“调休上班”（调休上班日应为周六或周日）。"),
        ),
        Column(
            "名称",
            "name",
            text(60),
            example="春节调休",
            width=20,
            help=gettext_lazy("节日名称，如“春节”。"),
        ),
    ),
)


@dataclass
class YearPlan:
    holidays: list[Holiday] = field(default_factory=list)


class HolidayImporter(Importer):
    """One year's schedule from the 节假日 sheet. The file replaces that year's entries
    whole (what is not in the file is removed), all or nothing."""

    sheets = (HOLIDAY_SHEET,)
    audit_verb = "holiday.imported"

    def __init__(self, year: int):
        self.year = year

    def authorise(self, params: ImportParams) -> None:
        require_editor(params.scope)

    def validate(
        self, tables: dict[str, SheetData], params: ImportParams, report: ImportReport, progress
    ) -> YearPlan:
        plan = YearPlan()
        rows = sheet_rows(tables, SHEET, report)
        if not rows:
            return plan
        seen: dict[dt.date, int] = {}
        for row in rows:
            date = row.get("date")
            if date is None:
                continue
            if date.year != self.year:
                report.reject(
                    row,
                    "date",
                    _("%(date)s 不在%(year)d年。") % {"date": date.isoformat(), "year": self.year},
                )
                continue
            if date in seen:
                report.reject(
                    row,
                    "date",
                    _("%(date)s 与第%(row)d行重复。")
                    % {"date": date.isoformat(), "row": seen[date]},
                )
                continue
            seen[date] = row.number
            if not row.ok:
                continue
            holiday = Holiday(
                date=date, is_working_day=row.get("kind") == MAKE_UP, name=row.get("name") or ""
            )
            try:
                holiday.clean()
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    key = "kind" if name == "is_working_day" else "date"
                    for message in messages:
                        report.reject(row, key, message)
                continue
            plan.holidays.append(holiday)
        return plan

    def write(self, plan: YearPlan, params: ImportParams, report: ImportReport, progress) -> None:
        removed, _by_model = Holiday.objects.filter(date__year=self.year).delete()
        Holiday.objects.bulk_create(plan.holidays)
        report.counts = {"holidays_created": len(plan.holidays), "holidays_removed": removed}

    def record(self, params: ImportParams, report: ImportReport) -> None:
        events.holidays_imported(
            actor=params.actor, year=self.year, filename=params.filename, counts=report.counts
        )


def import_year(*, actor, scope: Scope, year: int, source, filename: str) -> ImportReport:
    """The upload page's (and any other face's) one call: a year's file is a few dozen rows,
    so it is imported at once rather than as a background job."""
    params = ImportParams(actor=actor, scope=scope, filename=filename, max_rows=1000)
    return HolidayImporter(year).run(source, params)


def year_template(year: int) -> bytes:
    """The 节假日 workbook of a year: 填写说明, then the year's current entries, so the city
    office can download, correct and upload it again."""
    rows = [
        (holiday.date, MAKE_UP if holiday.is_working_day else DAY_OFF, holiday.name)
        for holiday in holidays_of_year(year)
    ]

    def build(workbook):
        formats = excel.Formats(workbook)
        guide = write_instructions(
            workbook,
            formats,
            title=_("%(year)d年节假日导入模板 · 填写说明") % {"year": year},
            paragraphs=[
                _("按国务院办公厅公布的放假安排，每个放假日和调休上班日填一行。"),
                _("上传后，该年已有的节假日记录全部替换为文件中的内容；文件有任何问题时不导入。"),
                _("未列出的日期按周一至周五上班、周六周日休息计算。"),
            ],
            specs=[HOLIDAY_SHEET],
        )
        excel.write_table(
            workbook, SHEET, HOLIDAY_SHEET.table_columns(), rows, formats=formats, choice_rows=200
        )
        guide.activate()

    return excel.workbook_bytes(build)

"""`anju conflicts-weekly [--out FILE.xlsx]`: the week's open dig-once conflicts by district.

Run from cron (or the scheduler of the intranet) every Monday: prints each district's open
conflicts by relation and, with --out, writes the list as .xlsx (a summary sheet and one row
per conflict) for the districts' task forces. Reads the whole city; no changes.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from anju.coordination import conflicts
from anju.coordination.models import ConflictStatus
from anju.core.excel import Formats, TableColumn, workbook_bytes, write_table
from anju.core.scope import Scope
from anju.territory.models import Node

LINE = _lazy(
    "%(district)s：待协调 %(total)s（改造后又要开挖 %(after)s，"
    "同期施工 %(overlap)s，先施工后改造 %(before)s）"
)


class Command(BaseCommand):
    help = _("每周待协调的开挖冲突清单（按区），可导出 .xlsx。")

    def add_arguments(self, parser):
        parser.add_argument("--out", help=_("导出 .xlsx 文件"))

    def handle(self, *args, out=None, **options):
        city = Node.objects.filter(parent__isnull=True).order_by("path").first()
        if city is None:
            raise CommandError(_("还没有辖区数据。"))
        scope = Scope(roles=frozenset({"city_office"}), node_paths=(city.path,), label="weekly")
        districts = conflicts.unresolved_by_district(scope=scope)
        for row in districts:
            self.stdout.write(LINE % row)
        if not districts:
            self.stdout.write(_("没有待协调的冲突。"))
        if out:
            rows = (
                conflicts.conflict_list(scope=scope)
                .filter(status=ConflictStatus.OPEN, is_current=True)
                .select_related("compound__community__parent__parent")
                .order_by("path", "detected_at")
            )
            Path(out).write_bytes(workbook_bytes(lambda book: write_sheets(book, districts, rows)))
            self.stdout.write(_("已写出 %(path)s") % {"path": out})


def summary_columns() -> list[TableColumn]:
    headers = (_("区"), _("待协调"), _("改造后又要开挖"), _("同期施工"), _("先施工后改造"))
    return [TableColumn(header, 14) for header in headers] + [TableColumn(_("最早发现"), 14)]


def summary_row(row: dict) -> list:
    return [row[key] for key in ("district", "total", "after", "overlap", "before")] + [
        row["oldest"].date()
    ]


def conflict_columns() -> list[TableColumn]:
    return [
        TableColumn(_("区"), 12),
        TableColumn(_("小区编码"), 18, is_text=True),
        TableColumn(_("小区"), 20),
        TableColumn(_("建设单位"), 24),
        TableColumn(_("工程类别"), 10),
        TableColumn(_("对方编号"), 16, is_text=True),
        TableColumn(_("关系"), 14),
        TableColumn(_("距离(米)"), 10),
        TableColumn(_("工程开工"), 12),
        TableColumn(_("工程完工"), 12),
        TableColumn(_("发现日期"), 12),
    ]


def conflict_row(conflict) -> list:
    work = conflict.work
    return [
        conflict.compound.community.parent.parent.name,
        conflict.compound.code,
        conflict.compound.name,
        work.organisation.name,
        work.get_kind_display(),
        work.external_id,
        conflict.get_relation_display(),
        round(conflict.distance_m, 1),
        work.starts_on,
        work.ends_on,
        conflict.detected_at.date(),
    ]


def write_sheets(book, districts, rows) -> None:
    formats = Formats(book)
    summary = (summary_row(row) for row in districts)
    write_table(book, _("汇总"), summary_columns(), summary, formats=formats)
    lines = (conflict_row(conflict) for conflict in rows)
    write_table(book, _("逐条"), conflict_columns(), lines, formats=formats)

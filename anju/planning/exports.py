"""The published scoring table as .xlsx, for the public notice (公示) and the districts.

One row per compound in the viewer's territory, in rank order: rank, code, name, district,
total, and each indicator's raw value and points, with the model version and the publication
date in a header sheet. Built in constant memory, so a national round streams."""

from __future__ import annotations

from django.utils.translation import gettext as _

from anju.core.excel import Formats, TableColumn, workbook_bytes, write_table
from anju.core.scope import Scope
from anju.engine.scoring import format_value

from .models import ScoringRound
from .selectors import round_entries


def round_table_xlsx(scoring_round: ScoringRound, scope: Scope, language: str = "zh") -> bytes:
    model = scoring_round.model.engine_model()
    columns = [
        TableColumn(_("排名"), 8),
        TableColumn(_("小区编码"), 18, is_text=True),
        TableColumn(_("小区"), 22),
        TableColumn(_("区"), 10),
        TableColumn(_("总分"), 10),
    ]
    for indicator in model.indicators:
        columns.append(TableColumn(indicator.name(language), 14))
        columns.append(TableColumn(_("%(name)s得分") % {"name": indicator.name(language)}, 10))

    def rows():
        for entry in round_entries(scoring_round, scope).order_by("rank", "compound_id"):
            row = [entry.rank, entry.compound.code, entry.compound.name, entry.district.name]
            row.append(round(entry.total, 2))
            for indicator, raw, points in zip(
                model.indicators, entry.raw, entry.contributions, strict=True
            ):
                row.append("" if raw is None else format_value(indicator, raw, language))
                row.append(round(points, 2))
            yield row

    def build(book):
        formats = Formats(book)
        about = book.add_worksheet(_("说明"))
        about.set_column(0, 0, 18)
        about.set_column(1, 1, 80)
        facts = (
            (_("评分轮次"), scoring_round.name),
            (_("评分模型"), f"{model.name(language)} v{model.version}"),
            (_("公布日期"), scoring_round.published_at.date().isoformat()
             if scoring_round.published_at else _("未公布（草稿）")),
            (_("候选小区"), str(scoring_round.candidate_count)),
            (_("说明"), model.note_en if language == "en" else model.note_zh),
        )  # fmt: skip
        for row, (label, value) in enumerate(facts):
            about.write_string(row, 0, str(label), formats.bold)
            about.write_string(row, 1, str(value), formats.wrap)
        write_table(book, _("评分表"), columns, rows(), formats=formats)

    return workbook_bytes(build, constant_memory=True)

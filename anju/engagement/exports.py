"""A campaign's figures as the viewer sees them, and their .xlsx export.

`campaign_figures(scope=…, campaign=…)` is what the detail page, the API summary and the
export share: the per-compound summaries of `selectors.campaign_summaries` for the campaign's
compounds inside the viewer's territory, the totals by channel, and roll-ups per community and
per district (households, answers of every channel — paper, door-to-door, forum, phone and
imported answers count exactly like online ones — response rate, channels, and the
"急难愁盼" ranking recomputed over the roll-up's households). Six queries whatever the number
of compounds: the compounds, the four of the summaries, and the districts' names.

`campaign_summary_xlsx` writes three sheets, 小区汇总 (one row per compound), 需求排序 (one row
per compound × item asked for, in ranking order) and 渠道 (answers by channel). Sheet names and
headers are a file format and stay Chinese in every interface language, as the registry's do.
The figures carry no personal data; the export is still audited (`campaign.summary_exported`),
as every bulk export is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation

from anju.core import excel
from anju.core.importing import FILE_LANGUAGE
from anju.core.scope import Scope
from anju.engine.consent import round_half_up
from anju.territory.models import Compound, Node

from . import events
from .models import Campaign, Channel, Willingness
from .selectors import CompoundSummary, NeedRank, campaign_summaries, channel_totals

TOP_NEEDS = 5


def campaign_compounds(scope: Scope, campaign: Campaign) -> QuerySet[Compound]:
    """The campaign's compounds that the viewer's territory covers (a community worker sees
    their own compounds of a district-wide campaign, not the others')."""
    return (
        campaign.compounds.filter(scope.path_q("path", "id"))
        .select_related("community")
        .order_by("path")
    )


def percent(value: Fraction, places: int = 1) -> Decimal:
    """A share as a percentage rounded half-up ("急难愁盼" shares and response rates)."""
    return round_half_up(value * 100, places)


@dataclass
class Rollup:
    """The compounds of one community or district added up."""

    node_code: str
    name: str
    summaries: list[CompoundSummary] = field(default_factory=list)

    @property
    def households(self) -> int:
        return sum(s.households for s in self.summaries)

    @property
    def responses(self) -> int:
        return sum(s.responses for s in self.summaries)

    @property
    def response_rate(self) -> Fraction:
        return Fraction(self.responses, self.households) if self.households else Fraction(0)

    @property
    def by_channel(self) -> dict[str, int]:
        return channel_totals(self.summaries)

    @property
    def needs(self) -> list[NeedRank]:
        """Items over the roll-up's households, ranked like a compound's: urgent first."""
        asked: dict[int, list] = {}
        for summary in self.summaries:
            for rank in summary.needs:
                entry = asked.setdefault(rank.item.pk, [rank.item, 0, 0])
                entry[1] += rank.households
                entry[2] += rank.urgent
        base = self.households or 1
        return sorted(
            (
                NeedRank(item=item, households=n, urgent=urgent, share=Fraction(n, base))
                for item, n, urgent in asked.values()
            ),
            key=lambda r: (-r.urgent, -r.households, r.item.code),
        )

    @property
    def top_needs(self) -> list[NeedRank]:
        return self.needs[:TOP_NEEDS]


@dataclass
class CampaignFigures:
    campaign: Campaign
    summaries: list[CompoundSummary]
    channels: dict[str, int]
    communities: list[Rollup]
    districts: list[Rollup]

    @property
    def households(self) -> int:
        return sum(s.households for s in self.summaries)

    @property
    def responses(self) -> int:
        return sum(s.responses for s in self.summaries)

    @property
    def response_rate(self) -> Fraction:
        return Fraction(self.responses, self.households) if self.households else Fraction(0)

    @property
    def compound_codes(self) -> list[str]:
        return [s.compound.code for s in self.summaries]


def district_code_of(compound: Compound) -> str:
    return compound.district_code


def campaign_figures(*, scope: Scope, campaign: Campaign) -> CampaignFigures:
    compounds = list(campaign_compounds(scope, campaign))
    summaries = campaign_summaries(campaign, compounds)
    communities: dict[int, Rollup] = {}
    districts: dict[str, Rollup] = {}
    for summary in summaries:
        community = summary.compound.community
        communities.setdefault(
            community.pk, Rollup(node_code=community.code, name=community.name)
        ).summaries.append(summary)
        code = district_code_of(summary.compound)
        districts.setdefault(code, Rollup(node_code=code, name=code)).summaries.append(summary)
    names = dict(Node.objects.filter(code__in=list(districts)).values_list("code", "name"))
    for code, rollup in districts.items():
        rollup.name = names.get(code, code)
    return CampaignFigures(
        campaign=campaign,
        summaries=summaries,
        channels=channel_totals(summaries),
        communities=list(communities.values()),
        districts=list(districts.values()),
    )


# --- the workbook ----------------------------------------------------------------------------

COMPOUND_SHEET = "小区汇总"
NEEDS_SHEET = "需求排序"
CHANNEL_SHEET = "渠道"


def file_labels(choices) -> list[tuple[str, str]]:
    with translation.override(FILE_LANGUAGE):
        return [(value, str(label)) for value, label in choices.choices]


def top_needs_text(ranks: list[NeedRank]) -> str:
    return "；".join(
        f"{rank.item.name} {percent(rank.share)}%（急需{rank.urgent}）" for rank in ranks
    )


def summary_workbook(figures: CampaignFigures) -> bytes:
    channels = file_labels(Channel)
    willingness = file_labels(Willingness)
    district_names = {rollup.node_code: rollup.name for rollup in figures.districts}

    def compound_rows():
        for s in figures.summaries:
            yield [
                district_names.get(district_code_of(s.compound), ""),
                s.compound.community.name,
                s.compound.code,
                s.compound.name,
                s.households,
                s.responses,
                percent(s.response_rate),
                *(s.by_channel.get(value, 0) for value, _label in channels),
                *(s.willingness.get(value, 0) for value, _label in willingness),
                top_needs_text(s.top_needs),
            ]

    def need_rows():
        for s in figures.summaries:
            for position, rank in enumerate(s.needs, start=1):
                yield [
                    s.compound.code,
                    s.compound.name,
                    position,
                    rank.item.code,
                    rank.item.name,
                    rank.households,
                    percent(rank.share),
                    rank.urgent,
                ]

    def channel_rows():
        total = figures.responses
        for value, label in channels:
            n = figures.channels.get(value, 0)
            yield [label, n, percent(Fraction(n, total)) if total else 0]

    def build(workbook):
        formats = excel.Formats(workbook)
        excel.write_table(
            workbook,
            COMPOUND_SHEET,
            [
                excel.TableColumn("区", 10),
                excel.TableColumn("社区", 14),
                excel.TableColumn("小区编码", 18, is_text=True),
                excel.TableColumn("小区名称", 20),
                excel.TableColumn("户数", 8),
                excel.TableColumn("答卷数", 8),
                excel.TableColumn("答卷率(%)", 10),
                *(excel.TableColumn(label, 10) for _value, label in channels),
                *(excel.TableColumn(label, 12) for _value, label in willingness),
                excel.TableColumn("急难愁盼前五项", 60),
            ],
            compound_rows(),
            formats=formats,
        )
        excel.write_table(
            workbook,
            NEEDS_SHEET,
            [
                excel.TableColumn("小区编码", 18, is_text=True),
                excel.TableColumn("小区名称", 20),
                excel.TableColumn("排序", 6),
                excel.TableColumn("改造内容编码", 10, is_text=True),
                excel.TableColumn("改造内容", 18),
                excel.TableColumn("提出户数", 10),
                excel.TableColumn("占比(%)", 10),
                excel.TableColumn("急需户数", 10),
            ],
            need_rows(),
            formats=formats,
        )
        excel.write_table(
            workbook,
            CHANNEL_SHEET,
            [
                excel.TableColumn("渠道", 14),
                excel.TableColumn("答卷数", 10),
                excel.TableColumn("占比(%)", 10),
            ],
            channel_rows(),
            formats=formats,
        )

    return excel.workbook_bytes(build)


def campaign_summary_xlsx(*, actor, scope: Scope, campaign: Campaign) -> bytes:
    """The campaign's figures in the viewer's territory as .xlsx, with an audit event."""
    figures = campaign_figures(scope=scope, campaign=campaign)
    data = summary_workbook(figures)
    with transaction.atomic():
        events.summary_exported(
            actor=actor, campaign=campaign, compound_codes=figures.compound_codes
        )
    return data

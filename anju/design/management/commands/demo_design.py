"""`anju demo-design`: a project to design in the demo city (run by `anju demo`).

The planning demo leaves its 2026 annual plan a draft on purpose (the visitor approves it), so
it has no Projects yet. Rather than approve it (which would freeze what the planning demo
shows), this makes sure of a small plan of its own: 江岸区's 先行项目 (a district five-year
plan of one year, 2027, marked 演示) whose only compound is the compound the demo issues
household codes for (黄浦里 in the generated city), approved through planning's own service,
so the project, its code and the compound's stage come from the real approval. A district
plan is not the city's, so the 2026 plan counts it neither as a carry-over nor as its own; its
year comes after 2026, so the works demo keeps reading the 2026 plan first.

Then: published price lists (version 1) for every year a demo plan uses (2026, for when the
visitor approves, and 2027), every active catalogue item priced at anju's own demo unit prices
(Wuhan-ish, not official); the demo design firm assigned to the project through design's
service (the district would do it; `anju demo`'s company `designer`). The compound's
management scheme is left empty, for the visitor to fill before the notice.

Idempotent and resumable (each step is its own transaction): a year that has a price list
keeps it, the plan is created and advanced only as far as it is missing, and the firm is
assigned only while the project has never had an assignment (a visitor who withdrew it keeps
that).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from anju.access.models import Organisation
from anju.catalogue import services as catalogue
from anju.catalogue.models import CatalogueItem, PriceList
from anju.core.actors import DEMO
from anju.core.audit import events_for
from anju.core.scope import Scope
from anju.planning import services as planning
from anju.planning.models import AnnualPlan, AnnualPlanStatus, FiveYearPlan, PlanSelection
from anju.territory.models import Compound, Household, Node

from ...models import ProjectAssignment
from ...services.projects import assign_project

CITY_CODE, JIANGAN = "4201", "420102"
PLAN_YEAR = 2027
PRICED_YEARS = (2026, PLAN_YEAR)
UNIT_PRICE = Decimal("400")  # 元/m², the planning demo's estimate per floor area
DESIGNER_FIRM = "江城规划设计研究院（演示）"  # anju demo's design firm

# anju's own demo unit prices (元 per the item rule's unit), of the order of Wuhan's 2020s
# renovation bids; they are not any government's price list.
DEMO_PRICES = {
    "B01": "380",  # 供水 米
    "B02": "650",  # 排水、雨污分流 米
    "B03": "420",  # 供电 米
    "B04": "120",  # 弱电 米
    "B05": "260",  # 道路 平方米
    "B06": "350",  # 燃气 米
    "B07": "500",  # 供热 米
    "B08": "80000",  # 消防 项
    "B09": "150000",  # 安防 项
    "B10": "30000",  # 垃圾分类 处
    "B11": "60000",  # 移动通信 处
    "B12": "600",  # 光纤入户 户
    "B13": "180",  # 架空线规整 米
    "B14": "180",  # 屋面修缮 平方米
    "B15": "220",  # 外墙修缮 平方米
    "B16": "25000",  # 楼道修缮 个（楼梯间）
    "I01": "150",  # 拆违 平方米
    "I02": "200",  # 绿化 平方米
    "I03": "3500",  # 照明 盏
    "I04": "120",  # 环境整治 平方米
    "I05": "15000",  # 适老化与无障碍 处
    "I06": "3000",  # 停车位 个
    "I07": "2500",  # 充电桩 个
    "I08": "20000",  # 智能快件箱 组
    "I09": "80000",  # 文化休闲 处
    "I10": "60000",  # 体育健身 处
    "I11": "2500",  # 物业用房 平方米
    "I12": "160",  # 建筑节能 平方米
    "I13": "550000",  # 加装电梯 部
    "I14": "300",  # 海绵城市 平方米
    "E01": "3000",  # 社区综合服务设施 平方米
    "E02": "300000",  # 卫生服务站 处
    "E03": "1500000",  # 幼儿园等 处
    "E04": "200000",  # 周界防护与智能感知 项
    "E05": "400000",  # 养老服务 处
    "E06": "300000",  # 托育 处
    "E07": "50000",  # 家政 处
    "E08": "80000",  # 便利店 处
    "E09": "30000",  # 邮政快递末端 处
}
OTHER_ITEM_PRICE = "10000"  # an item a city added to the catalogue: a round demo figure


def demo_prices() -> dict:
    """{item: (unit, unit price)} for every active catalogue item."""
    prices = {}
    for item in CatalogueItem.objects.active().select_related("rule"):
        rule = getattr(item, "rule", None)
        unit = rule.unit if rule is not None else "项"
        prices[item] = (unit, Decimal(DEMO_PRICES.get(item.code, OTHER_ITEM_PRICE)))
    return prices


class Command(BaseCommand):
    help = _("在演示城市准备一个待设计的项目和各年度的演示价格清单，可重复运行。")

    def handle(self, *args, **options):
        nodes = {n.code: n for n in Node.objects.filter(code__in=[CITY_CODE, JIANGAN])}
        if len(nodes) < 2 or not Compound.objects.exists():
            raise CommandError(_("演示城市尚未生成，请先运行 anju demo。"))
        scope = Scope(
            roles=frozenset({"city_office"}), node_paths=(nodes[CITY_CODE].path,), label="demo"
        )
        priced = [year for year in PRICED_YEARS if self.price_list(scope, year)]
        compound = self.compound(nodes[JIANGAN])
        annual = self.annual_plan(scope, nodes[JIANGAN], compound)
        project = annual.projects.order_by("code").first()
        firm = self.assign_designer(scope, project)
        self.stdout.write(
            _(
                "设计演示：项目 %(code)s %(name)s（%(stage)s）；设计单位：%(firm)s；"
                "新发布价格清单：%(years)s。"
            )
            % {
                "code": project.code,
                "name": project.name,
                "stage": project.get_stage_display(),
                "firm": firm or "—",
                "years": "、".join(str(y) for y in priced) or "—",
            }
        )

    # --- price lists -------------------------------------------------------------------------

    def price_list(self, scope: Scope, year: int) -> bool:
        """Publish version 1 of `year` at the demo prices, unless the year has a list (the
        city office's own, or the demo's from an earlier run, drafts included). A draft left
        by a run cut short is published. True when this run published one."""
        existing = PriceList.objects.filter(year=year).order_by("-version").first()
        if existing is not None and (existing.is_published or existing.created_by_id):
            return False
        if existing is None:
            existing = catalogue.create_price_list(
                actor=DEMO,
                scope=scope,
                year=year,
                note=_("安居演示单价（非官方价格）"),
                prices=demo_prices(),
            )
        catalogue.publish_price_list(actor=DEMO, scope=scope, price_list=existing)
        return True

    # --- the plan and its project ------------------------------------------------------------

    def compound(self, district: Node) -> Compound:
        """The compound `anju demo` issues household codes for: the first of the district in
        path order that has households (so a code holder reads its notice)."""
        compound = (
            Compound.objects.filter(path__startswith=district.path)
            .filter(Exists(Household.objects.filter(compound=OuterRef("pk"))))
            .order_by("path")
            .first()
        )
        if compound is None:
            raise CommandError(_("江岸区没有有住户的小区，请先运行 generate_city。"))
        return compound

    def annual_plan(self, scope: Scope, district: Node, compound: Compound) -> AnnualPlan:
        five = FiveYearPlan.objects.filter(node=district, start_year=PLAN_YEAR).first()
        if five is None:
            five = planning.create_five_year_plan(
                actor=DEMO,
                scope=scope,
                node=district,
                name=_("江岸区%(year)s年老旧小区改造先行项目（演示）") % {"year": PLAN_YEAR},
                start_year=PLAN_YEAR,
                end_year=PLAN_YEAR,
            )
        annual = five.annual_plans.filter(year=PLAN_YEAR).first()
        if annual is None:
            cost = (Decimal(compound.total_floor_area or 0) * UNIT_PRICE).quantize(Decimal(1))
            annual = planning.create_annual_plan(
                actor=DEMO, scope=scope, five_year_plan=five, year=PLAN_YEAR, total_budget=cost
            )
        if annual.status == AnnualPlanStatus.APPROVED:
            return annual
        if not annual.selections.exists():
            # The plan's selection, as the district chose it (one compound, no round to solve).
            cost = (Decimal(compound.total_floor_area or 0) * UNIT_PRICE).quantize(Decimal(1))
            PlanSelection.objects.create(
                annual_plan=annual,
                compound=compound,
                district=district,
                path=compound.path,
                score=0.0,
                cost=cost,
                forced=True,
            )
        order = (
            AnnualPlanStatus.SUBMITTED,
            AnnualPlanStatus.CONSOLIDATED,
            AnnualPlanStatus.APPROVED,
        )
        for status in order[order.index(planning.NEXT_STATUS[annual.status]) :]:
            annual = planning.advance_annual_plan(
                actor=DEMO, scope=scope, annual_plan=annual, to_status=status, confirmed=True
            )
        return annual

    def assign_designer(self, scope: Scope, project) -> str:
        """The demo design firm works on the project, as the district would assign it; once:
        a project that has (or had) an assignment is left as the visitor made it."""
        if ProjectAssignment.objects.filter(project=project).exists() or (
            events_for(project).filter(verb="project.unassigned").exists()
        ):
            return ", ".join(
                ProjectAssignment.objects.filter(project=project).values_list(
                    "organisation__name", flat=True
                )
            )
        firm = Organisation.objects.filter(name=DESIGNER_FIRM).first()
        if firm is None:
            return ""
        assign_project(
            actor=DEMO,
            scope=scope,
            project=project,
            organisation=firm,
            role=ProjectAssignment.Role.DESIGNER,
        )
        return firm.name

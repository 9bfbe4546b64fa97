"""`anju demo-plans`: the demo city's plans, ready to click through (run by `anju demo`).

Idempotent and resumable (each step is its own transaction, so a run cut short is completed
by the next): it makes sure of the city's 2026–2030 plan with targets per
district (the generated city's compounds, households, floor area and an investment at the
round's unit price), the 2026 annual plan with every district's reported cap (its share of the
budget plus 30%) and a minimum of one project, a published scoring round over every compound
with anju's default model, and two scenarios: the budget (solved and adopted as the draft plan)
and the budget cut by a fifth (queued for the task worker). Overriding and approving are left
to the visitor.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from anju.core.actors import DEMO
from anju.core.scope import Scope
from anju.core.tasks import run_tracked
from anju.planning import rounds, scenarios, services
from anju.planning.models import FiveYearPlan
from anju.territory.models import Compound, Node

CITY_CODE = "4201"
FIRST_YEAR, LAST_YEAR = 2026, 2030
ANNUAL_BUDGET = Decimal("3000000000")  # 30 亿元
UNIT_PRICE = Decimal("400")
CAP_SLACK = Decimal("1.3")


class Command(BaseCommand):
    help = _("Create the demo city's five-year and annual plans, a published round and scenarios.")

    def handle(self, *args, **options):
        city = Node.objects.get(code=CITY_CODE)
        scope = Scope(roles=frozenset({"city_office"}), node_paths=(city.path,), label="demo")
        five = FiveYearPlan.objects.filter(node=city, start_year=FIRST_YEAR).first()
        if five is None:
            five = services.create_five_year_plan(
                actor=DEMO,
                scope=scope,
                node=city,
                name=_("武汉市“十五五”城镇老旧小区改造规划（演示）"),
                start_year=FIRST_YEAR,
                end_year=LAST_YEAR,
            )
        annual = five.annual_plans.filter(year=FIRST_YEAR).first()
        if annual is None:
            annual = services.create_annual_plan(
                actor=DEMO,
                scope=scope,
                five_year_plan=five,
                year=FIRST_YEAR,
                total_budget=ANNUAL_BUDGET,
            )
        if annual.rounds.filter(status="published").exists():
            self.stdout.write(_("The demo plans exist already; nothing to do."))
            return
        stock = self.district_stock(city)
        total_area = sum((row["area"] for row in stock.values()), Decimal(0)) or Decimal(1)
        for district, row in stock.items():
            services.set_district_target(
                actor=DEMO,
                scope=scope,
                plan=five,
                district=district,
                values={
                    "compounds": row["compounds"],
                    "households": row["households"],
                    "floor_area": row["area"],
                    "investment": (row["area"] * UNIT_PRICE).quantize(Decimal(1)),
                },
            )
            share = row["area"] / total_area
            services.set_district_budget(
                actor=DEMO,
                scope=scope,
                annual_plan=annual,
                district=district,
                max_cost=(ANNUAL_BUDGET * share * CAP_SLACK).quantize(Decimal(1)),
                min_count=1,
            )
        scoring_round = annual.rounds.first() or rounds.create_round(
            actor=DEMO,
            scope=scope,
            annual_plan=annual,
            node=city,
            model=rounds.default_model_version(),
            name=_("%(year)s年度老旧小区改造竞争性生成（演示）") % {"year": FIRST_YEAR},
            cost_per_m2=UNIT_PRICE,
        )
        scoring_round = rounds.score_round(actor=DEMO, scope=scope, scoring_round=scoring_round)
        scoring_round = rounds.publish_round(
            actor=DEMO, scope=scope, scoring_round=scoring_round, confirmed=True
        )
        planned, reduced = (
            scenarios.create_scenario(
                actor=DEMO, scope=scope, scoring_round=scoring_round, name=name, total_budget=budget
            )
            for name, budget in (
                (_("按计划预算"), ANNUAL_BUDGET),
                (_("预算压减两成"), ANNUAL_BUDGET * Decimal("0.8")),
            )
        )
        # The first is solved here, through its tracked job (the worker later finds it taken),
        # and adopted, so that the draft plan has a selection to check for dig-once conflicts;
        # the second is left for the worker and the visitor.
        run_tracked.call(str(planned.job_id))
        planned.refresh_from_db()
        scenarios.adopt_scenario(actor=DEMO, scope=scope, scenario=planned)
        self.stdout.write(
            _(
                "Plans: %(plan)s; round of %(n)s compounds published; scenario “%(first)s” "
                "adopted as the draft plan, “%(second)s” queued for the worker."
            )
            % {
                "plan": five.name,
                "n": scoring_round.entries.count(),
                "first": planned.name,
                "second": reduced.name,
            }
        )

    def district_stock(self, city: Node) -> dict[Node, dict]:
        """Compounds, households and floor area of each district, from the registry."""
        districts = {
            node.path: node
            for node in Node.objects.filter(
                path__startswith=city.path, kind__in=("district", "zone")
            )
        }
        rows = (
            Compound.objects.filter(path__startswith=city.path)
            .values("community__parent__parent__path")
            .annotate(
                compounds=Count("id"),
                households=Sum("household_count"),
                area=Sum("total_floor_area"),
            )
            .order_by("community__parent__parent__path")
        )
        return {
            districts[row["community__parent__parent__path"]]: {
                "compounds": row["compounds"],
                "households": row["households"] or 0,
                "area": Decimal(row["area"] or 0).quantize(Decimal("0.01")),
            }
            for row in rows
            if row["community__parent__parent__path"] in districts
        }

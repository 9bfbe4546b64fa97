"""`anju demo-funding`: money in the demo city (run by `anju demo`).

Each chapter adds its own part in its section below; every part is idempotent and goes
through funding's services, so the demo's postings are audited like real ones.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Demo data for funding (funding plans, ledger, cost sharing, contracts)."

    def handle(self, *args, **options):
        self.ledger()
        self.sharing()
        self.contracts()

    # --- ledger ---
    def ledger(self) -> None:
        """The first two demo projects at approved or later with an approved plan and no
        funding plan yet get one from several purses: the government's part split central
        subsidy 40 % / city special fund 35 % / district 25 %, the utility's share charged to a
        utility company, the residents' share paid directly; confirmed. Then the central and
        city funds are committed (with their documents) and received, the utility commits by
        letter, and the central fund pays out within confirmed progress."""
        from decimal import Decimal

        from anju.access.models import Organisation
        from anju.catalogue.models import Payer
        from anju.core.actors import DEMO
        from anju.core.scope import Scope
        from anju.design.selectors import plans as design_plans
        from anju.funding.models import FundingPlan, FundingSource
        from anju.funding.selectors import projects as project_selectors
        from anju.funding.services import ledger as services
        from anju.planning.models import Project

        cent = Decimal("0.01")
        projects = (
            Project.objects.filter(stage__in=project_selectors.FUNDED_STAGES)
            .exclude(pk__in=FundingPlan.objects.values("project_id"))
            .select_related("district")
            .order_by("code")
        )
        done = 0
        for project in projects:
            if done >= 2:
                break
            version = project_selectors.approved_version(project)
            if version is None:
                continue
            by_payer = design_plans.plan_totals(version).by_payer
            utility = Organisation.objects.filter(kind=Organisation.Kind.UTILITY).first()
            if utility is None:
                utility, _ = Organisation.objects.get_or_create(
                    name="国网武汉供电公司", defaults={"kind": Organisation.Kind.UTILITY}
                )
            government = sum(
                (
                    amount
                    for payer, amount in by_payer.items()
                    if payer not in (Payer.UTILITY, Payer.RESIDENTS)
                ),
                Decimal("0.00"),
            )
            central_part = (government * Decimal("0.40")).quantize(cent)
            city_part = (government * Decimal("0.35")).quantize(cent)
            wanted = [
                ("central_subsidy", central_part, None),
                ("city_special", city_part, None),
                ("district_fiscal", government - central_part - city_part, None),
                ("utility", by_payer.get(Payer.UTILITY, Decimal("0.00")), utility),
                ("residents_direct", by_payer.get(Payer.RESIDENTS, Decimal("0.00")), None),
            ]
            lines = [
                services.PlanLineInput(
                    source=FundingSource.objects.get(code=code), amount=amount, payer=payer
                )
                for code, amount, payer in wanted
                if amount > 0
            ]
            if not lines:
                continue
            scope = Scope(roles=frozenset({"district_task_force"}), node_paths=(project.path,))
            services.save_funding_plan(actor=DEMO, scope=scope, project=project, lines=lines)
            plan = services.confirm_funding_plan(actor=DEMO, scope=scope, project=project)
            planned = {line.source.code: line for line in lines}
            documents = {
                "central_subsidy": "中央财政城镇老旧小区改造补助资金下达文件（演示）",
                "city_special": "武汉市城市更新专项资金下达文件（演示）",
                "utility": "国网武汉供电公司出资承诺函（演示）",
            }
            for code, document in documents.items():
                line = planned.get(code)
                if line is None:
                    continue
                kinds = ["commitment"] if code == "utility" else ["commitment", "receipt"]
                for kind in kinds:
                    services.post_entry(
                        actor=DEMO,
                        scope=scope,
                        project=project,
                        kind=kind,
                        source=line.source,
                        amount=line.amount,
                        payer=line.payer,
                        document=document if kind == "commitment" else "",
                    )
            paying = planned.get("central_subsidy")
            if paying is not None:
                _percent, justified = services.justified_disbursement(project, plan)
                paid = min(justified, paying.amount)
                if paid > 0:
                    services.post_entry(
                        actor=DEMO,
                        scope=scope,
                        project=project,
                        kind="disbursement",
                        source=paying.source,
                        amount=paid,
                        payee="施工单位（按确认进度拨付）",
                    )
            done += 1
            self.stdout.write(f"funding plan confirmed and posted: {project.code}")

    # --- sharing ---
    def sharing(self) -> None:
        """Cost shares for the first demo project at approved or later whose approved plan has
        an elevator (加装电梯) item: the elevator, in the compound's largest building of four
        storeys or more, by the seeded floor-coefficient table (floors 1–2 pay nothing), every
        other item by its payer's default; computed once (a project that already has shares
        is left alone)."""
        from anju.core.actors import DEMO
        from anju.core.scope import Scope
        from anju.design.models import PlanItem, PlanVersion
        from anju.funding.models import CoefficientTable, CostShare
        from anju.funding.selectors import projects as project_selectors
        from anju.funding.services import sharing as services

        elevators = (
            PlanItem.objects.filter(
                item__code="I13",
                version__status=PlanVersion.Status.APPROVED,
                version__project__stage__in=project_selectors.FUNDED_STAGES,
            )
            .select_related("version__project__district", "compound")
            .order_by("version__project__code", "pk")
        )
        table = CoefficientTable.objects.filter(
            code="elevator-guangzhou-example", is_active=True
        ).first()
        for elevator in elevators:
            project = elevator.version.project
            if project_selectors.approved_version(project) != elevator.version:
                continue
            if CostShare.objects.filter(project=project).exists():
                self.stdout.write(f"cost shares already computed: {project.code}")
                return
            scope = Scope(
                roles=frozenset({"district_task_force"}), node_paths=(project.district.path,)
            )
            try:
                services.compute_cost_shares(actor=DEMO, scope=scope, project=project)
                if table is not None:
                    services.set_cost_share(
                        actor=DEMO,
                        scope=scope,
                        plan_item=elevator,
                        terms=services.ShareTerms(
                            method="by_floor_coefficients",
                            table=table,
                            buildings=self.elevator_building(elevator.compound),
                        ),
                    )
            except services.DomainError as error:
                self.stdout.write(f"cost shares of {project.code} not computed: {error.message}")
                continue
            self.stdout.write(f"cost shares computed: {project.code}")
            return
        self.stdout.write("no approved demo project with an elevator item: no cost shares")

    @staticmethod
    def elevator_building(compound) -> list:
        """Where the demo's elevator goes: the building of four storeys or more (Wuhan's rule)
        with the most households; its households share the cost, no one else's."""
        from django.db.models import Count

        buildings = compound.buildings.annotate(households=Count("units__households"))
        tall = buildings.filter(floors__gte=4).order_by("-households", "number")
        return list(tall[:1] or buildings.order_by("-households", "number")[:1])

    # --- contracts ---
    def contracts(self) -> None:
        """A 投改管一体 parking building over 江岸区's first demo project (about 7,700 万 for
        401 spaces, paid back from parking fees, charging and advertising, DOMAIN.md) and a
        policy-bank loan financing it; each made once."""
        import datetime as dt
        from decimal import Decimal

        from django.utils.translation import gettext as _

        from anju.access.models import Organisation
        from anju.core.actors import DEMO
        from anju.core.scope import Scope
        from anju.planning.models import Project
        from anju.territory.models import Node

        from ...models import InvestmentContract, Loan
        from ...services import contracts as services

        district = Node.objects.filter(kind=Node.Kind.DISTRICT, name="江岸区").first()
        project = (
            Project.objects.filter(district=district).order_by("code").first() if district else None
        )
        if project is None:
            self.stdout.write(_("江岸区没有项目，跳过投资运营合同演示。"))
            return
        scope = Scope(roles=frozenset({"city_office"}), node_paths=(district.parent.path,))
        company, _created = Organisation.objects.get_or_create(
            credit_code="91420102MA4K00010N",
            defaults={
                "name": _("江城停车投资运营有限公司（演示）"),
                "kind": Organisation.Kind.PROPERTY,
            },
        )
        number = "JA-TGG-2024-001"
        if not InvestmentContract.objects.filter(number=number).exists():
            contract = services.record_contract(
                actor=DEMO,
                scope=scope,
                number=number,
                name=_("%(name)s立体停车楼投改管一体") % {"name": project.name},
                kind=InvestmentContract.Kind.IRM,
                enterprise=company,
                projects=[project],
                investment_committed=Decimal("77000000.00"),
                signed_on=dt.date(2024, 3, 1),
                term_years=25,
                obligations=_(
                    "投资建设401个车位的立体停车楼及充电设施，负责运营维护；"
                    "合作期满无偿移交区政府。"
                ),
            )
            for kind, amount, note in (
                ("parking", "2400000.00", _("401个车位停车费")),
                ("charging", "600000.00", _("60个充电桩服务费")),
                ("advertising", "300000.00", _("停车楼外墙及道闸广告")),
            ):
                services.add_right(
                    actor=DEMO,
                    scope=scope,
                    contract=contract,
                    kind=kind,
                    expected_yearly_revenue=Decimal(amount),
                    note=note,
                )
            for year, kind, amount in (
                (2024, "investment", "45000000.00"),
                (2025, "investment", "32000000.00"),
                (2025, "revenue", "1200000.00"),
            ):
                services.record_flow(
                    actor=DEMO,
                    scope=scope,
                    contract=contract,
                    year=year,
                    kind=kind,
                    amount=Decimal(amount),
                )
        lender = _("国家开发银行湖北省分行")
        if not Loan.objects.filter(lender=lender, district=district).exists():
            services.record_loan(
                actor=DEMO,
                scope=scope,
                lender=lender,
                kind=Loan.Kind.POLICY_BANK,
                borrower=company,
                district=district,
                amount=Decimal("50000000.00"),
                annual_rate=Decimal("3.100"),
                term_months=180,
                starts_on=dt.date(2024, 4, 1),
                projects=[project],
            )

"""`anju demo-construction`: a project under construction in the demo city (run by `anju demo`).

Each chapter adds its own part in its section below; every part is idempotent and goes
through construction's services, so the demo's records are audited like real ones.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Demo data for construction (parties, schedule, progress, inspections, acceptance)."

    def handle(self, *args, **options):
        self.parties_and_schedule()
        self.notices()
        self.inspections()
        self.acceptance()
        self.sampling()

    # --- parties and schedule ---
    # Two 江岸区 compounds (the second and third of `anju demo`'s three, whose management
    # schemes the stewardship demo writes; the first, 黄浦里, stays with the design demo) go
    # through a small plan of their own: a district plan of 2025 (a year no other demo plan
    # uses, so the project codes never meet the city's 2026 plan when the visitor approves it)
    # approved through planning's service; surveyed, designed, noticed (mid-2026, through
    # design's service on a controlled day), reviewed and approved through design's services;
    # then the parties named, the schedule given, building started on 2026-09-01 and the weekly
    # reports submitted by the builder and confirmed by the supervisor (construction's).
    DELIVERY_YEAR = 2025
    # A compound needs this many households for four residents' representatives at the joint
    # acceptance and a satisfaction sample worth drawing (the tests' small cities have fewer:
    # there the construction demo plans nothing and says so).
    DELIVERY_MIN_HOUSEHOLDS = 12
    NOTICE_OPENS = dt.date(2026, 6, 1)
    PERMITS_DONE = dt.date(2026, 7, 10)
    CONTRACTS_SIGNED = dt.date(2026, 8, 20)
    BUILDING_STARTS = dt.date(2026, 9, 1)
    # (item code, quantity) of a compound's plan without a floor area: roofs, facades, drainage.
    PLAN_ITEMS = (("B14", "1800"), ("B15", "5200"), ("B02", "460"))
    # The first project (by code) finishes in November and is accepted; the second runs into
    # 2027 and reports about 60 % of what its schedule planned (behind by more than the margin).
    SCHEDULES = (
        {
            "ends_on": dt.date(2027, 1, 31),
            "pace": Decimal("1"),
            "milestones": (
                ("主体完工", dt.date(2026, 10, 31), dt.date(2026, 10, 30)),
                ("竣工", dt.date(2026, 11, 20), dt.date(2026, 11, 20)),
            ),
            "tasks": (
                ("屋面防水", dt.date(2026, 9, 1), dt.date(2026, 10, 15), "30", 0),
                ("外墙修缮", dt.date(2026, 9, 15), dt.date(2026, 10, 31), "40", 0),
                ("雨污分流", dt.date(2026, 10, 1), dt.date(2026, 11, 20), "30", 1),
            ),
        },
        {
            "ends_on": dt.date(2027, 6, 30),
            "pace": Decimal("0.6"),
            "milestones": (
                ("屋面完工", dt.date(2026, 11, 30), None),
                ("外墙完工", dt.date(2027, 3, 31), None),
                ("竣工", dt.date(2027, 5, 31), None),
            ),
            "tasks": (
                ("屋面防水", dt.date(2026, 9, 1), dt.date(2026, 11, 30), "25", 0),
                ("外墙保温", dt.date(2026, 10, 1), dt.date(2027, 3, 31), "45", 1),
                ("雨污分流", dt.date(2026, 11, 1), dt.date(2027, 5, 31), "30", 2),
            ),
        },
    )
    # (role, demo organisation, responsible person, phone, share of the plan's total)
    PARTIES = (
        ("construction", "楚天城市更新建设有限公司（演示）", "周建军", "13807160101", "0.92"),
        ("supervision", "江城建设工程监理有限公司（演示）", "吴立新", "13807160202", "0.025"),
        ("design", "江城规划设计研究院（演示）", "郑雅琴", "13807160303", "0.03"),
    )

    def parties_and_schedule(self) -> None:
        """The demo's two projects under construction (see the constants above): each step is
        taken only while missing, so a second run changes nothing, and one cut short resumes."""
        from django.contrib.auth import get_user_model

        from anju.access.models import Organisation
        from anju.core.scope import Scope
        from anju.territory.models import Node, Stage

        nodes = {n.code: n for n in Node.objects.filter(code__in=("4201", "420102"))}
        if len(nodes) < 2:
            return
        users = {
            user.username: user
            for user in get_user_model().objects.filter(
                username__in=("designer", "reviewer", "builder", "supervisor")
            )
        }
        firms = {
            firm.name: firm
            for firm in Organisation.objects.filter(name__in=[p[1] for p in self.PARTIES])
        }
        if len(users) < 4 or len(firms) < len(self.PARTIES):
            self.stdout.write("construction demo: the demo accounts are missing; run anju demo")
            return
        city = Scope(roles=frozenset({"city_office"}), node_paths=(nodes["4201"].path,))
        projects = self.delivery_projects(city, nodes["420102"])
        for index, project in enumerate(projects):
            schedule = self.SCHEDULES[index]
            district = Scope(roles=frozenset({"district_task_force"}), node_paths=(project.path,))
            if project.stage == Stage.PLANNED:
                self.draw_plan(project, district, city, users["designer"], firms)
            if project.stage == Stage.DESIGNED:
                self.notice_plan(project, district)
            if project.stage == Stage.NOTICED:
                self.review_plan(project, district, users["reviewer"])
            if project.stage == Stage.APPROVED:
                self.name_parties_and_start(project, district, firms, schedule)
            if project.stage == Stage.BUILDING:
                self.report_progress(project, users["builder"], users["supervisor"], schedule)
            self.stdout.write(f"construction demo: {project.code} {project.name} ({project.stage})")

    def delivery_projects(self, city, district) -> list:
        """The projects of the demo's 2025 plan of 江岸区, made and approved if missing."""
        from anju.catalogue import services as catalogue
        from anju.catalogue.models import PriceList
        from anju.core.actors import DEMO
        from anju.design.management.commands.demo_design import UNIT_PRICE, demo_prices
        from anju.planning import services as planning
        from anju.planning.models import AnnualPlanStatus, FiveYearPlan, PlanSelection
        from anju.stewardship.management.commands.demo_stewardship import demo_compounds

        year = self.DELIVERY_YEAR
        five = FiveYearPlan.objects.filter(node=district, start_year=year, end_year=year).first()
        annual = five.annual_plans.filter(year=year).first() if five else None
        if annual is not None and annual.status == AnnualPlanStatus.APPROVED:
            return list(annual.projects.order_by("code"))
        compounds = [
            compound
            for compound in demo_compounds()[1:3]
            if compound.households.count() >= self.DELIVERY_MIN_HOUSEHOLDS
            and not compound.projects.exists()
        ]
        if annual is None and len(compounds) < 2:
            self.stdout.write(
                "construction demo: 江岸区 has no two further compounds with "
                f"{self.DELIVERY_MIN_HOUSEHOLDS} households or more; no project is built"
            )
            return []
        # the plan year's price list (the demo's unit prices), as the design demo publishes
        price_list = PriceList.objects.filter(year=year).order_by("-version").first()
        if price_list is None:
            price_list = catalogue.create_price_list(
                actor=DEMO,
                scope=city,
                year=year,
                note="安居演示单价（非官方价格）",
                prices=demo_prices(),
            )
        if not price_list.is_published and not price_list.created_by_id:
            catalogue.publish_price_list(actor=DEMO, scope=city, price_list=price_list)
        cost = {
            c.pk: (Decimal(c.total_floor_area or 0) * UNIT_PRICE).quantize(1) for c in compounds
        }
        if five is None:
            five = planning.create_five_year_plan(
                actor=DEMO,
                scope=city,
                node=district,
                name=f"江岸区{year}年老旧小区改造项目（演示）",
                start_year=year,
                end_year=year,
            )
        if annual is None:
            annual = planning.create_annual_plan(
                actor=DEMO,
                scope=city,
                five_year_plan=five,
                year=year,
                total_budget=sum(cost.values(), Decimal(0)),
            )
        if not annual.selections.exists():
            # the district's choice, as the design demo records it (one compound a project)
            for rank, compound in enumerate(compounds):
                PlanSelection.objects.create(
                    annual_plan=annual,
                    compound=compound,
                    district=district,
                    path=compound.path,
                    score=float(len(compounds) - rank),
                    cost=cost[compound.pk],
                    forced=True,
                )
        order = (
            AnnualPlanStatus.SUBMITTED,
            AnnualPlanStatus.CONSOLIDATED,
            AnnualPlanStatus.APPROVED,
        )
        for status in order[order.index(planning.NEXT_STATUS[annual.status]) :]:
            annual = planning.advance_annual_plan(
                actor=DEMO, scope=city, annual_plan=annual, to_status=status, confirmed=True
            )
        return list(annual.projects.order_by("code"))

    def draw_plan(self, project, district, city, designer, firms) -> None:
        """The designer (assigned through design's service) surveys the compound, draws version
        1 at the price list's unit prices and answers the residents' top needs it leaves out;
        the compound's scheme (the stewardship demo's, else a red-property one); designed."""
        from anju.access.scope import scope_for
        from anju.catalogue.models import CatalogueItem, ChecklistItem
        from anju.core.actors import DEMO
        from anju.core.audit import events_for
        from anju.design.models import ProjectAssignment, SurveyFinding
        from anju.design.selectors import plans as plan_selectors
        from anju.design.services import plans as plan_services
        from anju.design.services.projects import assign_project
        from anju.design.services.surveys import record_finding
        from anju.stewardship.models import ManagementModel, ManagementScheme
        from anju.stewardship.services.schemes import save_management_scheme

        firm = firms["江城规划设计研究院（演示）"]
        if not ProjectAssignment.objects.filter(project=project).exists() and not (
            events_for(project).filter(verb="project.unassigned").exists()
        ):
            assign_project(
                actor=DEMO,
                scope=city,
                project=project,
                organisation=firm,
                role=ProjectAssignment.Role.DESIGNER,
            )
        assigned = ProjectAssignment.objects.filter(project=project, organisation=firm).exists()
        actor, scope = (designer, scope_for(designer)) if assigned else (DEMO, district)
        compounds = list(project.compounds.order_by("code"))
        roof = ChecklistItem.objects.filter(remedy__code="B14").order_by("code").first()
        if roof is not None and not SurveyFinding.objects.filter(project=project).exists():
            for compound in compounds:
                record_finding(
                    actor=actor,
                    scope=scope,
                    project=project,
                    compound=compound,
                    checklist_item=roof,
                    severity="major",
                    building=compound.buildings.order_by("number").first(),
                    note="屋面防水层老化开裂，顶层多户雨季渗漏",
                )
        version = plan_selectors.latest_version(project)
        if version is None:
            version = plan_services.create_plan_version(actor=actor, scope=scope, project=project)
        if version.is_editable and not version.items.exists():
            for compound in compounds:
                for code, quantity in self.plan_quantities(compound):
                    plan_services.add_plan_item(
                        actor=actor,
                        scope=scope,
                        version=version,
                        compound=compound,
                        item=CatalogueItem.objects.get(code=code),
                        quantity=quantity,
                    )
        if version.is_editable:
            for answer in plan_selectors.need_answers(version):
                if not answer.is_answered:
                    plan_services.answer_need(
                        actor=actor,
                        scope=scope,
                        version=version,
                        compound=answer.compound,
                        item=answer.item,
                        reason="本批资金有限，列入下一批改造",
                    )
        for compound in compounds:
            if not ManagementScheme.objects.filter(compound=compound).exists():
                save_management_scheme(
                    actor=DEMO,
                    scope=district,
                    compound=compound,
                    management_model=ManagementModel.RED_PROPERTY,
                    yearly_upkeep_budget=Decimal("36000"),
                    note="红色物业托管，社区党委统筹",
                )
        plan_services.mark_plan_ready(actor=actor, scope=scope, project=project)
        project.refresh_from_db()

    def plan_quantities(self, compound) -> list[tuple[str, Decimal]]:
        """Roofs about a sixth of the floor area (six storeys), facades half of it, drainage
        six metres a household, and one elevator (加装电梯, paid by the residents who benefit:
        funding's demo shares it by floor); PLAN_ITEMS where the registry has no floor area."""
        area = Decimal(compound.total_floor_area or 0)
        if area <= 0:
            return [(code, Decimal(quantity)) for code, quantity in self.PLAN_ITEMS]
        households = max(compound.households.count(), 1)
        return [
            ("B14", (area / 6).quantize(Decimal(1))),
            ("B15", (area / 2).quantize(Decimal(1))),
            ("B02", Decimal(6 * households)),
            ("I13", Decimal(1)),
        ]

    def notice_plan(self, project, district) -> None:
        """The district notices the draft version: opened on NOTICE_OPENS through design's
        service (its `today` held on that day), so the default period has run out."""
        from unittest import mock

        from anju.core.actors import DEMO
        from anju.design.models import PlanVersion
        from anju.design.services.notices import publish_notice

        version = (
            PlanVersion.objects.filter(project=project, status=PlanVersion.Status.DRAFT)
            .order_by("-number")
            .first()
        )
        if version is None:
            return
        with mock.patch("anju.design.services.notices.today", return_value=self.NOTICE_OPENS):
            publish_notice(actor=DEMO, scope=district, version=version)
        project.refresh_from_db()

    def review_plan(self, project, district, reviewer) -> None:
        """The district submits the noticed plan to joint review and names the demo reviewer
        for every department it touches; the reviewer approves for each, and the district
        records the approval (立项) and, unless exempt, the planning permit."""
        from anju.access.scope import scope_for
        from anju.core.actors import DEMO
        from anju.design.models import (
            PermitStep,
            PlanVersion,
            Review,
            ReviewDecision,
            ReviewerAssignment,
        )
        from anju.design.services import reviews as review_services

        review = Review.objects.filter(version__project=project, status=Review.Status.OPEN).first()
        if review is None:
            version = PlanVersion.objects.filter(
                project=project, status=PlanVersion.Status.NOTICED
            ).first()
            if version is None:
                return
            review = review_services.submit_for_review(actor=DEMO, scope=district, version=version)
        numbers = {
            PermitStep.Procedure.APPROVAL: f"岸发改审批〔2026〕{project.pk % 90 + 10}号",
            PermitStep.Procedure.PLANNING_PERMIT: f"建字第4201022026{project.pk:05d}号",
        }
        for procedure, number in numbers.items():
            step = PermitStep.objects.filter(project=project, procedure=procedure).first()
            if step is not None and step.is_required and not step.is_done:
                review_services.record_permit_step(
                    actor=DEMO,
                    scope=district,
                    project=project,
                    procedure=procedure,
                    document_number=number,
                    done_on=self.PERMITS_DONE,
                )
        reviewer_scope = scope_for(reviewer)
        for decision in review.decisions.select_related("department").order_by("pk"):
            code = decision.department.code
            if decision.decision != ReviewDecision.Decision.PENDING:
                continue
            if not ReviewerAssignment.objects.filter(
                project=project, department=decision.department
            ).exists():
                review_services.assign_reviewer(
                    actor=DEMO,
                    scope=district,
                    project=project,
                    department_code=code,
                    reviewer_username=reviewer.username,
                )
            review_services.decide_review(
                actor=reviewer,
                scope=reviewer_scope,
                review=review,
                department_code=code,
                decision="approved",
                comments="同意，施工中注意保护既有管线",
            )
        project.refresh_from_db()

    def name_parties_and_start(self, project, district, firms, schedule) -> None:
        """The district names the builder, the supervisor and the designer (contracts signed
        CONTRACTS_SIGNED, work from BUILDING_STARTS), gives the milestones and weighted tasks,
        and starts building."""
        from anju.construction.models import Milestone, ProjectParty, Task
        from anju.construction.services import parties
        from anju.construction.services import schedule as schedule_services
        from anju.core.actors import DEMO

        named = set(ProjectParty.objects.filter(project=project).values_list("role", flat=True))
        cent = Decimal("0.01")
        for role, name, person, phone, share in self.PARTIES:
            if role in named:
                continue
            parties.name_party(
                actor=DEMO,
                scope=district,
                project=project,
                role=role,
                organisation=firms[name],
                responsible_person=person,
                responsible_phone=phone,
                contract_sum=(project.estimated_cost * Decimal(share)).quantize(cent),
                contract_signed_on=self.CONTRACTS_SIGNED,
                starts_on=self.BUILDING_STARTS,
                ends_on=schedule["ends_on"],
            )
        if not Task.objects.filter(project=project).exists():
            milestones = list(Milestone.objects.filter(project=project).order_by("position"))
            if not milestones:
                milestones = [
                    schedule_services.save_milestone(
                        actor=DEMO,
                        scope=district,
                        project=project,
                        name=name,
                        planned_on=planned,
                        reached_on=reached,
                        position=position,
                    )
                    for position, (name, planned, reached) in enumerate(schedule["milestones"])
                ]
            for position, (name, start, end, weight, milestone) in enumerate(schedule["tasks"]):
                schedule_services.save_task(
                    actor=DEMO,
                    scope=district,
                    project=project,
                    name=name,
                    planned_start=start,
                    planned_end=end,
                    weight=Decimal(weight),
                    milestone=milestones[milestone],
                    position=position,
                )
        schedule_services.start_construction(actor=DEMO, scope=district, project=project)
        project.refresh_from_db()

    def report_progress(self, project, builder, supervisor, schedule) -> None:
        """Once, for a project with no report yet: a report for every past week since the
        start (each task at `pace` × its planned percent on the week's Sunday), submitted by
        the builder and confirmed by the supervisor — except the slower project's last one,
        left for the visitor (as the supervisor) to confirm or dispute."""
        from anju.access.scope import scope_for
        from anju.construction.models import ProgressReport, Task
        from anju.construction.services import schedule as schedule_services
        from anju.core.calendar import today

        if ProgressReport.objects.filter(project=project).exists():
            return
        tasks = list(Task.objects.filter(project=project).order_by("position"))
        weeks = []
        sunday = schedule_services.week_ending_of(self.BUILDING_STARTS)
        while sunday <= today():
            weeks.append(sunday)
            sunday += dt.timedelta(days=7)
        builder_scope, supervisor_scope = scope_for(builder), scope_for(supervisor)
        for number, sunday in enumerate(weeks, start=1):
            percents = {}
            for task in tasks:
                days = (task.planned_end - task.planned_start).days + 1
                elapsed = min(max((sunday - task.planned_start).days + 1, 0), days)
                percent = (Decimal(100 * elapsed) / days * schedule["pace"]).quantize(Decimal(1))
                if percent > 0:
                    percents[task] = min(percent, Decimal(100))
            if not percents:
                continue
            report = schedule_services.submit_progress(
                actor=builder,
                scope=builder_scope,
                project=project,
                percents=percents,
                note=f"第 {number} 周：按计划组织施工，安全文明施工措施到位。",
                week_ending=sunday,
            )
            last = number == len(weeks)
            if not (last and schedule["pace"] < 1):
                schedule_services.confirm_progress(
                    actor=supervisor, scope=supervisor_scope, report=report
                )

    # --- notices ---
    def notices(self) -> None:
        """Each approved or building demo project with its construction and supervision units
        named and no notice yet gets its construction notice, the scope of works from the
        approved plan, published as its district (the board PDF and the public page follow)."""
        from anju.construction.models import ConstructionNotice, ProjectParty
        from anju.construction.selectors import notices as selectors
        from anju.construction.services import notices as services
        from anju.core.actors import DEMO
        from anju.core.scope import Scope
        from anju.planning.models import Project
        from anju.territory.models import Stage

        projects = (
            Project.objects.filter(stage__in=(Stage.APPROVED, Stage.BUILDING))
            .filter(parties__role="construction")
            .filter(pk__in=ProjectParty.objects.filter(role="supervision").values("project_id"))
            .exclude(pk__in=ConstructionNotice.objects.values("project_id"))
            .select_related("district")
            .order_by("code")
            .distinct()
        )
        for project in projects:
            scope = Scope(roles=frozenset({"district_task_force"}), node_paths=(project.path,))
            services.publish_notice(
                actor=DEMO,
                scope=scope,
                project=project,
                scope_summary=selectors.default_scope_summary(project) or "老旧小区综合改造",
                working_hours="每日 8:00–12:00、14:00–18:00，夜间及午休时段不施工",
                complaint_phone="027-12345",
                safety_note="施工区域设有围挡，请绕行；高空作业时请勿在楼下停留。",
            )
            self.stdout.write(f"construction notice published: {project.code}")

    # --- inspections ---
    def inspections(self) -> None:
        """Each building demo project with no inspection yet is inspected by its district ten
        days ago: a scaffolding check whose failed item becomes a major order against the
        construction unit (left open, so the duty escalates it to the district: the overdue
        list has a row), and a hot-work check whose critical order the construction unit
        answered with a photo and the district closed (so acceptance is not blocked)."""
        import datetime as dt
        import io

        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.utils import timezone
        from PIL import Image

        from anju.construction.models import Inspection, ProjectParty, WorkType
        from anju.construction.services import inspections as services
        from anju.core.actors import DEMO
        from anju.core.calendar import today
        from anju.core.scope import Scope
        from anju.planning.models import Project
        from anju.territory.models import Stage

        def photo(colour):
            buffer = io.BytesIO()
            Image.new("RGB", (64, 48), colour).save(buffer, format="JPEG")
            return SimpleUploadedFile("demo.jpg", buffer.getvalue(), content_type="image/jpeg")

        def results(work_type, failed):
            return {
                item.code: "fail" if item.code == failed else "pass"
                for item in work_type.items.filter(is_active=True)
            }

        projects = (
            Project.objects.filter(stage=Stage.BUILDING)
            .exclude(pk__in=Inspection.objects.values("project_id"))
            .select_related("district")
            .order_by("code")
        )
        for project in projects:
            builder = ProjectParty.objects.filter(project=project, role="construction").first()
            start = services.project_start(project)
            if builder is None or (start and start > today()):
                continue
            day = max(start or today(), today() - dt.timedelta(days=10))
            district = Scope(roles=frozenset({"district_task_force"}), node_paths=(project.path,))
            for code, failed, severity, text in (
                ("scaffolding", "scaffolding-03", "major", "3 号楼北侧作业层脚手板未满铺"),
                ("hot_work", "hot_work-02", "critical", "屋面焊接未配灭火器，周边堆放保温材料"),
            ):
                work_type = WorkType.objects.get(code=code)
                inspection = services.record_inspection(
                    actor=DEMO,
                    scope=district,
                    project=project,
                    work_type=work_type,
                    kind="safety",
                    inspected_on=day,
                    results=results(work_type, failed),
                    findings=[
                        services.FindingDraft(
                            severity=severity,
                            description=text,
                            responsible_party=builder,
                            item=work_type.items.get(code=failed),
                            photos=[photo((160, 60, 40))],
                        )
                    ],
                )
                if severity == "critical":
                    finding = inspection.findings.get()
                    party = Scope(
                        roles=frozenset({"construction_unit"}),
                        organisation_id=builder.organisation_id,
                    )
                    services.answer_finding(
                        actor=DEMO,
                        scope=party,
                        finding=finding,
                        note="已配置灭火器两具，清走可燃物，设专人监护",
                        photos=[photo((60, 140, 60))],
                    )
                    services.close_finding(
                        actor=DEMO, scope=district, finding=finding, note="复查合格"
                    )
            self.stdout.write(f"inspections recorded: {project.code}")
        counts = services.escalate_overdue_findings(timezone.now())
        self.stdout.write(f"overdue rectification orders escalated: {counts}")

    # --- acceptance ---
    def acceptance(self) -> None:
        """Each building demo project with an approved plan and no acceptance yet gets a
        joint acceptance: its parties, the office and four residents' representatives, every
        checklist recorded from the paper forms. When there are several such projects, the
        first (by code) is passed, which moves it to accepted (the sampling demo then draws
        its sample); the others stay undecided for the visitor to decide."""
        import datetime as dt

        from anju.construction.models import AcceptanceSession
        from anju.construction.selectors import acceptance as selectors
        from anju.construction.services import acceptance as services
        from anju.core.actors import DEMO
        from anju.core.calendar import today
        from anju.core.scope import Scope
        from anju.planning.models import Project
        from anju.territory.models import Stage

        names = ("张秀英", "李建华", "王桂芳", "刘德明", "陈志强", "杨丽娟")
        projects = [
            project
            for project in Project.objects.filter(stage=Stage.BUILDING)
            .exclude(pk__in=AcceptanceSession.objects.values("project_id"))
            .select_related("district")
            .order_by("code")
            if selectors.checklist(project)
        ]
        for index, project in enumerate(projects):
            scope = Scope(roles=frozenset({"district_task_force"}), node_paths=(project.path,))
            session = services.open_session(
                actor=DEMO,
                scope=scope,
                project=project,
                scheduled_on=today() - dt.timedelta(days=1),
                place="小区议事厅",
            )
            households = (
                selectors.resident_candidates(session).order_by("unit__building__number", "pk")
            )[:4]
            services.invite_participants(
                actor=DEMO,
                scope=scope,
                session=session,
                invitations=[
                    services.Invitation(
                        kind="resident",
                        household=household,
                        name=household.owner_name or names[number % len(names)],
                    )
                    for number, household in enumerate(households)
                ],
            )
            answers = [
                services.CheckAnswer(code=line.code, result="pass")
                for line in selectors.checklist(project)
            ]
            for participant in session.participants.all():
                services.record_checklist(
                    actor=DEMO,
                    scope=scope,
                    participant=participant,
                    answers=answers,
                    opinion="agree",
                    channel="paper",
                )
            decided = len(projects) > 1 and index == 0
            if decided and not selectors.decision_blockers(session, "passed"):
                session = services.decide_outcome(
                    actor=DEMO, scope=scope, session=session, outcome="passed"
                )
                self.stdout.write(
                    f"joint acceptance passed for {project.code}: {session.certificate_number}"
                )
            else:
                self.stdout.write(f"joint acceptance held for {project.code}, not yet decided")

    # --- sampling ---
    def sampling(self) -> None:
        """Every accepted demo project without a satisfaction sample gets one, drawn by the
        city office at the settings' 95% / ±5%; about two in five sampled households have
        answered by phone (scores taken from their rank key, so re-running changes nothing).
        The survey stays open for the visitor to answer on the portal and to close."""
        from django.db.models import Q

        from anju.construction.models import SampledHousehold, SatisfactionSurvey
        from anju.construction.services import sampling as sampling_services
        from anju.core.actors import DEMO
        from anju.core.scope import Scope
        from anju.planning.models import Project
        from anju.territory.models import Node, Stage

        city = Node.objects.filter(kind=Node.Kind.CITY).order_by("code").first()
        if city is None:
            return
        scope = Scope(roles=frozenset({"city_office"}), node_paths=(city.path,))
        projects = Project.objects.filter(stage=Stage.ACCEPTED).filter(
            ~Q(pk__in=SatisfactionSurvey.objects.values("project_id"))
        )
        for project in projects.order_by("code"):
            survey = sampling_services.draw_sample(actor=DEMO, scope=scope, project=project)
            for sampled in SampledHousehold.objects.filter(survey=survey).order_by("rank_key"):
                digit = int(sampled.rank_key[:2], 16)
                if digit % 5 >= 2:
                    continue
                sampling_services.record_answer(
                    actor=DEMO,
                    scope=scope,
                    survey=survey,
                    sampled=sampled,
                    channel="phone",
                    overall=3 + digit % 3,
                    quality=3 + digit // 3 % 3,
                    conduct=2 + digit // 9 % 4,
                )
            self.stdout.write(
                f"satisfaction sample drawn for {project.code}: {survey.sample_size} of "
                f"{survey.population} households, seed {survey.seed}"
            )

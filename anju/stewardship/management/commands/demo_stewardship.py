"""`anju demo-stewardship`: long-term management in the demo city (run by `anju demo`).

Each chapter adds its own part in its section below; every part is idempotent (a second
`anju demo` changes nothing) and goes through stewardship's services, so the demo's records
are audited like real ones.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand

# --- schemes and governance: the demo's compounds and the district acting for them ---
CITY_CODE, JIANGAN = "4201", "420102"
DEMO_PROPERTY_COMPANY = "江岸红色物业服务有限公司（演示）"  # anju demo's company `property`


def demo_compounds() -> list:
    """`anju demo`'s three 江岸区 compounds (the first with households in path order is 黄浦里,
    whose household codes are printed)."""
    from django.db.models import Exists, OuterRef

    from anju.territory.models import Compound, Household

    return list(
        Compound.objects.filter(path__startswith=f"{CITY_CODE}/{JIANGAN}/")
        .filter(Exists(Household.objects.filter(compound=OuterRef("pk"))))
        .select_related("community")
        .order_by("path")[:3]
    )


def demo_keeper_scope():
    from anju.core.scope import Scope

    return Scope(
        roles=frozenset({"district_task_force"}),
        node_paths=(f"{CITY_CODE}/{JIANGAN}/",),
        label="demo",
    )


# --- end of schemes and governance helpers ---


class Command(BaseCommand):
    help = "Demo data for long-term management (schemes, coverage, meetings, problem reports)."

    def handle(self, *args, **options):
        self.schemes()
        self.coverage()
        self.governance()
        self.reports()

    # --- schemes ---
    def schemes(self) -> None:
        """Schemes with budget lines for 江岸区's second and third demo compounds (the first,
        黄浦里, keeps its scheme empty for the visitor to fill before the notice): a red
        property custody by the demo property company budgeted for this year and next, and a
        bundled package that started mid-year, budgeted for this year only (so the district
        view lists it as missing next year's line). A compound that has a scheme keeps it."""
        from decimal import Decimal

        from anju.access.models import Organisation
        from anju.core.actors import DEMO
        from anju.core.calendar import today

        from ...models import ManagementModel, ManagementScheme, UpkeepSource
        from ...services import schemes as scheme_services

        compounds = demo_compounds()
        if len(compounds) < 3:
            return
        company = Organisation.objects.filter(name=DEMO_PROPERTY_COMPANY).first()
        year = today().year
        plans = (
            (
                compounds[1],
                {
                    "management_model": ManagementModel.RED_PROPERTY,
                    "yearly_upkeep_budget": Decimal("48000"),
                    "property_company": company,
                    "upkeep_sources": [UpkeepSource.PROPERTY_FEES, UpkeepSource.DISTRICT_BUDGET],
                    "starts_on": dt.date(year, 1, 1),
                    "note": "红色物业托管，社区党委统筹",
                },
                ((year, "48000"), (year + 1, "48000")),
            ),
            (
                compounds[2],
                {
                    "management_model": ManagementModel.BUNDLED,
                    "yearly_upkeep_budget": Decimal("36000"),
                    "property_company": company,
                    "bundle_name": f"{compounds[2].community.name}片区",
                    "upkeep_sources": [UpkeepSource.PROPERTY_FEES, UpkeepSource.PUBLIC_INCOME],
                    "starts_on": dt.date(year, 7, 1),
                    "note": "与周边小区打包委托",
                },
                ((year, "18000"),),
            ),
        )
        scope = demo_keeper_scope()
        for compound, values, lines in plans:
            scheme = ManagementScheme.objects.filter(compound=compound).first()
            if scheme is None:
                if values["property_company"] is None:
                    values.pop("property_company")
                    values.pop("starts_on")
                scheme = scheme_services.save_management_scheme(
                    actor=DEMO, scope=scope, compound=compound, **values
                )
            budgeted = set(scheme.budget_lines.values_list("year", flat=True))
            for line_year, amount in lines:
                if line_year not in budgeted:
                    scheme_services.add_budget_line(
                        actor=DEMO,
                        scope=scope,
                        scheme=scheme,
                        year=line_year,
                        amount=Decimal(amount),
                        reference=f"江岸区{line_year}年度财政预算·老旧小区长效管理",
                    )

    # --- coverage ---
    def coverage(self) -> None:
        """Coverage figures worth reading on 江岸区's pages: the demo property company's
        compounds under red-property contracts (this year to three years on), and among the
        district's first 40 compounds (path order) every fourth under a professional company,
        every fifth street-managed; owners' committees in every second one (the fifth one's
        term is over), party organisations in every third (own and joint branches taking
        turns); and at
        黄浦里 (the first demo compound) two party members registered with service hours.
        Each part is written once: a compound with a contract or a governance profile, and a
        compound with party members, is left as it is."""
        import datetime as dt
        from decimal import Decimal

        from django.db.models import Exists, OuterRef

        from anju.access.models import CompoundAssignment, Organisation
        from anju.core.actors import DEMO
        from anju.core.calendar import today
        from anju.core.scope import Scope
        from anju.stewardship.models import GovernanceProfile, PartyMember, PropertyContract
        from anju.stewardship.services import coverage as coverage_services
        from anju.territory.models import Compound, Household

        jiangan = "4201/420102/"  # anju demo's district, its company `property` below
        scope = Scope(roles=frozenset({"district_task_force"}), node_paths=(jiangan,), label="demo")
        day = today()
        start = dt.date(day.year, 1, 1)
        until = dt.date(day.year + 3, 12, 31)
        demo_company = Organisation.objects.filter(name="江岸红色物业服务有限公司（演示）").first()
        contracted = set(PropertyContract.objects.values_list("compound_id", flat=True))

        def contract(compound, company, kind):
            if compound.pk in contracted:
                return
            coverage_services.record_property_contract(
                actor=DEMO,
                scope=scope,
                compound=compound,
                company=company,
                service_kind=kind,
                starts_on=start,
                ends_on=until,
                monthly_fee_per_m2=Decimal("0.60") if kind == "red_property" else Decimal("1.20"),
                note="演示合同",
            )
            contracted.add(compound.pk)

        if demo_company is not None:
            served = Compound.objects.filter(
                pk__in=CompoundAssignment.objects.filter(organisation=demo_company).values(
                    "compound_id"
                )
            ).order_by("path")
            for compound in served:
                contract(compound, demo_company, "red_property")

        compounds = list(
            Compound.objects.filter(path__startswith=jiangan)
            .select_related("community")
            .order_by("path")[:40]
        )
        if not compounds:
            return
        professional, _created = Organisation.objects.get_or_create(
            name="江城物业服务有限公司（演示）", defaults={"kind": Organisation.Kind.PROPERTY}
        )
        profiled = set(GovernanceProfile.objects.values_list("compound_id", flat=True))
        for index, compound in enumerate(compounds):
            if index % 4 == 3:
                contract(compound, professional, "professional")
            elif index % 5 == 4 and compound.pk not in contracted:
                if compound.management_status != "street_managed":
                    coverage_services.set_management_status(
                        actor=DEMO, scope=scope, compound=compound, status="street_managed"
                    )
            if compound.pk in profiled or (index % 2 and index % 3):
                continue
            party = "branch" if index % 3 == 0 else "none"
            if index % 3 == 0 and index % 2:
                party = "joint"
            elected = index % 2 == 0
            term_over = index == 4
            coverage_services.save_governance_profile(
                actor=DEMO,
                scope=scope,
                compound=compound,
                residents_committee=f"{compound.community.name}居民委员会",
                owners_committee_elected_on=dt.date(day.year - (6 if term_over else 1), 3, 1)
                if elected
                else None,
                owners_committee_term_ends_on=dt.date(day.year - (1 if term_over else -4), 2, 28)
                if elected
                else None,
                party_organisation=party,
                party_branch_name=""
                if party == "none"
                else (
                    f"{compound.name}党支部"
                    if party == "branch"
                    else f"{compound.community.name}联合党支部"
                ),
                party_branch_secretary="" if party == "none" else "张书记",
            )
            if elected and not term_over:
                for name, position in (("刘主任", "chair"), ("陈委员", "member")):
                    coverage_services.add_committee_member(
                        actor=DEMO, scope=scope, compound=compound, name=name, position=position
                    )

        first = list(
            Compound.objects.filter(path__startswith=jiangan)
            .filter(Exists(Household.objects.filter(compound=OuterRef("pk"))))
            .order_by("path")[:1]
        )  # the first demo compound (anju demo prints its household codes)
        if first and not PartyMember.objects.filter(compound=first[0]).exists():
            for name, phone, home, hours in (
                ("周志明", "13907150001", "江岸区城管局机关党支部", ("2.0", "3.5")),
                ("吴静", "13907150002", "武汉市第六医院党委", ("1.5",)),
            ):
                member = coverage_services.register_party_member(
                    actor=DEMO,
                    scope=scope,
                    compound=first[0],
                    name=name,
                    phone=phone,
                    home_organisation=home,
                    registered_on=day - dt.timedelta(days=90),
                )
                for offset, amount in enumerate(hours):
                    coverage_services.record_service(
                        actor=DEMO,
                        scope=scope,
                        member=member,
                        served_on=day - dt.timedelta(days=7 * (offset + 1)),
                        hours=Decimal(amount),
                        activity="楼道清理和垃圾分类宣传" if offset == 0 else "独居老人走访",
                    )

    # --- governance ---
    def governance(self) -> None:
        """A joint governance meeting at 江岸区's second demo compound three weeks ago, with
        three follow-up tasks: one done, one overdue (it shows on the hub and the district's
        overdue list), one still due. Recorded once (found again by its subject)."""
        from datetime import timedelta

        from anju.core.actors import DEMO
        from anju.core.calendar import today

        from ...models import Body, GovernanceMeeting
        from ...services import governance as governance_services

        compounds = demo_compounds()
        if len(compounds) < 2:
            return
        compound = compounds[1]
        subject = "楼道堆物与停车秩序联合整治"
        if GovernanceMeeting.objects.filter(compound=compound, subject=subject).exists():
            return
        day = today()
        scope = demo_keeper_scope()
        meeting = governance_services.record_meeting(
            actor=DEMO,
            scope=scope,
            compound=compound,
            held_on=day - timedelta(days=21),
            subject=subject,
            bodies=[Body.RESIDENTS_COMMITTEE, Body.PROPERTY_COMPANY, Body.PARTY_BRANCH],
            attendees="社区居委会 王主任\n江岸红色物业 李经理\n小区党支部 张书记",
            decisions="一、两周内清理楼道堆物；二、划定非机动车停放区；三、月底前公示整治结果。",
            tasks=[
                {
                    "title": "清理各楼栋楼道堆物",
                    "owner": "江岸红色物业",
                    "owner_body": Body.PROPERTY_COMPANY,
                    "due_on": day - timedelta(days=14),
                },
                {
                    "title": "划定非机动车停放区",
                    "owner": "社区居委会",
                    "owner_body": Body.RESIDENTS_COMMITTEE,
                    "due_on": day - timedelta(days=3),
                },
                {
                    "title": "公示整治结果",
                    "owner": "小区党支部",
                    "owner_body": Body.PARTY_BRANCH,
                    "due_on": day + timedelta(days=10),
                },
            ],
        )
        first = meeting.tasks.order_by("due_on").first()
        governance_services.complete_follow_up_task(
            actor=DEMO,
            scope=scope,
            task=first,
            done_on=day - timedelta(days=15),
            note="共清理堆物 3 车",
        )

    # --- reports ---
    def reports(self) -> None:
        """Problem reports at 黄浦里 (the first demo compound) in every state, filed and
        handled through the services by its households, the demo property company or
        community: boxes in a stairwell confirmed with five stars, a broken lamp (a point on
        the map) being repaired, cars on the fire lane just reported, a resolved hygiene
        report its reporter reopened, and a hotline caller's safety hazard the community
        accepted. A compound that already has reports is left as it is."""
        from django.contrib.auth import get_user_model
        from django.db.models import Exists, OuterRef

        from anju.access.scope import scope_for, scope_for_household
        from anju.stewardship import rules
        from anju.stewardship.models import Channel, ProblemReport, ReportCategory, Status
        from anju.stewardship.services import reports as report_services
        from anju.territory.models import Compound, Household

        # 黄浦里: anju demo's first 江岸区 compound with households (its codes are printed)
        compound = (
            Compound.objects.filter(path__startswith="4201/420102/")
            .filter(Exists(Household.objects.filter(compound=OuterRef("pk"))))
            .order_by("path")
            .first()
        )
        if compound is None or ProblemReport.objects.filter(compound=compound).exists():
            return
        households = list(compound.households.order_by("pk")[:4])
        buildings = list(compound.buildings.order_by("pk")[:2])
        staff = {
            user.username: user
            for user in get_user_model().objects.filter(
                username__in=["property", "jiangan-community", "jiangan-street", "jiangan-officer"]
            )
        }
        if len(households) < 4 or not buildings or "jiangan-community" not in staff:
            return
        categories = {c.code: c for c in ReportCategory.objects.all()}

        def file(household, code, description, **place):
            return report_services.file_report(
                actor=None,
                scope=scope_for_household(household),
                compound=compound,
                category=categories[code],
                description=description,
                channel=Channel.PORTAL,
                **place,
            )

        def handler_of(report):
            for name in ("property", "jiangan-community", "jiangan-street", "jiangan-officer"):
                user = staff.get(name)
                if user is not None and rules.is_handler_of(scope_for(user), report):
                    return user
            return None

        def handle(report, *steps):
            user = handler_of(report)
            if user is None:
                return report
            for to_status, note in steps:
                report = report_services.advance_report(
                    actor=user, scope=scope_for(user), report=report, to_status=to_status, note=note
                )
            return report

        def by_household(report, household, to_status, **kwargs):
            return report_services.advance_report(
                actor=None,
                scope=scope_for_household(household),
                report=report,
                to_status=to_status,
                **kwargs,
            )

        point = {}
        if compound.longitude and compound.latitude:
            point = {"longitude": compound.longitude + 0.0002, "latitude": compound.latitude}
        handling = (
            (Status.ACCEPTED, "已受理，安排人员查看"),
            (Status.IN_PROGRESS, "已到现场"),
        )
        boxes = file(
            households[0],
            "clutter",
            "楼道里堆满纸箱和旧家具，晚上看不清容易绊倒。",
            building=buildings[0],
        )
        boxes = handle(boxes, *handling, (Status.RESOLVED, "杂物已清运，楼道已打扫干净。"))
        by_household(boxes, households[0], Status.CONFIRMED, rating=5, rating_comment="很及时")

        lamp = file(households[1], "damaged_facility", "小区中间的路灯不亮了，晚上很黑。", **point)
        handle(lamp, *handling)

        file(households[2], "parking", "消防通道上停了好几辆车，消防车进不来。")

        hygiene = file(households[3], "hygiene", "垃圾桶满了两天没人清。", building=buildings[-1])
        hygiene = handle(hygiene, *handling, (Status.RESOLVED, "垃圾已清运。"))
        by_household(hygiene, households[1], Status.REOPENED, note="今天又满了，希望每天清运。")

        community = staff["jiangan-community"]
        hazard = report_services.file_report(
            actor=community,
            scope=scope_for(community),
            compound=compound,
            category=categories["safety_hazard"],
            description="居民来电：2 栋外墙有瓷砖松动，担心掉落砸人。",
            channel=Channel.HOTLINE,
            caller_name="王先生",
            caller_phone="13900001111",
            building=buildings[-1],
        )
        handle(hazard, (Status.ACCEPTED, "已拉警戒线，联系维修"))

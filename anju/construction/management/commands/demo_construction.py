"""`anju demo-construction`: a project under construction in the demo city (run by `anju demo`).

Each chapter adds its own part in its section below; every part is idempotent and goes
through construction's services, so the demo's records are audited like real ones.
"""

from __future__ import annotations

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
    def parties_and_schedule(self) -> None:
        pass

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

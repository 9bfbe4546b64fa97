"""Builders for the inspection and rectification tests: a project under construction with its
parties named (rows made directly, so these tests do not depend on the delivery chapter), an
inspection with one failed item and its rectification order, and (for the scope coverage
outside construction) the same in any district."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from anju.access.models import CompoundAssignment, Organisation, Role
from anju.core.calendar import today
from anju.core.scope import Scope
from anju.planning.models import Project
from anju.territory.models import Stage

from ..models import Finding, ProjectParty, WorkType
from ..services import inspections as services
from .conftest import credit_code

INSPECTION_STARTS_DAYS_AGO = 90


def jpeg(name="site.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), (90, 120, 150)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def name_parties(project: Project, **firms: Organisation) -> dict[str, ProjectParty]:
    """Name the given firms (construction=, supervision=, design=) as the project's parties,
    give them the project's compounds and put the project under construction; the contracts
    started INSPECTION_STARTS_DAYS_AGO days ago."""
    starts = today() - dt.timedelta(days=INSPECTION_STARTS_DAYS_AGO)
    parties = {}
    for role, firm in firms.items():
        parties[role] = ProjectParty.objects.create(
            project=project,
            role=role,
            organisation=firm,
            responsible_person="张工",
            responsible_phone="13800000000",
            contract_sum=Decimal("800000"),
            contract_signed_on=starts - dt.timedelta(days=10),
            starts_on=starts,
            ends_on=starts + dt.timedelta(days=300),
        )
        for compound in project.compounds.all():
            CompoundAssignment.objects.get_or_create(organisation=firm, compound=compound)
    project.stage = Stage.BUILDING
    project.save(update_fields=["stage"])
    return parties


def results_for(work_type: WorkType, failed=()) -> dict[str, str]:
    """Every active item passed, except the codes in `failed`."""
    return {
        item.code: "fail" if item.code in failed else "pass"
        for item in work_type.items.filter(is_active=True)
    }


def inspect(
    actor,
    scope: Scope,
    project: Project,
    party: ProjectParty,
    *,
    severity="major",
    work_type="scaffolding",
    failed="scaffolding-03",
    inspected_on=None,
    deadline_days=None,
    photos=(),
):
    """An inspection of the work type with one failed item and its order against `party`."""
    kind = WorkType.objects.get(code=work_type)
    item = kind.items.get(code=failed)
    return services.record_inspection(
        actor=actor,
        scope=scope,
        project=project,
        work_type=kind,
        kind="safety",
        inspected_on=inspected_on or today() - dt.timedelta(days=1),
        results=results_for(kind, failed=[failed]),
        findings=[
            services.FindingDraft(
                severity=severity,
                description="作业层脚手板未满铺",
                responsible_party=party,
                item=item,
                deadline_days=deadline_days,
                photos=photos,
            )
        ],
    )


# --- for the scope coverage ------------------------------------------------------------------


def finding_in(district, compound) -> Finding:
    """A project under construction in the district (made once) with one order against its
    construction unit, issued by the district's task force; the order has a photo."""
    from anju.conftest import make_user
    from anju.planning.models import AnnualPlan, AnnualPlanStatus, FiveYearPlan

    annual = AnnualPlan.objects.filter(year=2027, status=AnnualPlanStatus.APPROVED).first()
    if annual is None:
        five = FiveYearPlan.objects.filter(start_year__lte=2027, end_year__gte=2027).first()
        five = five or FiveYearPlan.objects.create(
            name="十五五", start_year=2026, end_year=2030, node=district.parent
        )
        annual = AnnualPlan.objects.filter(
            five_year_plan=five, year=2027
        ).first() or AnnualPlan.objects.create(
            five_year_plan=five, year=2027, status=AnnualPlanStatus.APPROVED
        )
    project, created = Project.objects.get_or_create(
        code=f"2027-{district.code}-C01",
        defaults={
            "annual_plan": annual,
            "name": compound.name + "（施工）",
            "district": district,
            "estimated_cost": Decimal("1000000"),
        },
    )
    if not created:
        return Finding.objects.filter(project=project).first()
    project.compounds.add(compound)
    builder = Organisation.objects.create(
        name=f"{district.name}建工（检查）",
        kind=Organisation.Kind.CONSTRUCTION,
        credit_code=credit_code(f"91420100MA4K{district.code[-4:]}9"),
    )
    parties = name_parties(project, construction=builder)
    officer = make_user(f"inspector-{district.code}", Role.DISTRICT_TASK_FORCE, node=district)
    scope = Scope(
        roles=frozenset({"district_task_force"}), node_paths=(district.path,), user_id=officer.pk
    )
    inspection = inspect(officer, scope, project, parties["construction"], photos=[jpeg()])
    return inspection.findings.get()


def answered_finding_in(district, compound) -> Finding:
    """`finding_in`'s order, answered with one evidence photo by the construction unit's staff
    (made once)."""
    from anju.access.scope import scope_for
    from anju.conftest import make_user

    finding = finding_in(district, compound)
    if finding.status == Finding.Status.OPEN:
        firm = finding.responsible_party.organisation
        staff = make_user(f"builder-{district.code}", Role.CONSTRUCTION_UNIT, organisation=firm)
        services.answer_finding(
            actor=staff, scope=scope_for(staff), finding=finding, note="已整改", photos=[jpeg()]
        )
        finding.refresh_from_db()
    return finding


def escalated_findings_in_both_districts(city) -> tuple[Finding, Finding]:
    """An order in each district, escalated to the district (督办)."""
    made = tuple(
        finding_in(district, compound)
        for district, compound in (
            (city.jiangan, city.jiangan_compound),
            (city.wuchang, city.wuchang_compound),
        )
    )
    Finding.objects.filter(pk__in=[f.pk for f in made]).update(escalation=1)
    return made

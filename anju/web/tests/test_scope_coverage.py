"""Every URL and API operation is covered by the territory rules.

A 江岸区 officer gets 404 on 武昌区's records, through page, form, API and export, exactly
like a missing record; lists and exports never show them. A new URL that is not classified
below fails `test_every_url_is_classified`, so nobody can add a page that skips the scope tests.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from anju.core.models import AuditEvent, TaskProgress
from anju.territory.models import Compound

pytestmark = pytest.mark.django_db


def jiangan_and_wuchang_compound(city):
    return {"code": city.jiangan_compound.code}, {"code": city.wuchang_compound.code}


def jiangan_and_wuchang_district(city):
    return {"code": city.jiangan.code}, {"code": city.wuchang.code}


def jiangan_and_wuchang_household(city):
    return (
        {"pk": city.jiangan_compound.households.first().pk},
        {"pk": city.wuchang_compound.households.first().pk},
    )


def jiangan_and_wuchang_task(city):
    def task(node):
        return TaskProgress.objects.create(task_name="x", label="导入", territory_path=node.path)

    return {"pk": task(city.jiangan).pk}, {"pk": task(city.wuchang).pk}


def engagement_scope(node):
    from anju.core.scope import Scope

    return Scope(roles=frozenset({"district_task_force"}), node_paths=(node.path,))


def organiser():
    """The staff member who opens the builders' campaigns and votes (they keep who did)."""
    user, _ = get_user_model().objects.get_or_create(username="engagement-organiser")
    return user


def campaign_in(node, compound):
    from datetime import timedelta

    from anju.core.calendar import today
    from anju.engagement import services

    return services.open_campaign(
        actor=organiser(),
        scope=engagement_scope(node),
        node=node,
        title=f"{node.name}改造需求征集",
        compounds=[compound],
        starts_on=today() - timedelta(days=1),
        ends_on=today() + timedelta(days=14),
    )


def vote_in(node, compound, *, tallied=False):
    from datetime import timedelta

    from django.utils import timezone

    from anju.engagement import services

    now = timezone.now()
    opens_at = now - timedelta(days=2) if tallied else now - timedelta(hours=1)
    vote = services.open_vote(
        actor=organiser(),
        scope=engagement_scope(node),
        compound=compound,
        title=f"{node.name}改造意愿表决",
        matter=7,
        opens_at=opens_at,
        closes_at=now - timedelta(days=1) if tallied else now + timedelta(days=14),
    )
    if tallied:
        services.tally_vote(actor=organiser(), vote=vote)
    return vote


def jiangan_and_wuchang_conflict(city):
    from anju.coordination.tests.factories import conflicts_in_both_districts

    jiangan, wuchang = conflicts_in_both_districts(city)
    return {"pk": jiangan.pk}, {"pk": wuchang.pk}


def jiangan_and_wuchang_campaign(city):
    return (
        {"pk": campaign_in(city.jiangan, city.jiangan_compound).pk},
        {"pk": campaign_in(city.wuchang, city.wuchang_compound).pk},
    )


def jiangan_and_wuchang_submission(city):
    from anju.engagement import services

    kwargs = []
    for node, compound in (
        (city.jiangan, city.jiangan_compound),
        (city.wuchang, city.wuchang_compound),
    ):
        campaign = campaign_in(node, compound)
        household = compound.households.first()
        services.submit_needs(
            actor=None, campaign=campaign, household=household, needs=[services.NeedChoice("B15")]
        )
        kwargs.append({"pk": campaign.pk, "household_id": household.pk})
    return tuple(kwargs)


def jiangan_and_wuchang_vote(city):
    return (
        {"pk": vote_in(city.jiangan, city.jiangan_compound).pk},
        {"pk": vote_in(city.wuchang, city.wuchang_compound).pk},
    )


def jiangan_and_wuchang_tallied_vote(city):
    return (
        {"pk": vote_in(city.jiangan, city.jiangan_compound, tallied=True).pk},
        {"pk": vote_in(city.wuchang, city.wuchang_compound, tallied=True).pk},
    )


def jiangan_and_wuchang_vote_household(city):
    return tuple(
        {"pk": vote_in(node, compound).pk, "household_id": compound.households.first().pk}
        for node, compound in (
            (city.jiangan, city.jiangan_compound),
            (city.wuchang, city.wuchang_compound),
        )
    )


def jiangan_and_wuchang_package(city):
    """A package proposal in each district (each district's one compound, on its own)."""
    from anju.coordination.packages import propose_packages
    from anju.core.scope import Scope

    city_scope = Scope(roles=frozenset({"city_office"}), node_paths=(city.city.path,))
    compounds = (city.jiangan_compound, city.wuchang_compound)
    if not all(c.package_proposals.exists() for c in compounds):  # once: later builders
        for district in (city.jiangan, city.wuchang):  # move the compounds past proposing
            propose_packages(actor=organiser(), scope=city_scope, node=district)
    return (
        {"key": city.jiangan_compound.package_proposals.get().key},
        {"key": city.wuchang_compound.package_proposals.get().key},
    )


def work_in(node, compound):
    """A water work in the district, named by its compound (the test city has no outlines)."""
    from anju.access.models import Organisation
    from anju.coordination import works
    from anju.core.scope import Scope

    owner, _ = Organisation.objects.get_or_create(
        name="江城水务（测试）", defaults={"kind": Organisation.Kind.UTILITY}
    )
    work, _ = works.upsert_work(
        actor=organiser(),
        scope=Scope(roles=frozenset({"city_office"}), node_paths=("4201/",)),
        organisation=owner,
        external_id=f"W-{node.code}",
        values={
            "kind": "water_supply",
            "name": f"{node.name}供水管网更新",
            "starts_on": "2026-03-01",
            "ends_on": "2026-06-30",
            "compounds": [compound.code],
        },
    )
    return work


def jiangan_and_wuchang_work(city):
    return (
        {"pk": work_in(city.jiangan, city.jiangan_compound).pk},
        {"pk": work_in(city.wuchang, city.wuchang_compound).pk},
    )


def jiangan_and_wuchang_work_id(city):
    return (
        {"external_id": work_in(city.jiangan, city.jiangan_compound).external_id},
        {"external_id": work_in(city.wuchang, city.wuchang_compound).external_id},
    )


def projects_in_both_districts(city):
    """An approved 2025 plan's project in each district (design's projects), made once; its
    own five-year plan, so that the other builders' 十五五 plans do not collide with it."""
    from anju.design.tests.conftest import make_project
    from anju.planning.models import AnnualPlan, AnnualPlanStatus, FiveYearPlan, Project

    five, _ = FiveYearPlan.objects.get_or_create(
        node=city.city, start_year=2021, defaults={"name": "十四五", "end_year": 2025}
    )
    plan, _ = AnnualPlan.objects.get_or_create(
        five_year_plan=five, year=2025, defaults={"status": AnnualPlanStatus.APPROVED}
    )
    made = []
    for district, compound in (
        (city.jiangan, city.jiangan_compound),
        (city.wuchang, city.wuchang_compound),
    ):
        code = f"2025-{district.code}-001"
        project = Project.objects.filter(code=code).first()
        made.append(project or make_project(plan, district, compound, code))
    return tuple(made)


def jiangan_and_wuchang_project(city):
    jiangan, wuchang = projects_in_both_districts(city)
    return {"pk": jiangan.pk}, {"pk": wuchang.pk}


def jiangan_and_wuchang_project_assignment(city):
    from anju.access.models import Organisation
    from anju.design.models import ProjectAssignment

    firm, _ = Organisation.objects.get_or_create(
        name="长江设计院（测试）", defaults={"kind": Organisation.Kind.DESIGNER}
    )
    return tuple(
        {
            "pk": project.pk,
            "assignment_id": ProjectAssignment.objects.get_or_create(
                project=project, organisation=firm, role="designer"
            )[0].pk,
        }
        for project in projects_in_both_districts(city)
    )


def jiangan_and_wuchang_review(city):
    """A submitted joint review in each district (design.tests.reviewing)."""
    from anju.design.tests.reviewing import submitted_review

    return tuple(
        submitted_review(district, compound)
        for district, compound in (
            (city.jiangan, city.jiangan_compound),
            (city.wuchang, city.wuchang_compound),
        )
    )


def jiangan_and_wuchang_review_version(city):
    return tuple({"pk": review.version_id} for review in jiangan_and_wuchang_review(city))


def jiangan_and_wuchang_review_detail(city):
    return tuple({"pk": review.pk} for review in jiangan_and_wuchang_review(city))


def jiangan_and_wuchang_review_decision(city):
    return tuple(
        {"pk": review.pk, "department": "housing"} for review in jiangan_and_wuchang_review(city)
    )


def jiangan_and_wuchang_review_project(city):
    return tuple({"pk": review.version.project_id} for review in jiangan_and_wuchang_review(city))


def jiangan_and_wuchang_review_permit(city):
    return tuple(
        {"pk": review.version.project_id, "procedure": "approval"}
        for review in jiangan_and_wuchang_review(city)
    )


def jiangan_and_wuchang_survey_project(city):
    """A project with a survey finding in each district (design.tests.surveying)."""
    return tuple({"pk": finding.project_id} for finding in findings_in_both_districts(city))


def findings_in_both_districts(city):
    from anju.design.tests.surveying import finding_in

    return (
        finding_in(city.jiangan, city.jiangan_compound),
        finding_in(city.wuchang, city.wuchang_compound),
    )


def jiangan_and_wuchang_finding(city):
    return tuple({"pk": finding.pk} for finding in findings_in_both_districts(city))


def jiangan_and_wuchang_finding_photo(city):
    return tuple({"pk": finding.photos.get().pk} for finding in findings_in_both_districts(city))


def notices_in_both_districts(city):
    """A published notice with one objection in each district (design.tests.noticing)."""
    from anju.design.tests.noticing import published_notice

    return tuple(published_notice(project) for project in projects_in_both_districts(city))


def jiangan_and_wuchang_noticed_version(city):
    return tuple({"pk": notice.version_id} for notice in notices_in_both_districts(city))


def jiangan_and_wuchang_notice(city):
    return tuple({"pk": notice.pk} for notice in notices_in_both_districts(city))


def jiangan_and_wuchang_objection(city):
    return tuple({"pk": notice.objections.get().pk} for notice in notices_in_both_districts(city))


def jiangan_and_wuchang_noticed_project(city):
    return tuple({"pk": notice.version.project_id} for notice in notices_in_both_districts(city))


def plan_versions_in_both_districts(city):
    """A draft plan version with one priced line (屋面修缮) in each district's project."""
    from decimal import Decimal

    from anju.catalogue.models import CatalogueItem, PriceList, PriceListEntry
    from anju.design.models import PlanItem, PlanVersion

    price_list, _ = PriceList.objects.get_or_create(
        year=2027, version=1, defaults={"is_published": True}
    )
    roof = CatalogueItem.objects.get(code="B14")
    PriceListEntry.objects.get_or_create(
        price_list=price_list, item=roof, defaults={"unit": "平方米", "unit_price": Decimal(150)}
    )
    versions = []
    for project in projects_in_both_districts(city):
        version, _ = PlanVersion.objects.get_or_create(
            project=project, number=1, defaults={"price_list": price_list}
        )
        PlanItem.objects.get_or_create(
            version=version,
            compound=project.compounds.get(),
            item=roof,
            defaults={
                "quantity": Decimal(10),
                "unit": "平方米",
                "unit_price": Decimal(150),
                "payer": "government",
            },
        )
        versions.append(version)
    return tuple(versions)


def jiangan_and_wuchang_plan_version(city):
    return tuple({"pk": version.pk} for version in plan_versions_in_both_districts(city))


def jiangan_and_wuchang_plan_item(city):
    return tuple(
        {"pk": version.items.order_by("pk").first().pk}
        for version in plan_versions_in_both_districts(city)
    )


def jiangan_and_wuchang_planned_project(city):
    return tuple({"pk": version.project_id} for version in plan_versions_in_both_districts(city))


# --- stewardship: schemes and governance ---


def stewardship_keeper(node):
    from anju.core.scope import Scope

    return Scope(roles=frozenset({"district_task_force"}), node_paths=(node.path,))


def stewardship_districts(city):
    return ((city.jiangan, city.jiangan_compound), (city.wuchang, city.wuchang_compound))


def stewardship_schemes_in_both_districts(city):
    from decimal import Decimal

    from anju.stewardship import services

    return [
        services.save_management_scheme(
            actor=organiser(),
            scope=stewardship_keeper(node),
            compound=compound,
            management_model="self_management",
            yearly_upkeep_budget=Decimal("12000"),
        )
        for node, compound in stewardship_districts(city)
    ]


def jiangan_and_wuchang_budget_line(city):
    from decimal import Decimal

    from anju.stewardship import services
    from anju.stewardship.models import BudgetLine

    lines = [
        BudgetLine.objects.filter(scheme=scheme, year=2027).first()  # built once per city
        or services.add_budget_line(
            actor=organiser(),
            scope=stewardship_keeper(node),
            scheme=scheme,
            year=2027,
            amount=Decimal("12000"),
            reference="区财政预算",
        )
        for (node, _compound), scheme in zip(
            stewardship_districts(city), stewardship_schemes_in_both_districts(city), strict=True
        )
    ]
    return tuple({"code": line.scheme.compound.code, "pk": line.pk} for line in lines)


def stewardship_meetings_in_both_districts(city):
    from datetime import timedelta

    from anju.core.calendar import today
    from anju.stewardship import services

    return [
        services.record_meeting(
            actor=organiser(),
            scope=stewardship_keeper(node),
            compound=compound,
            held_on=today() - timedelta(days=30),
            subject="治理楼道堆物",
            bodies=["residents_committee", "property_company"],
            attendees="居委会 张三",
            decisions="一周内清理",
            tasks=[
                {
                    "title": f"{node.name}清理楼道堆物",
                    "owner": "物业",
                    "owner_body": "property_company",
                    "due_on": today() - timedelta(days=10),
                }
            ],
        )
        for node, compound in stewardship_districts(city)
    ]


def jiangan_and_wuchang_meeting(city):
    return tuple({"pk": m.pk} for m in stewardship_meetings_in_both_districts(city))


def jiangan_and_wuchang_follow_up_task(city):
    return tuple({"pk": m.tasks.get().pk} for m in stewardship_meetings_in_both_districts(city))


def district_task_titles(city):
    return f"{city.jiangan.name}清理楼道堆物", f"{city.wuchang.name}清理楼道堆物"


# --- end of stewardship: schemes and governance ---


def coverage_records_in(compound):
    """A property contract, an owners' committee member and a party member (stewardship's
    coverage) in the compound."""
    import datetime as dt

    from anju.access.models import Organisation
    from anju.stewardship import models as stewardship

    company, _ = Organisation.objects.get_or_create(
        name=f"{compound.name}物业", kind=Organisation.Kind.PROPERTY
    )
    contract, _ = stewardship.PropertyContract.objects.get_or_create(
        compound=compound, company=company, defaults={"starts_on": dt.date(2026, 1, 1)}
    )
    profile, _ = stewardship.GovernanceProfile.objects.get_or_create(
        compound=compound, defaults={"owners_committee_elected_on": dt.date(2025, 1, 1)}
    )
    member, _ = stewardship.CommitteeMember.objects.get_or_create(profile=profile, name="张主任")
    party_member, _ = stewardship.PartyMember.objects.get_or_create(
        compound=compound, name="李党员", defaults={"registered_on": dt.date(2025, 1, 1)}
    )
    return {"contract": contract, "member": member, "party_member": party_member}


def jiangan_and_wuchang_coverage(kind):
    def kwargs(city):
        own = coverage_records_in(city.jiangan_compound)[kind]
        other = coverage_records_in(city.wuchang_compound)[kind]
        return {"pk": own.pk}, {"pk": other.pk}

    return kwargs


# --- construction: parties and schedule ---


def construction_projects_in_both_districts(city):
    """Each district's project approved, its parties named and its schedule given
    (construction.tests.delivering), made once."""
    from anju.construction.models import ProjectParty
    from anju.construction.tests.conftest import make_company
    from anju.construction.tests.delivering import give_schedule, name_parties
    from anju.territory.models import Stage

    projects = projects_in_both_districts(city)
    for number, project in enumerate(projects, start=1):
        if ProjectParty.objects.filter(project=project).exists():
            continue
        project.stage = Stage.APPROVED
        project.save(update_fields=["stage"])
        name_parties(
            project,
            builder_firm=make_company(
                f"施工单位{number}（测试）", "construction", f"91420100MA4K0010{number}"
            ),
            supervisor_firm=make_company(
                f"监理单位{number}（测试）", "supervision", f"91420100MA4K0020{number}"
            ),
        )
        give_schedule(project)
    return projects


def jiangan_and_wuchang_construction_project(city):
    return tuple({"pk": p.pk} for p in construction_projects_in_both_districts(city))


def construction_progress_photo(project):
    """A photo on the project's first report (made once)."""
    from django.core.files.base import ContentFile

    from anju.construction.models import ProgressPhoto, ProgressReport

    report = ProgressReport.objects.get_or_create(project=project, week_ending=project.starts_on)[0]
    photo = report.photos.first()
    if photo is None:
        photo = ProgressPhoto(report=report, width=1, height=1)
        photo.image.save("coverage.jpg", ContentFile(b"\xff\xd8\xff\xd9"), save=True)
    return photo


def jiangan_and_wuchang_construction(related):
    def kwargs(city):
        from anju.construction.models import ProgressReport

        made = []
        for project in construction_projects_in_both_districts(city):
            if related == "party_id":
                pk = project.parties.get(role="supervision").pk
            elif related == "milestone_id":
                pk = project.milestones.first().pk
            elif related == "task_id":
                pk = project.tasks.first().pk
            elif related == "photo_id":
                pk = construction_progress_photo(project).pk
            else:
                pk = ProgressReport.objects.get_or_create(
                    project=project, week_ending=project.starts_on
                )[0].pk
            made.append({"pk": project.pk, related: pk})
        return tuple(made)

    return kwargs


# --- end of construction: parties and schedule ---


# --- construction: sampling ---


def sampled_projects_in_both_districts(city):
    """Each district's project accepted and its satisfaction sample drawn by the city office
    (construction.tests.sampling), made once."""
    from anju.construction.models import SatisfactionSurvey
    from anju.construction.services import sampling
    from anju.construction.tests.sampling import accept
    from anju.core.scope import Scope

    city_scope = Scope(roles=frozenset({"city_office"}), node_paths=(city.city.path,))
    projects = projects_in_both_districts(city)
    for project in projects:
        if not SatisfactionSurvey.objects.filter(project=project).exists():
            accept(project)
            sampling.draw_sample(actor=organiser(), scope=city_scope, project=project)
    return projects


def jiangan_and_wuchang_sampled_project(city):
    return tuple({"pk": p.pk} for p in sampled_projects_in_both_districts(city))


# --- end of construction: sampling ---


# --- construction: acceptance ---


def accepted_sessions_in_both_districts(city):
    """Each district's project building with an approved plan, its joint acceptance held
    (three residents' representatives, a defect cleared) and passed (construction.tests.
    accepting), made once: every acceptance URL has a record, the certificate included."""
    from anju.construction.models import AcceptanceSession
    from anju.construction.services import acceptance as services
    from anju.construction.tests import accepting
    from anju.construction.tests.delivering import district_scope, start_building
    from anju.core.actors import CLI

    sessions = []
    for project in construction_projects_in_both_districts(city):
        session = AcceptanceSession.objects.filter(project=project).first()
        if session is None:
            start_building(project)
            project.refresh_from_db()
            accepting.approve_plan(project)
            session = accepting.ready(project)
            defect = services.record_defect(
                actor=CLI,
                scope=district_scope(project),
                session=session,
                description="落水管未恢复",
                owner=project.parties.get(role="construction"),
                due_on=session.scheduled_on,
            )
            services.clear_defect(
                actor=CLI, scope=district_scope(project), defect=defect, note="已恢复"
            )
            session = accepting.decide(session)
        sessions.append(session)
    return tuple(sessions)


def jiangan_and_wuchang_acceptance(related=""):
    def kwargs(city):
        made = []
        for session in accepted_sessions_in_both_districts(city):
            if related == "project":
                made.append({"pk": session.project_id})
            elif related == "participant":
                made.append({"pk": session.participants.filter(kind="resident").first().pk})
            elif related == "defect":
                made.append({"pk": session.defects.first().pk})
            else:
                made.append({"pk": session.pk})
        return tuple(made)

    return kwargs


# --- end of construction: acceptance ---


# URL name → builds (kwargs for a 江岸 object, kwargs for the 武昌 object).
OBJECT_URLS = {
    # --- construction: acceptance ---
    "construction:acceptance": jiangan_and_wuchang_acceptance("project"),
    "construction:acceptance-session": jiangan_and_wuchang_acceptance(),
    "construction:acceptance-invite": jiangan_and_wuchang_acceptance(),
    "construction:acceptance-participant-remove": jiangan_and_wuchang_acceptance("participant"),
    "construction:acceptance-checklist": jiangan_and_wuchang_acceptance("participant"),
    "construction:acceptance-defect-add": jiangan_and_wuchang_acceptance(),
    "construction:acceptance-defect-clear": jiangan_and_wuchang_acceptance("defect"),
    "construction:acceptance-decide": jiangan_and_wuchang_acceptance(),
    "construction:acceptance-clear-conditions": jiangan_and_wuchang_acceptance(),
    "construction:acceptance-certificate": jiangan_and_wuchang_acceptance(),
    "api-construction-acceptance-sessions": jiangan_and_wuchang_acceptance("project"),
    "api-construction-acceptance-session": jiangan_and_wuchang_acceptance(),
    "api-construction-acceptance-participants": jiangan_and_wuchang_acceptance(),
    "api-construction-acceptance-participant": jiangan_and_wuchang_acceptance("participant"),
    "api-construction-acceptance-checks": jiangan_and_wuchang_acceptance("participant"),
    "api-construction-acceptance-defects": jiangan_and_wuchang_acceptance(),
    "api-construction-acceptance-defect-clear": jiangan_and_wuchang_acceptance("defect"),
    "api-construction-acceptance-decision": jiangan_and_wuchang_acceptance(),
    "api-construction-acceptance-conditions-cleared": jiangan_and_wuchang_acceptance(),
    "api-construction-acceptance-certificate": jiangan_and_wuchang_acceptance(),
    # --- end of construction: acceptance ---
    # --- construction: sampling ---
    "construction:sampling": jiangan_and_wuchang_sampled_project,
    "construction:sampling-answer": jiangan_and_wuchang_sampled_project,
    "construction:sampling-close": jiangan_and_wuchang_sampled_project,
    "api-construction-sampling": jiangan_and_wuchang_sampled_project,
    "api-construction-sampling-answers": jiangan_and_wuchang_sampled_project,
    "api-construction-sampling-close": jiangan_and_wuchang_sampled_project,
    # --- end of construction: sampling ---
    # --- construction: parties and schedule ---
    "construction:project": jiangan_and_wuchang_construction_project,
    "construction:party-name": jiangan_and_wuchang_construction_project,
    "construction:party-change": jiangan_and_wuchang_construction("party_id"),
    "construction:party-remove": jiangan_and_wuchang_construction("party_id"),
    "construction:milestone-add": jiangan_and_wuchang_construction_project,
    "construction:milestone-change": jiangan_and_wuchang_construction("milestone_id"),
    "construction:milestone-remove": jiangan_and_wuchang_construction("milestone_id"),
    "construction:task-add": jiangan_and_wuchang_construction_project,
    "construction:task-change": jiangan_and_wuchang_construction("task_id"),
    "construction:task-remove": jiangan_and_wuchang_construction("task_id"),
    "construction:start": jiangan_and_wuchang_construction_project,
    "construction:progress-submit": jiangan_and_wuchang_construction_project,
    "construction:progress-confirm": jiangan_and_wuchang_construction("report_id"),
    "construction:progress-dispute": jiangan_and_wuchang_construction("report_id"),
    "construction:progress-photo": jiangan_and_wuchang_construction("photo_id"),
    "api-construction-parties": jiangan_and_wuchang_construction_project,
    "api-construction-party": jiangan_and_wuchang_construction("party_id"),
    "api-construction-schedule": jiangan_and_wuchang_construction_project,
    "api-construction-tasks": jiangan_and_wuchang_construction_project,
    "api-construction-milestones": jiangan_and_wuchang_construction_project,
    "api-construction-task": jiangan_and_wuchang_construction("task_id"),
    "api-construction-milestone": jiangan_and_wuchang_construction("milestone_id"),
    "api-construction-start": jiangan_and_wuchang_construction_project,
    "api-construction-progress-reports": jiangan_and_wuchang_construction_project,
    "api-construction-progress-confirm": jiangan_and_wuchang_construction("report_id"),
    "api-construction-progress-dispute": jiangan_and_wuchang_construction("report_id"),
    "api-construction-s-curve": jiangan_and_wuchang_construction_project,
    # --- end of construction: parties and schedule ---
    "design:plan-version-create": jiangan_and_wuchang_planned_project,
    "design:plan-version-detail": jiangan_and_wuchang_plan_version,
    "design:plan-item-add": jiangan_and_wuchang_plan_version,
    "design:plan-need-answer": jiangan_and_wuchang_plan_version,
    "design:plan-item-edit": jiangan_and_wuchang_plan_item,
    "design:plan-item-delete": jiangan_and_wuchang_plan_item,
    "design:plan-workshop-add": jiangan_and_wuchang_planned_project,
    "design:plan-scheme-save": jiangan_and_wuchang_planned_project,
    "design:plan-mark-ready": jiangan_and_wuchang_planned_project,
    "api-project-plan-versions": jiangan_and_wuchang_planned_project,
    "api-plan-version-detail": jiangan_and_wuchang_plan_version,
    "api-plan-version-items": jiangan_and_wuchang_plan_version,
    "design:project-detail": jiangan_and_wuchang_project,
    "design:project-assign": jiangan_and_wuchang_project,
    "design:project-unassign": jiangan_and_wuchang_project_assignment,
    "design:compound-links": jiangan_and_wuchang_compound,
    "api-project-detail": jiangan_and_wuchang_project,
    "api-project-assignments": jiangan_and_wuchang_project,
    "api-project-assignment": jiangan_and_wuchang_project_assignment,
    "coordination:conflict-detail": jiangan_and_wuchang_conflict,
    "territory:compound-detail": jiangan_and_wuchang_compound,
    "territory:compound-history": jiangan_and_wuchang_compound,
    "access:code-sheet-form": jiangan_and_wuchang_compound,
    "access:code-sheet": jiangan_and_wuchang_compound,
    "access:reveal-phone": jiangan_and_wuchang_household,
    "core:task-detail": jiangan_and_wuchang_task,
    "territory:import-annotated": jiangan_and_wuchang_task,
    "api-compound-detail": jiangan_and_wuchang_compound,
    "api-node-detail": jiangan_and_wuchang_district,
    "api-node-history": jiangan_and_wuchang_district,
    "api-task-detail": jiangan_and_wuchang_task,
    "engagement:campaign-detail": jiangan_and_wuchang_campaign,
    "engagement:campaign-answer": jiangan_and_wuchang_campaign,
    "engagement:campaign-forum": jiangan_and_wuchang_campaign,
    "engagement:campaign-export": jiangan_and_wuchang_campaign,
    "engagement:needs-import": jiangan_and_wuchang_campaign,
    "engagement:needs-import-template": jiangan_and_wuchang_campaign,
    "engagement:needs-import-annotated": jiangan_and_wuchang_task,
    "engagement:vote-detail": jiangan_and_wuchang_vote,
    "engagement:vote-ballot": jiangan_and_wuchang_vote,
    "engagement:vote-tally": jiangan_and_wuchang_tallied_vote,
    "engagement:vote-inputs": jiangan_and_wuchang_tallied_vote,
    "api-campaign-detail": jiangan_and_wuchang_campaign,
    "api-campaign-summary": jiangan_and_wuchang_campaign,
    "api-campaign-submission": jiangan_and_wuchang_submission,
    "api-vote-detail": jiangan_and_wuchang_vote,
    "api-vote-ballot": jiangan_and_wuchang_vote_household,
    "coordination:package-detail": jiangan_and_wuchang_package,
    "coordination:package-accept": jiangan_and_wuchang_package,
    "coordination:package-reject": jiangan_and_wuchang_package,
    "coordination:package-split": jiangan_and_wuchang_package,
    "coordination:package-merge": jiangan_and_wuchang_package,
    "coordination:work-detail": jiangan_and_wuchang_work,
    "coordination:work-upload-progress": jiangan_and_wuchang_task,
    "coordination:work-upload-annotated": jiangan_and_wuchang_task,
    "api-work-detail": jiangan_and_wuchang_work_id,
    "design:notice-publish": jiangan_and_wuchang_noticed_version,
    "design:notice-detail": jiangan_and_wuchang_notice,
    "design:objection-answer": jiangan_and_wuchang_objection,
    "design:notice-pdf": jiangan_and_wuchang_noticed_project,
    "api-plan-version-notice": jiangan_and_wuchang_noticed_version,
    "api-notice-objections": jiangan_and_wuchang_notice,
    "api-objection-answer": jiangan_and_wuchang_objection,
    "design:survey": jiangan_and_wuchang_survey_project,
    "design:finding-correct": jiangan_and_wuchang_finding,
    "design:finding-delete": jiangan_and_wuchang_finding,
    "design:finding-photo": jiangan_and_wuchang_finding_photo,
    "api-project-findings": jiangan_and_wuchang_survey_project,
    "api-finding-detail": jiangan_and_wuchang_finding,
    "api-finding-photo": jiangan_and_wuchang_finding_photo,
    "design:review-submit": jiangan_and_wuchang_review_version,
    "design:review-decide": jiangan_and_wuchang_review_decision,
    "design:review-assign": jiangan_and_wuchang_review_project,
    "design:review-permit": jiangan_and_wuchang_review_permit,
    "api-plan-version-review": jiangan_and_wuchang_review_version,
    "api-review-detail": jiangan_and_wuchang_review_detail,
    "api-review-decision": jiangan_and_wuchang_review_decision,
    "api-project-reviewers": jiangan_and_wuchang_review_project,
    "api-project-permit": jiangan_and_wuchang_review_permit,
    # stewardship: schemes, governance and the compound hub
    "stewardship:compound": jiangan_and_wuchang_compound,
    "stewardship:scheme-edit": jiangan_and_wuchang_compound,
    "stewardship:budget-line-add": jiangan_and_wuchang_compound,
    "stewardship:budget-line-edit": jiangan_and_wuchang_budget_line,
    "stewardship:budget-line-delete": jiangan_and_wuchang_budget_line,
    "stewardship:meeting-create": jiangan_and_wuchang_compound,
    "stewardship:meeting-detail": jiangan_and_wuchang_meeting,
    "stewardship:task-add": jiangan_and_wuchang_meeting,
    "stewardship:task-done": jiangan_and_wuchang_follow_up_task,
    "api-stewardship-scheme": jiangan_and_wuchang_compound,
    "api-stewardship-budget-lines": jiangan_and_wuchang_compound,
    "api-stewardship-budget-line": jiangan_and_wuchang_budget_line,
    "api-stewardship-meetings": jiangan_and_wuchang_compound,
    "api-stewardship-task-done": jiangan_and_wuchang_follow_up_task,
    "stewardship:coverage-compound": jiangan_and_wuchang_compound,
    "stewardship:coverage-contract-add": jiangan_and_wuchang_compound,
    "stewardship:coverage-contract-end": jiangan_and_wuchang_coverage("contract"),
    "stewardship:coverage-status": jiangan_and_wuchang_compound,
    "stewardship:coverage-profile": jiangan_and_wuchang_compound,
    "stewardship:coverage-member-add": jiangan_and_wuchang_compound,
    "stewardship:coverage-member-remove": jiangan_and_wuchang_coverage("member"),
    "stewardship:coverage-party-member-add": jiangan_and_wuchang_compound,
    "stewardship:coverage-party-member-leave": jiangan_and_wuchang_coverage("party_member"),
    "stewardship:coverage-service-add": jiangan_and_wuchang_coverage("party_member"),
    "api-stewardship-compound-coverage": jiangan_and_wuchang_compound,
    "api-stewardship-compound-contracts": jiangan_and_wuchang_compound,
    "api-stewardship-contract": jiangan_and_wuchang_coverage("contract"),
    "api-stewardship-compound-status": jiangan_and_wuchang_compound,
    "api-stewardship-compound-profile": jiangan_and_wuchang_compound,
    "api-stewardship-compound-committee-members": jiangan_and_wuchang_compound,
    "api-stewardship-committee-member": jiangan_and_wuchang_coverage("member"),
    "api-stewardship-compound-party-members": jiangan_and_wuchang_compound,
    "api-stewardship-party-member-leave": jiangan_and_wuchang_coverage("party_member"),
    "api-stewardship-party-member-services": jiangan_and_wuchang_coverage("party_member"),
}


def compound_names(city):
    return city.jiangan_compound.name, city.wuchang_compound.name


def compound_codes(city):
    return city.jiangan_compound.code, city.wuchang_compound.code


def district_names(city):
    return city.jiangan.name, city.wuchang.name


def district_codes(city):
    return f'"{city.jiangan.code}"', f'"{city.wuchang.code}"'


def district_campaign_titles(city):
    return f"{city.jiangan.name}改造需求征集", f"{city.wuchang.name}改造需求征集"


def district_vote_titles(city):
    return f"{city.jiangan.name}改造意愿表决", f"{city.wuchang.name}改造意愿表决"


def district_work_names(city):
    return f"{city.jiangan.name}供水管网更新", f"{city.wuchang.name}供水管网更新"


def project_codes(city):
    return f"2025-{city.jiangan.code}-001", f"2025-{city.wuchang.code}-001"


def street_names(city):
    return city.jiangan_street.name, city.wuchang_street.name


# Lists and exports → (what the 江岸 officer must see, what they must not see).
LIST_URLS = {
    # --- construction: sampling ---
    "construction:satisfaction": district_names,
    "api-construction-satisfaction": district_names,
    # --- end of construction: sampling ---
    "construction:project-list": project_codes,
    "api-construction-projects": project_codes,
    "design:project-list": project_codes,
    "api-project-list": project_codes,
    "coordination:conflict-list": compound_names,
    "coordination:conflict-weekly": compound_names,
    "web:workbench": district_names,
    "territory:compound-list": compound_names,
    "territory:export": compound_codes,
    "core:audit-list": compound_names,
    "api-compound-list": compound_codes,
    "api-node-list": district_codes,
    "engagement:campaign-list": district_campaign_titles,
    "engagement:vote-list": district_vote_titles,
    "api-campaign-list": district_campaign_titles,
    "api-vote-list": district_vote_titles,
    "coordination:package-list": compound_names,
    "coordination:work-list": district_work_names,
    "api-work-list": district_work_names,
    "stewardship:compound-list": compound_names,
    "stewardship:upkeep": compound_names,
    "api-stewardship-upkeep": compound_names,
    "stewardship:task-overdue": district_task_titles,
    "api-stewardship-overdue-tasks": district_task_titles,
    "stewardship:index": street_names,
    "stewardship:coverage": compound_names,
    "api-stewardship-coverage": compound_codes,
}

# Lists whose records must exist in both districts before the list is read.
LIST_RECORDS = {
    # --- construction: sampling ---
    "construction:satisfaction": sampled_projects_in_both_districts,
    "api-construction-satisfaction": sampled_projects_in_both_districts,
    # --- end of construction: sampling ---
    "construction:project-list": construction_projects_in_both_districts,
    "api-construction-projects": construction_projects_in_both_districts,
    "design:project-list": projects_in_both_districts,
    "api-project-list": projects_in_both_districts,
    "coordination:conflict-list": jiangan_and_wuchang_conflict,
    "coordination:conflict-weekly": jiangan_and_wuchang_conflict,
    "engagement:campaign-list": jiangan_and_wuchang_campaign,
    "engagement:vote-list": jiangan_and_wuchang_vote,
    "api-campaign-list": jiangan_and_wuchang_campaign,
    "api-vote-list": jiangan_and_wuchang_vote,
    "coordination:package-list": jiangan_and_wuchang_package,
    "coordination:work-list": jiangan_and_wuchang_work,
    "api-work-list": jiangan_and_wuchang_work,
    "stewardship:upkeep": stewardship_schemes_in_both_districts,
    "api-stewardship-upkeep": stewardship_schemes_in_both_districts,
    "stewardship:task-overdue": stewardship_meetings_in_both_districts,
    "api-stewardship-overdue-tasks": stewardship_meetings_in_both_districts,
}

# Writes that take their target from the request body rather than the URL; tested in their
# own modules (import rejects rows outside the territory with the same message as unknown).
BODY_SCOPED_WRITES = {
    "territory:import": "anju/territory/tests/test_registry_import.py",
    "api-registry-import": "anju/territory/tests/test_registry_import.py",
    "engagement:campaign-create": "anju/engagement/tests/test_workbench_campaigns.py",
    "engagement:vote-create": "anju/engagement/tests/test_workbench_votes.py",
    "coordination:package-propose": "anju/coordination/tests/test_packages_pages.py",
    "coordination:work-upload": "anju/coordination/tests/test_works_import.py",
}

# City-wide plans, rounds, scoring models and scenarios: district officers read them with
# their own district's rows only (a draft round or a scenario answers them 404), and only the
# city office writes. Each maps to the module that proves it.
PLANNING_PAGES = "anju/planning/tests/test_pages.py"
PLANNING_API = "anju/planning/tests/test_api.py"
CITY_WIDE = {
    "api-five-year-plan-list": PLANNING_API,
    "api-five-year-plan-detail": PLANNING_API,
    "api-annual-plan-list": PLANNING_API,
    "api-annual-plan-detail": PLANNING_API,
    "api-annual-plan-advance": PLANNING_API,
    "api-annual-plan-budget": PLANNING_API,
    "api-annual-plan-overrides": PLANNING_API,
    "api-scoring-model-list": PLANNING_API,
    "api-scoring-model-versions": PLANNING_API,
    "api-round-list": PLANNING_API,
    "api-round-detail": PLANNING_API,
    "api-round-score": PLANNING_API,
    "api-round-publish": PLANNING_API,
    "api-round-entries": PLANNING_API,
    "api-round-entry": PLANNING_API,
    "api-round-scenarios": PLANNING_API,
    "api-scenario-detail": PLANNING_API,
    "api-scenario-adopt": PLANNING_API,
    "planning:index": PLANNING_PAGES,
    "planning:five-year-create": PLANNING_PAGES,
    "planning:five-year-detail": PLANNING_PAGES,
    "planning:annual-detail": PLANNING_PAGES,
    "planning:annual-advance": PLANNING_PAGES,
    "planning:round-create": PLANNING_PAGES,
    "planning:round-detail": PLANNING_PAGES,
    "planning:round-score": PLANNING_PAGES,
    "planning:round-publish": PLANNING_PAGES,
    "planning:round-compare": PLANNING_PAGES,
    "planning:round-export": PLANNING_PAGES,
    "planning:round-entry": PLANNING_PAGES,
    "planning:scenario-detail": PLANNING_PAGES,
    "planning:scenario-adopt": PLANNING_PAGES,
    "planning:model-list": PLANNING_PAGES,
    "planning:model-detail": PLANNING_PAGES,
    "planning:manual-detail": PLANNING_PAGES,
    "planning:manual-evidence": PLANNING_PAGES,
    # Territory adjustments (区划调整): only the city office; others 403, outside nodes 404.
    "territory:territory-tree": "anju/territory/tests/test_node_pages.py",
    "territory:node-detail": "anju/territory/tests/test_node_pages.py",
    "api-node-add": "anju/territory/tests/test_node_change_api.py",
    "api-node-rename": "anju/territory/tests/test_node_change_api.py",
    "api-node-move": "anju/territory/tests/test_node_change_api.py",
    "api-node-end": "anju/territory/tests/test_node_change_api.py",
}

# Administration of people and organisations: the actor's authority (its active city-office
# or district task force bindings), accounts and assignments outside it answer 404, grants
# beyond it 403; the onboarding file is body-scoped the same way.
ADMIN_PAGES = "anju/access/tests/test_administration_pages.py"
ADMIN_API = "anju/access/tests/test_administration_api.py"
ONBOARDING = "anju/access/tests/test_onboarding.py"
ADMINISTRATION = {
    **{
        name: ADMIN_PAGES
        for name in (
            "access:admin-people",
            "access:admin-person",
            "access:admin-person-role",
            "access:admin-person-active",
            "access:admin-person-password",
            "access:admin-role-revoke",
            "access:admin-organisations",
            "access:admin-assignments",
            "access:admin-unassign",
        )
    },
    "access:admin-onboard": ONBOARDING,
    "access:admin-onboard-template": ONBOARDING,
    "api-onboard": ONBOARDING,
    **{
        name: ADMIN_API
        for name in (
            "api-staff-list",
            "api-staff-detail",
            "api-staff-deactivate",
            "api-staff-reactivate",
            "api-staff-roles",
            "api-role-revoke",
            "api-organisation-list",
            "api-assignment-list",
            "api-assignment-remove",
        )
    },
}

# Background jobs only the user who started them sees (their file holds that user's scope).
# A user's own work queue: a reviewer's pending decisions are those assigned to that user on
# projects inside their territory (anju/design/tests/test_reviews_pages.py).
OWN_QUEUES = {
    "design:review-mine": "anju/design/tests/test_reviews_pages.py",
}

# Exports whose rows sit inside a zip (.xlsx), so the list test cannot read them as text: each
# module opens the workbook and proves the other district's rows are left out.
XLSX_EXPORTS = {
    "stewardship:coverage-export": "anju/stewardship/tests/test_coverage_report.py",
    "stewardship:upkeep-export": "anju/stewardship/tests/test_schemes_pages.py",
}

OWN_TASKS = {
    "territory:export-progress": "anju/territory/tests/test_compound_export.py",
    "territory:export-download": "anju/territory/tests/test_compound_export.py",
}

# Pages open to anyone, or to a resident's own session (tested in anju/access/tests).
PUBLIC = {
    "web:home",
    "web:sign-in",
    "web:sign-out",
    "web:healthz",
    "set_language",
    "api-schema",
    "api-docs",
    "territory:import-template",
    "portal:home",
    "portal:sign-in",
    "portal:sign-out",
    "portal:code",
    "coordination:work-upload-template",
}

# Residents' engagement pages: a household session only, everything found through the
# household, another compound's record answers 404 (anju/engagement/tests/test_portal_*.py).
RESIDENT_URLS = {
    # --- construction: sampling ---
    "construction-portal:satisfaction",
    "construction-portal:satisfaction-answer",
    # --- end of construction: sampling ---
    "engagement-portal:home",
    "engagement-portal:campaign",
    "engagement-portal:photo",
    "engagement-portal:vote",
    "engagement-portal:vote-result",
    "planning-portal:score",
    "design-portal:current-notice",
    "design-portal:notice",
    "design-portal:notice-pdf",
    # a residents' representative's own acceptance checklist and certificate
    # (construction/tests/test_acceptance_pages.py, test_certificate_access.py)
    "construction-portal:acceptance",
    "construction-portal:acceptance-certificate",
}

# City-wide reference data, the same for every territory (tested in anju/catalogue/tests and
# anju/core/tests/test_holidays.py): staff read it, only the city office changes it.
REFERENCE_DATA = {
    "catalogue:item-list",
    "catalogue:item-create",
    "catalogue:item-edit",
    "catalogue:price-list-list",
    "catalogue:price-list-create",
    "catalogue:price-list-detail",
    "catalogue:price-entry-save",
    "catalogue:price-list-publish",
    "catalogue:price-list-import",
    "catalogue:price-list-template",
    "core:holiday-list",
    "core:holiday-create",
    "core:holiday-edit",
    "core:holiday-delete",
    "core:holiday-import",
    "core:holiday-template",
}


# --- stewardship reports ---
# Residents' problem reports: a report belongs to its compound's territory (a property company
# sees its compounds' reports, anju/stewardship/tests/test_reports_api.py); categories and
# routing rules are city-wide reference data with district rules (the same module).


def reports_in_both_districts(city):
    from anju.access.scope import scope_for_household
    from anju.stewardship.models import ReportCategory
    from anju.stewardship.services import file_report

    def report_in(compound):
        household = compound.households.order_by("pk").first()
        return file_report(
            actor=None,
            scope=scope_for_household(household),
            compound=compound,
            category=ReportCategory.objects.get(code="clutter"),
            description=compound.name + "楼道堆物",
            channel="portal",
        )

    return report_in(city.jiangan_compound), report_in(city.wuchang_compound)


def jiangan_and_wuchang_report(city):
    own, other = reports_in_both_districts(city)
    return {"pk": own.pk}, {"pk": other.pk}


def report_numbers(city):
    from anju.stewardship.models import ProblemReport

    def number(compound):
        return ProblemReport.objects.filter(compound=compound).values_list("number", flat=True)[0]

    return number(city.jiangan_compound), number(city.wuchang_compound)


REPORTS_API = "anju/stewardship/tests/test_reports_api.py"
OBJECT_URLS.update(
    {
        "api-report-detail": jiangan_and_wuchang_report,
        "api-report-advance": jiangan_and_wuchang_report,
        "api-report-reassign": jiangan_and_wuchang_report,
        "api-report-duplicate": jiangan_and_wuchang_report,
    }
)
LIST_URLS.update({"api-report-list": report_numbers, "api-report-metrics": compound_names})
LIST_RECORDS.update(
    {"api-report-list": reports_in_both_districts, "api-report-metrics": reports_in_both_districts}
)
CITY_WIDE.update(
    {
        "api-report-categories": REPORTS_API,
        "api-routing-rule-list": REPORTS_API,
        "api-routing-rule-detail": REPORTS_API,
    }
)
# --- end of stewardship reports ---

# --- stewardship report pages ---
# The workbench pages of problem reports find a report, a compound or a rule through the same
# scoped selectors (another district's answers 404); filing for a caller takes the compound
# from the query and 404s outside the territory; the portal pages are the household's own
# compound's (anju/stewardship/tests/test_reports_pages.py).
REPORT_PAGES = "anju/stewardship/tests/test_reports_pages.py"


def jiangan_and_wuchang_report_photo(city):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from anju.access.scope import scope_for_household
    from anju.stewardship.models import ReportCategory
    from anju.stewardship.services import file_report

    def photo_in(compound):
        buffer = io.BytesIO()
        Image.new("RGB", (40, 30), (120, 120, 120)).save(buffer, format="JPEG")
        report = file_report(
            actor=None,
            scope=scope_for_household(compound.households.order_by("pk").first()),
            compound=compound,
            category=ReportCategory.objects.get(code="damaged_facility"),
            description=compound.name + "路灯损坏",
            channel="portal",
            photos=[SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")],
        )
        return {"pk": report.pk, "photo_id": report.photos.get().pk}

    return photo_in(city.jiangan_compound), photo_in(city.wuchang_compound)


OBJECT_URLS.update(
    {
        "stewardship:report-detail": jiangan_and_wuchang_report,
        "stewardship:report-advance": jiangan_and_wuchang_report,
        "stewardship:report-reassign": jiangan_and_wuchang_report,
        "stewardship:report-duplicate": jiangan_and_wuchang_report,
        "stewardship:report-photo": jiangan_and_wuchang_report_photo,
        "api-report-photo": jiangan_and_wuchang_report_photo,
        "stewardship:compound-reports": jiangan_and_wuchang_compound,
    }
)
LIST_URLS.update(
    {"stewardship:report-list": report_numbers, "stewardship:report-metrics": compound_names}
)
LIST_RECORDS.update(
    {
        "stewardship:report-list": reports_in_both_districts,
        "stewardship:report-metrics": reports_in_both_districts,
    }
)
XLSX_EXPORTS["stewardship:report-metrics-export"] = REPORT_PAGES
BODY_SCOPED_WRITES.update(
    {
        "stewardship:report-file": REPORT_PAGES,
        "stewardship:report-suggest": REPORT_PAGES,
        "api-report-suggestions": REPORTS_API,
    }
)
CITY_WIDE.update(
    {"stewardship:routing-rules": REPORT_PAGES, "stewardship:routing-rule-delete": REPORT_PAGES}
)
# Report categories and their deadlines: city-wide reference data only the city office
# changes (others 403), anju/stewardship/tests/test_report_categories.py.
REPORT_CATEGORIES = "anju/stewardship/tests/test_report_categories.py"
CITY_WIDE["stewardship:category-list"] = REPORT_CATEGORIES
CITY_WIDE["stewardship:category-edit"] = REPORT_CATEGORIES
CITY_WIDE["api-report-category"] = REPORT_CATEGORIES
RESIDENT_URLS |= {
    "stewardship-portal:home",
    "stewardship-portal:report-new",
    "stewardship-portal:suggest",
    "stewardship-portal:public-list",
    "stewardship-portal:report",
    "stewardship-portal:report-confirm",
    "stewardship-portal:report-reopen",
    "stewardship-portal:photo",
}
# --- end of stewardship report pages ---

# --- construction: inspections ---
# Inspections and rectification orders are the project's: another district's project, order or
# photo answers 404 (anju/construction/tests/inspecting.py builds an order in each district).
# The overdue list and the per-party records show the viewer's territory only; the checklists
# are city-wide reference data.
INSPECTION_PAGES = "anju/construction/tests/test_inspections_pages.py"


def jiangan_and_wuchang_inspected_project(city):
    from anju.construction.tests.inspecting import finding_in

    return tuple(
        {"pk": finding_in(d, c).project_id}
        for d, c in ((city.jiangan, city.jiangan_compound), (city.wuchang, city.wuchang_compound))
    )


def jiangan_and_wuchang_inspection_finding(related=""):
    def kwargs(city):
        from anju.construction.tests.inspecting import answered_finding_in, finding_in

        pairs = ((city.jiangan, city.jiangan_compound), (city.wuchang, city.wuchang_compound))
        if related == "evidence":
            return tuple(
                {"pk": answered_finding_in(d, c).steps.get().photos.get().pk} for d, c in pairs
            )
        findings = [finding_in(d, c) for d, c in pairs]
        if related == "inspection":
            return tuple({"pk": f.inspection_id} for f in findings)
        if related == "photo":
            return tuple({"pk": f.photos.get().pk} for f in findings)
        return tuple({"pk": f.pk} for f in findings)

    return kwargs


def inspection_project_codes(city):
    return f"2027-{city.jiangan.code}-C01", f"2027-{city.wuchang.code}-C01"


def inspection_party_names(city):
    return f"{city.jiangan.name}建工（检查）", f"{city.wuchang.name}建工（检查）"


def escalated_inspection_findings(city):
    from anju.construction.tests.inspecting import escalated_findings_in_both_districts

    return escalated_findings_in_both_districts(city)


OBJECT_URLS.update(
    {
        "construction:inspection-create": jiangan_and_wuchang_inspected_project,
        "construction:findings": jiangan_and_wuchang_inspected_project,
        "construction:inspection-detail": jiangan_and_wuchang_inspection_finding("inspection"),
        "construction:finding-detail": jiangan_and_wuchang_inspection_finding(),
        "construction:finding-answer": jiangan_and_wuchang_inspection_finding(),
        "construction:finding-close": jiangan_and_wuchang_inspection_finding(),
        "construction:finding-reopen": jiangan_and_wuchang_inspection_finding(),
        "construction:finding-photo": jiangan_and_wuchang_inspection_finding("photo"),
        "construction:evidence-photo": jiangan_and_wuchang_inspection_finding("evidence"),
        "api-construction-inspections": jiangan_and_wuchang_inspected_project,
        "api-construction-findings": jiangan_and_wuchang_inspected_project,
        "api-construction-inspection": jiangan_and_wuchang_inspection_finding("inspection"),
        "api-construction-finding": jiangan_and_wuchang_inspection_finding(),
        "api-construction-finding-photos": jiangan_and_wuchang_inspection_finding(),
        "api-construction-finding-answer": jiangan_and_wuchang_inspection_finding(),
        "api-construction-finding-close": jiangan_and_wuchang_inspection_finding(),
        "api-construction-finding-reopen": jiangan_and_wuchang_inspection_finding(),
        "api-construction-finding-photo": jiangan_and_wuchang_inspection_finding("photo"),
        "api-construction-evidence-photo": jiangan_and_wuchang_inspection_finding("evidence"),
    }
)
LIST_URLS.update(
    {
        "construction:findings-overdue": inspection_project_codes,
        "api-construction-findings-overdue": inspection_project_codes,
        "construction:party-records": inspection_party_names,
        "api-construction-party-records": inspection_party_names,
    }
)
LIST_RECORDS.update(
    {
        name: escalated_inspection_findings
        for name in (
            "construction:findings-overdue",
            "api-construction-findings-overdue",
            "construction:party-records",
            "api-construction-party-records",
        )
    }
)
CITY_WIDE["api-construction-work-types"] = INSPECTION_PAGES  # reference data, read-only
# The checklists' editing: the city office only, others 403 (no territory to scope by).
CHECKLIST_EDITING = "anju/construction/tests/test_checklist_editing.py"
CITY_WIDE["construction:work-types"] = CHECKLIST_EDITING
CITY_WIDE["construction:work-type-item-add"] = CHECKLIST_EDITING
CITY_WIDE["construction:inspection-item-change"] = CHECKLIST_EDITING
CITY_WIDE["api-construction-work-type-items"] = CHECKLIST_EDITING
CITY_WIDE["api-construction-inspection-item"] = CHECKLIST_EDITING
# --- end of construction: inspections ---


# --- construction: notices ---
# The construction notice: the workbench form, the A3 board and the API are the project's
# (another district's answers 404); the public page and its public API are open to anyone, as
# the board on site is (anju/construction/tests/test_notices_pages.py proves they show no
# contract sums and no personal data); complaining is a household's own compound's.
NOTICE_PAGES = "anju/construction/tests/test_notices_pages.py"


def noticed_projects_in_both_districts(city):
    from anju.construction.models import ConstructionNotice
    from anju.construction.tests.noticing import publish

    projects = construction_projects_in_both_districts(city)
    for project in projects:
        if not ConstructionNotice.objects.filter(project=project).exists():
            publish(project)
    return projects


def jiangan_and_wuchang_noticed_project(city):
    return tuple({"pk": p.pk} for p in noticed_projects_in_both_districts(city))


OBJECT_URLS.update(
    {
        "construction:notice-edit": jiangan_and_wuchang_construction_project,
        "construction:notice-board": jiangan_and_wuchang_noticed_project,
        "api-construction-notice": jiangan_and_wuchang_noticed_project,
        "api-construction-notice-board": jiangan_and_wuchang_noticed_project,
        "api-construction-complaints": jiangan_and_wuchang_construction_project,
    }
)
CITY_WIDE["api-construction-public-notice"] = NOTICE_PAGES  # public, like the board on site
# (its satisfaction sample, labels only: anju/construction/tests/test_public_sampling.py)
PUBLIC.add("construction-portal:notice")
RESIDENT_URLS.add("construction-portal:notice-complain")
# --- end of construction: notices ---

# --- funding: contracts ---
# Investment contracts and loans are their district's: another district's contract, its rights,
# flows and payback, or loan, answers 404 through page and API; the lists leave them out;
# recording takes its projects and district from the body (anju/funding/tests/test_contracts_*).
CONTRACT_PAGES = "anju/funding/tests/test_contracts_pages.py"


def contracts_in_both_districts(city):
    from anju.funding.models import InvestmentContract
    from anju.funding.tests.contracting import contract_over

    made = []
    for project in projects_in_both_districts(city):
        contract = InvestmentContract.objects.filter(projects=project).first()
        made.append(
            contract
            or contract_over(
                city,
                [project],
                rights=[("parking", "300000.00")],
                flows=[(2024, "revenue", "1000.00")],
            )
        )
    return tuple(made)


def loans_in_both_districts(city):
    from anju.funding.models import Loan
    from anju.funding.tests.contracting import loan_for

    made = []
    for project in projects_in_both_districts(city):
        loan = Loan.objects.filter(projects=project).first()
        made.append(loan or loan_for(city, project.district, [project]))
    return tuple(made)


def jiangan_and_wuchang_contract(related=""):
    def kwargs(city):
        contracts = contracts_in_both_districts(city)
        if related == "right":
            return tuple(
                {"pk": c.pk, "right_id": c.revenue_rights.order_by("pk").first().pk}
                for c in contracts
            )
        if related == "flow":
            return tuple(
                {"pk": c.pk, "flow_id": c.flows.order_by("pk").first().pk} for c in contracts
            )
        return tuple({"pk": c.pk} for c in contracts)

    return kwargs


def jiangan_and_wuchang_loan(city):
    return tuple({"pk": loan.pk} for loan in loans_in_both_districts(city))


def contract_names(city):
    return tuple(c.name for c in contracts_in_both_districts(city))


def loan_lenders(city):
    return tuple(loan.lender for loan in loans_in_both_districts(city))


OBJECT_URLS.update(
    {
        "funding:contract-detail": jiangan_and_wuchang_contract(),
        "funding:contract-edit": jiangan_and_wuchang_contract(),
        "funding:contract-right-add": jiangan_and_wuchang_contract(),
        "funding:contract-right-edit": jiangan_and_wuchang_contract("right"),
        "funding:contract-right-remove": jiangan_and_wuchang_contract("right"),
        "funding:contract-flow-add": jiangan_and_wuchang_contract(),
        "funding:contract-flow-remove": jiangan_and_wuchang_contract("flow"),
        "funding:loan-detail": jiangan_and_wuchang_loan,
        "funding:loan-edit": jiangan_and_wuchang_loan,
        "api-funding-contract": jiangan_and_wuchang_contract(),
        "api-funding-contract-rights": jiangan_and_wuchang_contract(),
        "api-funding-contract-right": jiangan_and_wuchang_contract("right"),
        "api-funding-contract-flow": jiangan_and_wuchang_contract("flow"),
        "api-funding-contract-flows": jiangan_and_wuchang_contract(),
        "api-funding-contract-payback": jiangan_and_wuchang_contract(),
        "api-funding-loan": jiangan_and_wuchang_loan,
    }
)
LIST_URLS.update(
    {
        "funding:contract-list": contract_names,
        "api-funding-contracts": contract_names,
        "funding:loan-list": loan_lenders,
        "api-funding-loans": loan_lenders,
    }
)
LIST_RECORDS.update(
    {
        "funding:contract-list": contracts_in_both_districts,
        "api-funding-contracts": contracts_in_both_districts,
        "funding:loan-list": loans_in_both_districts,
        "api-funding-loans": loans_in_both_districts,
    }
)
BODY_SCOPED_WRITES.update(
    {"funding:contract-create": CONTRACT_PAGES, "funding:loan-create": CONTRACT_PAGES}
)
# --- end of funding: contracts ---

# --- funding: ledger ---
# A project's funding plan, postings, reversals, accounts and ledger export are the project's:
# another district's answers 404 through page and API and writes nothing; the overview and the
# totals show the viewer's districts only (anju/funding/tests/test_ledger_pages.py,
# test_totals.py); the sources are city-wide reference data that only the city office switches.
LEDGER_TOTALS = "anju/funding/tests/test_totals.py"


def funded_projects_in_both_districts(city):
    """An approved project in each district with a confirmed funding plan and one receipt
    (funding.tests.ledgering), made once."""
    from anju.access.models import Organisation
    from anju.funding.models import LedgerEntry
    from anju.funding.tests.conftest import approved_project
    from anju.funding.tests.ledgering import confirmed_plan, post
    from anju.planning.models import Project

    utility, _ = Organisation.objects.get_or_create(
        name="国网武汉供电公司", defaults={"kind": Organisation.Kind.UTILITY}
    )
    made = []
    for district, compound in (
        (city.jiangan, city.jiangan_compound),
        (city.wuchang, city.wuchang_compound),
    ):
        code = f"2027-{district.code}-L01"
        project = Project.objects.filter(code=code).first()
        if project is None:
            project = approved_project(district, compound, code)
            confirmed_plan(project, utility)
            post(project, "receipt", "city_special", "1000.00")
        made.append((project, LedgerEntry.objects.filter(project=project).first()))
    return tuple(made)


def jiangan_and_wuchang_funded(related=""):
    def kwargs(city):
        made = []
        for project, entry in funded_projects_in_both_districts(city):
            if related == "entry":
                made.append({"pk": project.pk, "entry_id": entry.pk})
            elif related == "line":
                made.append({"pk": project.pk, "line_id": project.funding_plan.lines.first().pk})
            else:
                made.append({"pk": project.pk})
        return tuple(made)

    return kwargs


def funded_project_codes(city):
    return f"2027-{city.jiangan.code}-L01", f"2027-{city.wuchang.code}-L01"


OBJECT_URLS.update(
    {
        "funding:project": jiangan_and_wuchang_funded(),
        "funding:plan-line-add": jiangan_and_wuchang_funded(),
        "funding:plan-line-remove": jiangan_and_wuchang_funded("line"),
        "funding:plan-confirm": jiangan_and_wuchang_funded(),
        "funding:post": jiangan_and_wuchang_funded(),
        "funding:reverse": jiangan_and_wuchang_funded("entry"),
        "funding:ledger-export": jiangan_and_wuchang_funded(),
        "api-funding-plan": jiangan_and_wuchang_funded(),
        "api-funding-plan-confirm": jiangan_and_wuchang_funded(),
        "api-funding-entries": jiangan_and_wuchang_funded(),
        "api-funding-entry-reverse": jiangan_and_wuchang_funded("entry"),
        "api-funding-accounts": jiangan_and_wuchang_funded(),
    }
)
LIST_URLS.update({"funding:index": funded_project_codes, "api-funding-totals": district_codes})
LIST_RECORDS.update(
    {
        "funding:index": funded_projects_in_both_districts,
        "api-funding-totals": funded_projects_in_both_districts,
    }
)
XLSX_EXPORTS["funding:totals-export"] = LEDGER_TOTALS
CITY_WIDE.update(
    {
        "funding:sources": "anju/funding/tests/test_ledger_pages.py",
        "funding:source-toggle": "anju/funding/tests/test_ledger_pages.py",
    }
)


def jiangan_and_wuchang_ledger_document(city):
    """A PDF on each district's receipt (anju/funding/tests/test_ledger_documents.py), made once."""
    from django.core.files.base import ContentFile

    from anju.funding.models import LedgerDocument

    made = []
    for project, entry in funded_projects_in_both_districts(city):
        document = LedgerDocument.objects.filter(entry=entry).first()
        if document is None:
            content = b"%PDF-1.4\n%%EOF\n"
            document = LedgerDocument(
                entry=entry,
                original_name="coverage.pdf",
                content_type="application/pdf",
                size=len(content),
            )
            document.file.save("coverage.pdf", ContentFile(content), save=False)
            document.save()
        made.append({"pk": project.pk, "document_id": document.pk})
    return tuple(made)


OBJECT_URLS.update(
    {
        "funding:document": jiangan_and_wuchang_ledger_document,
        "api-funding-document": jiangan_and_wuchang_ledger_document,
    }
)
# --- end of funding: ledger ---

# --- funding: sharing ---
# A project's cost shares, their household lines and the contribution sheets are the
# project's: another district's answer 404 through page, API and export and write nothing
# (anju/funding/tests/test_sharing_pages.py, test_sharing_api.py); the floor-coefficient
# tables are city-wide reference data only the city office keeps; a household reads only its
# own lines on the portal (test_portal_share.py).


def shared_projects_in_both_districts(city):
    """The ledger's funded projects with their cost shares computed, made once."""
    from anju.funding.models import CostShare
    from anju.funding.tests.sharing import computed

    made = []
    for project, _entry in funded_projects_in_both_districts(city):
        if not CostShare.objects.filter(project=project).exists():
            computed(project)
        made.append(project)
    return tuple(made)


def jiangan_and_wuchang_shared(related=""):
    def kwargs(city):
        made = []
        for project in shared_projects_in_both_districts(city):
            elevator = project.cost_shares.get(plan_item__item__code="I13")
            if related == "item":
                made.append({"pk": project.pk, "item_id": elevator.plan_item_id})
            elif related == "share":
                made.append({"pk": elevator.pk})
            else:
                made.append({"pk": project.pk})
        return tuple(made)

    return kwargs


OBJECT_URLS.update(
    {
        "funding:sharing": jiangan_and_wuchang_shared(),
        "funding:sharing-compute": jiangan_and_wuchang_shared(),
        "funding:sharing-item": jiangan_and_wuchang_shared("item"),
        "funding:sharing-sheet-pdf": jiangan_and_wuchang_shared(),
        "funding:sharing-sheet-xlsx": jiangan_and_wuchang_shared(),
        "api-funding-shares": jiangan_and_wuchang_shared(),
        "api-funding-shares-compute": jiangan_and_wuchang_shared(),
        "api-funding-share": jiangan_and_wuchang_shared("share"),
        "api-funding-share-contributions": jiangan_and_wuchang_shared("share"),
    }
)
REFERENCE_DATA |= {"funding:sharing-tables", "funding:sharing-table-deactivate"}
RESIDENT_URLS |= {"funding-portal:share", "funding-portal:contribution"}
# --- end of funding: sharing ---


def routes(resolver=None, namespace="", prefix=""):
    """(qualified name, route with {parameters}) for every URL pattern."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from routes(pattern, inner, route)
        else:
            name = f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {route}>"
            yield name, "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def test_every_url_is_classified():
    classified = (
        set(OBJECT_URLS) | set(LIST_URLS) | set(BODY_SCOPED_WRITES) | set(CITY_WIDE) | PUBLIC
    )
    classified |= RESIDENT_URLS | REFERENCE_DATA | set(OWN_TASKS) | set(ADMINISTRATION)
    classified |= set(OWN_QUEUES) | set(XLSX_EXPORTS)
    unclassified = sorted({name for name, _ in routes()} - classified)
    assert not unclassified, f"add these URLs to the scope tests: {unclassified}"


def test_every_api_operation_is_classified(client):
    schema = client.get("/api/schema/?format=json").json()
    covered = set(OBJECT_URLS) | set(LIST_URLS) | set(BODY_SCOPED_WRITES) | set(CITY_WIDE)
    covered |= set(ADMINISTRATION)
    covered_routes = {route for name, route in routes() if name in covered}
    paths = {path.replace("{id}", "{pk}") for path in schema["paths"]}
    unclassified = sorted(paths - covered_routes)
    assert schema["paths"] and not unclassified, (
        f"API operations not in scope tests: {unclassified}"
    )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.mark.parametrize("name", sorted(OBJECT_URLS))
def test_other_districts_object_is_not_found(name, city, jiangan_officer):
    own_kwargs, other_kwargs = OBJECT_URLS[name](city)
    client = signed_in(jiangan_officer)
    events_before = AuditEvent.objects.count()
    compounds_before = list(Compound.objects.values_list("code", "name", "stage"))
    other_url = reverse(name, kwargs=other_kwargs)
    for method in ("get", "post"):
        response = getattr(client, method)(other_url, {"reason": "x"})
        assert response.status_code in (404, 405), (method, other_url, response.status_code)
    assert AuditEvent.objects.count() == events_before
    assert list(Compound.objects.values_list("code", "name", "stage")) == compounds_before
    own_url = reverse(name, kwargs=own_kwargs)
    own_answers = {
        signed_in(jiangan_officer).get(own_url).status_code,
        signed_in(jiangan_officer).post(own_url, {"reason": "x"}).status_code,
    }
    assert own_answers - {404, 405}, f"{name} answers 404/405 even in the officer's district"


@pytest.mark.parametrize("name", sorted(LIST_URLS))
def test_lists_and_exports_leave_out_other_districts(name, city, jiangan_officer):
    client = signed_in(jiangan_officer)
    if name == "core:audit-list":
        from anju.core.scope import Scope
        from anju.territory.services import update_compound

        city_scope = Scope(roles=frozenset({"city_office"}), node_paths=(city.city.path,))
        for compound in (city.jiangan_compound, city.wuchang_compound):
            update_compound(
                actor=get_user_model().objects.first(),
                scope=city_scope,
                compound=compound,
                changes={"address": compound.name + "新址"},
            )
    if name in LIST_RECORDS:
        LIST_RECORDS[name](city)
    response = client.get(reverse(name))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", "replace")
    own, other = LIST_URLS[name](city)
    assert own in text, f"{name} should show {own}"
    assert other not in text, f"{name} leaks {other}"

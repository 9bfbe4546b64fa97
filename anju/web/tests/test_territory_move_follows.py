"""A street handed to another district takes its records with it (territory_moved).

When the city office moves 大智街道 from 江岸区 to 武昌区 (`territory.services.move_node`), the
campaign, vote, scoring-round line, project, work and dig-once conflict of its compound belong
to 武昌区 from then on: 武昌区's officer sees each of them and 江岸区's officer is answered 404
(or no longer finds them in the list), exactly as if they had been made after the move. Each app
that keeps its own copy of a territory path rewrites it in the move's transaction.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from anju.access.models import Organisation
from anju.access.scope import scope_for
from anju.conftest import make_compound, make_node
from anju.coordination.models import Conflict, PackageProposal, Work
from anju.engagement.models import Campaign, Matter, Vote
from anju.planning import rounds, selectors, services
from anju.planning.models import (
    AreaPackage,
    AreaPackageMember,
    ManualIndicator,
    ManualValue,
    PlanSelection,
    Project,
    RoundEntry,
    ScoringRound,
)
from anju.territory.models import Node
from anju.territory.services import move_node

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 1, 1)


@pytest.fixture
def street_records(city, city_officer):
    """Everything the higher apps hold about 大智街道's compound, made before the move."""
    compound = city.jiangan_compound
    city_scope = scope_for(city_officer)
    campaign = Campaign.objects.create(
        title="大智街道改造需求征集",
        node=city.jiangan_street,
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 3, 31),
    )
    campaign.compounds.add(compound)
    vote = Vote.objects.create(
        title="是否同意改造",
        matter=Matter.RULES_OF_PROCEDURE,
        compound=compound,
        opens_at=timezone.now(),
        closes_at=timezone.now() + dt.timedelta(days=14),
    )
    five = services.create_five_year_plan(
        actor=city_officer, scope=city_scope, node=city.city, name="十五五规划",
        start_year=2026, end_year=2030,
    )  # fmt: skip
    plan = services.create_annual_plan(
        actor=city_officer, scope=city_scope, five_year_plan=five, year=2027,
        total_budget=Decimal("500000000"),
    )  # fmt: skip
    scoring_round = rounds.create_round(
        actor=city_officer, scope=city_scope, annual_plan=plan, node=city.city,
        model=rounds.default_model_version(), name="2027年度竞争性生成",
    )  # fmt: skip
    rounds.score_round(actor=city_officer, scope=city_scope, scoring_round=scoring_round)
    rounds.publish_round(
        actor=city_officer, scope=city_scope, scoring_round=scoring_round, confirmed=True
    )
    project = Project.objects.create(
        annual_plan=plan, code="2027-420102-001", name="铭新街小区改造",
        district=city.jiangan, estimated_cost=Decimal("128000"),
    )  # fmt: skip
    project.compounds.add(compound)
    owner = Organisation.objects.create(name="江城燃气（测试）", kind=Organisation.Kind.UTILITY)
    work = Work.objects.create(
        organisation=owner, external_id="gas-1", kind="gas", name="大智路燃气管线",
        starts_on=dt.date(2027, 5, 1), ends_on=dt.date(2027, 6, 30), path=city.jiangan.path,
    )  # fmt: skip
    work.compounds.add(compound)
    conflict = Conflict.objects.create(
        annual_plan=plan, compound=compound, work=work, path=compound.path, distance_m=0,
        relation="overlap", project_starts_on=dt.date(2027, 3, 1),
        project_ends_on=dt.date(2027, 11, 30), detected_at=dt.datetime(2027, 1, 4, tzinfo=dt.UTC),
    )  # fmt: skip
    return {
        "campaign": reverse("engagement:campaign-detail", args=[campaign.pk]),
        "vote": reverse("engagement:vote-detail", args=[vote.pk]),
        "round entry": reverse("planning:round-entry", args=[scoring_round.pk, compound.pk]),
        "work": reverse("coordination:work-detail", args=[work.pk]),
        "conflict": reverse("coordination:conflict-detail", args=[conflict.pk]),
        "plan": plan,
        "project": project,
    }


@pytest.fixture
def moved(city, city_officer, street_records):
    move_node(
        actor=city_officer, scope=scope_for(city_officer), node=city.jiangan_street,
        new_parent=city.wuchang, effective_on=DAY, decision="武政〔2025〕1号",
    )  # fmt: skip
    return street_records


PAGES = ("campaign", "vote", "round entry", "work", "conflict")


@pytest.mark.parametrize("record", PAGES)
def test_the_new_districts_officer_sees_the_moved_streets_record(
    record, moved, wuchang_officer, client_as
):
    assert client_as(wuchang_officer).get(moved[record]).status_code == 200


@pytest.mark.parametrize("record", PAGES)
def test_the_old_districts_officer_is_answered_404_for_the_moved_streets_record(
    record, moved, jiangan_officer, client_as
):
    assert client_as(jiangan_officer).get(moved[record]).status_code == 404


def test_the_project_of_the_moved_street_belongs_to_the_new_district(
    moved, city, wuchang_officer, jiangan_officer, client_as
):
    plan, project = moved["plan"], moved["project"]
    assert list(selectors.projects(plan, scope_for(wuchang_officer))) == [project]
    assert not selectors.projects(plan, scope_for(jiangan_officer)).exists()
    project.refresh_from_db()
    assert project.district == city.wuchang
    page = client_as(wuchang_officer).get(reverse("planning:annual-detail", args=[plan.pk]))
    assert project.code in page.content.decode()


def test_a_project_keeps_its_district_when_only_some_of_its_compounds_move(
    city, city_officer, street_records
):
    project = street_records["project"]
    other_street = make_node(Node.Kind.STREET, "420102002", "一元街道", city.jiangan)
    community = make_node(Node.Kind.COMMUNITY, "420102002001", "黄兴路社区", other_street)
    staying = make_compound(community, "420102002001001", "留守小区", lon=114.3, lat=30.6)
    project.compounds.add(staying)
    move_node(
        actor=city_officer, scope=scope_for(city_officer), node=city.jiangan_street,
        new_parent=city.wuchang, effective_on=DAY,
    )  # fmt: skip
    project.refresh_from_db()
    assert (project.district, project.path) == (city.jiangan, city.jiangan.path)


def test_selections_packages_and_proposals_of_the_moved_street_follow_it(
    city, city_officer, street_records
):
    """The lines a district's budget and packages are reckoned by: the compound's round line
    and plan selection count for the new district, its accepted package and the proposal
    for its street are the new district's."""
    plan, compound = street_records["plan"], city.jiangan_compound
    PlanSelection.objects.create(
        annual_plan=plan, compound=compound, district=city.jiangan, path=compound.path,
        score=1, cost=1,
    )  # fmt: skip
    package = AreaPackage.objects.create(
        key="P-1", name="大智片区", level="area", district=city.jiangan, path=city.jiangan.path
    )
    AreaPackageMember.objects.create(package=package, compound=compound)
    proposal = PackageProposal.objects.create(
        key="PP-1", path=city.jiangan_community.path, group_path=city.jiangan_street.path,
        level="area", households=4, cost=Decimal("128000"),
    )  # fmt: skip
    street_round = ScoringRound.objects.create(
        annual_plan=plan, node=city.jiangan_street, path=city.jiangan_street.path,
        name="大智街道试评", model=rounds.default_model_version(),
    )  # fmt: skip
    indicator = ManualIndicator.objects.create(key="safety", name_zh="安全隐患", name_en="Hazards")
    value = ManualValue.objects.create(
        indicator=indicator, compound=compound, path=compound.path, value=1, evidence="a.pdf"
    )
    move_node(
        actor=city_officer, scope=scope_for(city_officer), node=city.jiangan_street,
        new_parent=city.wuchang, effective_on=DAY,
    )  # fmt: skip
    compound.refresh_from_db()
    street = city.jiangan_street
    street.refresh_from_db()
    for line in (RoundEntry.objects.get(compound=compound), PlanSelection.objects.get()):
        assert (line.district, line.path) == (city.wuchang, compound.path)
    package.refresh_from_db()
    assert (package.district, package.path) == (city.wuchang, city.wuchang.path)
    proposal.refresh_from_db()
    assert proposal.path == street.path + "420102001001/"
    assert proposal.group_path == street.path
    street_round.refresh_from_db()
    value.refresh_from_db()
    assert (street_round.path, value.path) == (street.path, compound.path)


def square(lon, lat, half=0.01):
    ring = [
        [lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half],
        [lon - half, lat + half], [lon - half, lat - half],
    ]  # fmt: skip
    return {"type": "Polygon", "coordinates": [ring]}


def test_a_work_drawn_in_the_moved_streets_outline_goes_with_it_and_others_stay(
    city, city_officer, wuchang_officer, jiangan_officer, client_as
):
    """A work drawn on the map lies in the district whose outline holds it; the moved street's
    outline now belongs to 武昌区, the rest of 江岸区 does not."""
    Node.objects.filter(pk=city.jiangan_street.pk).update(outline=square(114.29, 30.59))
    owner = Organisation.objects.create(name="江城水务（测试）", kind=Organisation.Kind.UTILITY)

    def work(external_id, lon, lat):
        return Work.objects.create(
            organisation=owner, external_id=external_id, kind="water_supply",
            geometry={"type": "Point", "coordinates": [lon, lat]}, starts_on=dt.date(2027, 5, 1),
            ends_on=dt.date(2027, 6, 30), path=city.jiangan.path,
        )  # fmt: skip

    inside, outside = work("w-in", 114.291, 30.591), work("w-out", 114.33, 30.62)
    district_campaign = Campaign.objects.create(
        title="江岸区需求征集", node=city.jiangan, starts_on=DAY, ends_on=DAY
    )
    move_node(
        actor=city_officer, scope=scope_for(city_officer), node=city.jiangan_street,
        new_parent=city.wuchang, effective_on=DAY,
    )  # fmt: skip
    for record in (inside, outside, district_campaign):
        record.refresh_from_db()
    assert (inside.path, outside.path) == (city.wuchang.path, city.jiangan.path)
    assert district_campaign.path == city.jiangan.path
    detail = reverse("coordination:work-detail", args=[inside.pk])
    assert client_as(wuchang_officer).get(detail).status_code == 200
    assert client_as(jiangan_officer).get(detail).status_code == 404

"""Contiguous packages (连片改造): who proposes, what makes a package, and the decisions.

Compounds here are 100 m × 100 m squares on a line running east from a corner in 江岸区
(about 1.4 km from the city fixture's own 江岸 compound, so it never joins them); a square
`east_m` metres along starts there, so squares 150 m apart leave a 50 m gap (neighbours at
the default 100 m) and squares 250 m apart a 150 m gap (not neighbours).
"""

from decimal import Decimal

import pytest
import shapely
from pyproj import Geod

from anju.access.scope import scope_for
from anju.conftest import make_compound, make_node
from anju.coordination import packages
from anju.coordination.models import PackageProposal, ProposalStatus
from anju.core.audit import events_for
from anju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from anju.core.models import AuditEvent
from anju.planning import rounds
from anju.planning import services as planning
from anju.planning.models import AreaPackage, AreaPackageMember
from anju.planning.packages import accept_package
from anju.territory.models import Compound, Node, Stage

pytestmark = pytest.mark.django_db

GEOD = Geod(ellps="WGS84")
LON, LAT = 114.30, 30.60


def moved(east_m=0.0, north_m=0.0):
    lon, lat = LON, LAT
    if east_m:
        lon, lat, _ = GEOD.fwd(lon, lat, 90, east_m)
    if north_m:
        lon, lat, _ = GEOD.fwd(lon, lat, 0, north_m)
    return [lon, lat]


def square(east_m, north_m=0.0, side=100.0):
    ring = [
        moved(east_m, north_m),
        moved(east_m + side, north_m),
        moved(east_m + side, north_m + side),
        moved(east_m, north_m + side),
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def compound_at(community, n, east_m, *, north_m=0.0, households=4, boundary=True):
    """A compound of `community` whose square starts `east_m` metres east of the corner (or,
    without a boundary, whose point is there)."""
    lon, lat = moved(east_m + 50, north_m + 50) if boundary else moved(east_m, north_m)
    compound = make_compound(
        community,
        f"{community.code}{n:03d}",
        f"{community.name}{n}号院",
        lon=lon,
        lat=lat,
        households=households,
    )
    if boundary:
        Compound.objects.filter(pk=compound.pk).update(boundary=square(east_m, north_m))
        compound.refresh_from_db()
    return compound


def a_row(community, *easts, start=10, households=4):
    return [
        compound_at(community, start + i, east, households=households)
        for i, east in enumerate(easts)
    ]


def propose(user, node, **options):
    return packages.propose_packages(actor=user, scope=scope_for(user), node=node, **options)


def members(proposal) -> set[str]:
    return set(proposal.compounds.values_list("name", flat=True))


def proposal_of(compound) -> PackageProposal:
    return compound.package_proposals.get(status=ProposalStatus.PROPOSED)


@pytest.fixture
def another_street(city):
    """A second street of 江岸 whose community lies right next to the first street's."""
    street = make_node(Node.Kind.STREET, "420102002", "四唯街道", city.jiangan)
    return make_node(Node.Kind.COMMUNITY, "420102002001", "新村社区", street)


# --- what makes a package -------------------------------------------------------------------


def test_neighbours_within_100_m_of_one_street_form_one_package(city, jiangan_officer):
    first, second, third = a_row(city.jiangan_community, 0, 150, 300)
    far = compound_at(city.jiangan_community, 20, 550)  # 150 m from the third
    run = propose(jiangan_officer, city.jiangan)
    package = proposal_of(first)
    assert members(package) == {first.name, second.name, third.name}
    assert package.level in ("street", "area") and package.households == 12
    assert package.cost == 3 * Decimal("320.00") * 400
    assert proposal_of(far).level == "single"
    assert run.grouped == 1
    assert package.key == f"PKG-{city.jiangan.code}-{package.pk}"


def test_the_hull_is_wgs84_geojson_around_the_members(city, jiangan_officer):
    compounds = a_row(city.jiangan_community, 0, 150)
    propose(jiangan_officer, city.jiangan)
    hull = shapely.geometry.shape(proposal_of(compounds[0]).hull)
    for compound in compounds:
        footprint = shapely.geometry.shape(compound.boundary)
        assert hull.buffer(1e-7).contains(footprint)
    assert hull.bounds[0] == pytest.approx(LON, abs=1e-4)


def test_a_package_never_crosses_a_street(city, jiangan_officer, another_street):
    west = compound_at(city.jiangan_community, 10, 0)
    east = compound_at(another_street, 10, 120)  # 20 m away, across the street boundary
    propose(jiangan_officer, city.jiangan)
    assert proposal_of(west) != proposal_of(east)
    assert proposal_of(west).level == proposal_of(east).level == "single"


def test_grouping_by_community_keeps_communities_apart(city, jiangan_officer):
    other = make_node(Node.Kind.COMMUNITY, "420102001002", "黎黄陂路社区", city.jiangan_street)
    west = compound_at(city.jiangan_community, 10, 0)
    east = compound_at(other, 10, 150)
    propose(jiangan_officer, city.jiangan)
    assert proposal_of(west) == proposal_of(east)  # one street
    assert proposal_of(west).path == city.jiangan_street.path
    propose(jiangan_officer, city.jiangan, group_by="community")
    assert proposal_of(west) != proposal_of(east)
    assert proposal_of(west).path == city.jiangan_community.path


def test_caps_split_a_run_of_neighbours_into_contiguous_packages(city, jiangan_officer):
    row = a_row(city.jiangan_community, 0, 150, 300)
    crowded = compound_at(city.jiangan_community, 20, 1000, households=10)
    propose(jiangan_officer, city.jiangan, max_households=8)
    assert [len(members(proposal_of(c))) for c in row] == [2, 2, 1]
    assert not any(proposal_of(c).is_over_cap for c in row)
    assert proposal_of(crowded).is_over_cap  # alone above the cap: its own package, flagged


def test_a_compound_without_a_boundary_is_its_point_with_an_80_m_radius(city, jiangan_officer):
    assert packages.POINT_RADIUS_M == 80
    first = compound_at(city.jiangan_community, 10, 0, boundary=False)
    near = compound_at(city.jiangan_community, 11, 250, boundary=False)  # gap 250 − 160 = 90
    far = compound_at(city.jiangan_community, 12, 520, boundary=False)  # gap 270 − 160 = 110
    propose(jiangan_officer, city.jiangan)
    assert proposal_of(first) == proposal_of(near) != proposal_of(far)


def test_a_compound_without_boundary_or_point_is_left_out_and_named(city, jiangan_officer):
    lost = compound_at(city.jiangan_community, 10, 0)
    Compound.objects.filter(pk=lost.pk).update(boundary=None, longitude=None, latitude=None)
    run = propose(jiangan_officer, city.jiangan)
    assert run.left_out == [lost.name]
    assert not lost.package_proposals.exists()


def test_only_compounds_not_yet_planned_are_candidates(city, jiangan_officer):
    open_one, planned = a_row(city.jiangan_community, 0, 150)
    Compound.objects.filter(pk=planned.pk).update(stage=Stage.PLANNED)
    propose(jiangan_officer, city.jiangan)
    assert members(proposal_of(open_one)) == {open_one.name}
    assert not planned.package_proposals.exists()


# --- who may --------------------------------------------------------------------------------


def test_a_district_proposes_only_inside_its_own_territory(city, wuchang_officer):
    with pytest.raises(NotFound):
        propose(wuchang_officer, city.jiangan)
    with pytest.raises(NotFound):
        propose(wuchang_officer, city.city)  # above its district, not inside it
    assert not PackageProposal.objects.exists()


def test_a_community_worker_may_not_propose(city, jiangan_community_worker):
    with pytest.raises(PermissionDenied):
        propose(jiangan_community_worker, city.jiangan_community)


def test_a_wuchang_officer_neither_sees_nor_accepts_a_jiangan_proposal(
    city, jiangan_officer, wuchang_officer
):
    a_row(city.jiangan_community, 0, 150)
    proposal = propose(jiangan_officer, city.jiangan).proposals[0]
    wuchang = scope_for(wuchang_officer)
    with pytest.raises(NotFound):
        packages.get_proposal(wuchang, proposal.key)
    with pytest.raises(NotFound):
        packages.accept_proposal(
            actor=wuchang_officer, scope=wuchang, proposal=proposal, name="越界", confirmed=True
        )
    assert not packages.proposal_list(scope=wuchang).exists()
    assert not AreaPackage.objects.exists()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED


def test_the_parameters_are_checked_and_named(city, jiangan_officer):
    with pytest.raises(DomainError) as error:
        propose(jiangan_officer, city.jiangan, distance_m=-1, group_by="district", max_cost=0)
    assert set(error.value.fields) == {"distance_m", "group_by", "max_cost"}


# --- accepting and rejecting ----------------------------------------------------------------


def score_a_round(city, city_officer):
    scope = scope_for(city_officer)
    five = planning.create_five_year_plan(
        actor=city_officer,
        scope=scope,
        node=city.city,
        name="武汉市“十五五”老旧小区改造规划",
        start_year=2026,
        end_year=2030,
    )
    annual = planning.create_annual_plan(
        actor=city_officer,
        scope=scope,
        five_year_plan=five,
        year=2027,
        total_budget=Decimal("500000000"),
    )
    scoring_round = rounds.create_round(
        actor=city_officer,
        scope=scope,
        annual_plan=annual,
        node=city.city,
        model=rounds.default_model_version(),
        name="2027年度竞争性生成",
    )
    return rounds.score_round(actor=city_officer, scope=scope, scoring_round=scoring_round)


def test_accepting_makes_the_planning_package_and_the_next_round_marks_its_members(
    city, jiangan_officer, city_officer
):
    row = a_row(city.jiangan_community, 0, 150, 300)
    propose(jiangan_officer, city.jiangan)
    proposal = proposal_of(row[0])
    package = packages.accept_proposal(
        actor=jiangan_officer,
        scope=scope_for(jiangan_officer),
        proposal=proposal,
        name="天声街片区",
        is_model_project=True,
        confirmed=True,
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.decided_by == jiangan_officer
    assert (package.key, package.name, package.district) == (
        proposal.key,
        "天声街片区",
        city.jiangan,
    )
    assert package.is_model_project and package.level == proposal.level
    assert set(package.members.values_list("compound_id", flat=True)) == {c.pk for c in row}
    scored = score_a_round(city, city_officer)
    marked = dict(scored.entries.values_list("compound_id", "package"))
    assert {marked[c.pk] for c in row} == {proposal.key}
    assert marked[city.jiangan_compound.pk] == ""
    assert AuditEvent.objects.filter(verb="package.accepted").count() == 1


def test_a_decided_proposal_cannot_be_decided_again(city, jiangan_officer):
    a_row(city.jiangan_community, 0, 150)
    proposal = propose(jiangan_officer, city.jiangan).proposals[0]
    scope = scope_for(jiangan_officer)
    packages.reject_proposal(actor=jiangan_officer, scope=scope, proposal=proposal, reason="x")
    with pytest.raises(Conflict):
        packages.accept_proposal(
            actor=jiangan_officer, scope=scope, proposal=proposal, name="y", confirmed=True
        )
    assert not AreaPackage.objects.exists()


def test_rejecting_needs_a_reason_and_the_log_keeps_it(city, jiangan_officer):
    a_row(city.jiangan_community, 0, 150)
    proposal = propose(jiangan_officer, city.jiangan).proposals[0]
    scope = scope_for(jiangan_officer)
    with pytest.raises(DomainError):
        packages.reject_proposal(actor=jiangan_officer, scope=scope, proposal=proposal, reason=" ")
    packages.reject_proposal(
        actor=jiangan_officer, scope=scope, proposal=proposal, reason="两小区产权单位不同"
    )
    event = AuditEvent.objects.get(verb="package.rejected")
    assert event.summary == "两小区产权单位不同" and event.territory_path == proposal.path


def test_when_planning_refuses_the_acceptance_is_withdrawn(city, jiangan_officer, city_officer):
    row = a_row(city.jiangan_community, 0, 150)
    propose(jiangan_officer, city.jiangan)
    proposal = proposal_of(row[0])
    accept_package(  # the key is taken, by another package of another compound
        actor=city_officer,
        scope=scope_for(city_officer),
        key=proposal.key,
        name="别的片区",
        level="single",
        compounds=[city.jiangan_compound],
    )
    with pytest.raises(Conflict):
        packages.accept_proposal(
            actor=jiangan_officer,
            scope=scope_for(jiangan_officer),
            proposal=proposal,
            name="片区",
            confirmed=True,
        )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED and proposal.decided_at is None
    assert not AreaPackageMember.objects.filter(compound__in=row).exists()
    verbs = sorted(events_for(proposal).values_list("pk", "verb"))
    assert [verb for _, verb in verbs] == ["package.accepted", "package.acceptance_withdrawn"]


# --- re-running -----------------------------------------------------------------------------


def test_reproposing_replaces_open_proposals_and_keeps_decided_ones(city, jiangan_officer):
    scope = scope_for(jiangan_officer)
    accepted_row = a_row(city.jiangan_community, 0, 150, start=10)
    rejected_row = a_row(city.jiangan_community, 1000, 1150, start=20)
    open_row = a_row(city.jiangan_community, 2000, 2150, start=30)
    first = propose(jiangan_officer, city.jiangan)
    accepted, rejected, opened = (proposal_of(r[0]) for r in (accepted_row, rejected_row, open_row))
    packages.accept_proposal(
        actor=jiangan_officer, scope=scope, proposal=accepted, name="甲片区", confirmed=True
    )
    packages.reject_proposal(actor=jiangan_officer, scope=scope, proposal=rejected, reason="暂缓")
    second = propose(jiangan_officer, city.jiangan)
    assert second.replaced == len(first.proposals) - 2
    assert not PackageProposal.objects.filter(pk=opened.pk).exists()
    assert PackageProposal.objects.get(pk=accepted.pk).status == ProposalStatus.ACCEPTED
    assert PackageProposal.objects.get(pk=rejected.pk).status == ProposalStatus.REJECTED
    proposed_again = {m for p in second.proposals for m in members(p)}
    assert {c.name for c in rejected_row + open_row} <= proposed_again
    assert not {c.name for c in accepted_row} & proposed_again
    old_keys = {p.key for p in first.proposals}
    assert not old_keys & {p.key for p in second.proposals}  # no key is given twice


def test_a_street_run_replaces_only_proposals_holding_its_compounds(
    city, jiangan_officer, another_street
):
    here = compound_at(city.jiangan_community, 10, 0)
    there = compound_at(another_street, 10, 5000)
    propose(jiangan_officer, city.jiangan)
    kept = proposal_of(there)
    propose(jiangan_officer, city.jiangan_street)
    assert proposal_of(there) == kept and proposal_of(here).parameters["node"] == "420102001"


# --- split and merge ------------------------------------------------------------------------


def test_split_refuses_a_part_that_is_not_contiguous(city, jiangan_officer):
    west, middle, east = a_row(city.jiangan_community, 0, 150, 300)
    propose(jiangan_officer, city.jiangan)
    proposal = proposal_of(west)
    scope = scope_for(jiangan_officer)
    with pytest.raises(DomainError) as error:
        packages.split_proposal(
            actor=jiangan_officer, scope=scope, proposal=proposal, member_ids=[west.pk, east.pk]
        )
    assert error.value.code == "package_not_contiguous"
    assert west.name in str(error.value.message) and "100" in str(error.value.message)
    assert members(proposal) == {west.name, middle.name, east.name}
    part = packages.split_proposal(
        actor=jiangan_officer, scope=scope, proposal=proposal, member_ids=[west.pk]
    )
    proposal.refresh_from_db()
    assert members(part) == {west.name} and part.level == "single"
    assert members(proposal) == {middle.name, east.name} and proposal.households == 8
    assert part.key != proposal.key and part.key.startswith(f"PKG-{city.jiangan.code}-")
    assert AuditEvent.objects.filter(verb="package.split").count() == 2


def test_merge_joins_two_neighbours_and_flags_the_cap(city, jiangan_officer):
    row = a_row(city.jiangan_community, 0, 150, 300)
    propose(jiangan_officer, city.jiangan, max_households=8)
    first, second = proposal_of(row[0]), proposal_of(row[2])
    merged = packages.merge_proposals(
        actor=jiangan_officer, scope=scope_for(jiangan_officer), first=first, second=second
    )
    assert merged.pk == first.pk and members(merged) == {c.name for c in row}
    assert merged.households == 12 and merged.is_over_cap
    assert not PackageProposal.objects.filter(pk=second.pk).exists()


def test_merge_refuses_proposals_apart_or_of_different_streets(
    city, jiangan_officer, another_street
):
    west = compound_at(city.jiangan_community, 10, 0)
    far = compound_at(city.jiangan_community, 11, 400)
    across = compound_at(another_street, 10, -120)
    propose(jiangan_officer, city.jiangan)
    scope = scope_for(jiangan_officer)
    with pytest.raises(DomainError) as apart:
        packages.merge_proposals(
            actor=jiangan_officer, scope=scope, first=proposal_of(west), second=proposal_of(far)
        )
    assert apart.value.code == "package_not_contiguous"
    with pytest.raises(DomainError) as streets:
        packages.merge_proposals(
            actor=jiangan_officer, scope=scope, first=proposal_of(west), second=proposal_of(across)
        )
    assert streets.value.code == "package_merge_groups"
    assert PackageProposal.objects.count() == 4  # with the fixture's own compound

"""The factories build valid, scoped rows (STYLE 18: factories are tested too)."""

from __future__ import annotations

from anju.access.models import Role

from .factories import (
    CommunityFactory,
    CompoundFactory,
    DistrictFactory,
    HouseholdFactory,
    RoleAssignmentFactory,
)


def test_nodes_share_their_ancestors(db):
    first, second = CommunityFactory(), CommunityFactory()
    assert first.parent == second.parent
    assert first.path.startswith("4201/420102/420102001/")
    assert first.depth == 3


def test_a_household_belongs_to_its_units_compound(db):
    household = HouseholdFactory()
    assert household.compound == household.unit.building.compound
    household.full_clean()
    household.compound.full_clean()


def test_a_compound_lives_under_its_community(db):
    wuchang = DistrictFactory(code="420106", name="武昌区")
    compound = CompoundFactory(community__parent__parent=wuchang)
    assert compound.path.startswith("4201/420106/")


def test_role_assignments_are_valid(db):
    assignment = RoleAssignmentFactory(role=Role.COMMUNITY_WORKER)
    assignment.full_clean()
    assert assignment.user.check_password("correct horse battery staple")

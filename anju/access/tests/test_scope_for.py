"""`scope_for(user)`: what a signed-in person may see."""

from __future__ import annotations

import pytest

from anju.access.models import Role
from anju.access.scope import scope_for, scope_for_household
from anju.territory.selectors import compound_list

from .factories import RoleAssignmentFactory, UserFactory


def visible(scope):
    return set(compound_list(scope=scope).values_list("name", flat=True))


def test_a_district_officer_sees_their_district_only(town, jiangan_officer):
    scope = scope_for(jiangan_officer)
    assert scope.node_paths == (town.jiangan.path,)
    assert scope.is_staff and not scope.is_resident
    assert visible(scope) == {town.jiangan_compound.name}


def test_the_city_office_sees_every_district(town, city_officer):
    assert visible(scope_for(city_officer)) == {
        town.jiangan_compound.name,
        town.wuchang_compound.name,
    }


def test_nested_assignments_collapse_to_the_widest(town, jiangan_officer):
    RoleAssignmentFactory(
        user=jiangan_officer, role=Role.COMMUNITY_WORKER, node=town.jiangan_community
    )
    scope = scope_for(jiangan_officer)
    assert scope.node_paths == (town.jiangan.path,)
    assert scope.roles == {Role.DISTRICT_TASK_FORCE, Role.COMMUNITY_WORKER}


def test_two_districts_add_up(town, jiangan_officer):
    RoleAssignmentFactory(user=jiangan_officer, node=town.wuchang)
    assert len(visible(scope_for(jiangan_officer))) == 2


def test_a_designer_sees_the_compounds_assigned_to_their_firm(town, designer):
    scope = scope_for(designer)
    assert scope.node_paths == ()
    assert scope.compound_ids == {town.jiangan_compound.pk}
    assert scope.organisation_id is not None
    assert visible(scope) == {town.jiangan_compound.name}


@pytest.mark.parametrize(
    ("persona", "sees_personal_data"),
    [
        ("jiangan_community_worker", True),
        ("jiangan_street_officer", True),
        ("jiangan_officer", False),
        ("city_officer", False),
        ("designer", False),
    ],
)
def test_only_community_workers_and_street_offices_see_personal_data(
    town, persona, sees_personal_data, request
):
    user = request.getfixturevalue(persona)
    assert scope_for(user).may_see_personal_data is sees_personal_data


def test_users_without_roles_see_nothing(town):
    scope = scope_for(UserFactory(username="nobody"))
    assert scope.is_empty
    assert visible(scope) == set()


def test_inactive_users_see_nothing(town, jiangan_officer):
    jiangan_officer.is_active = False
    assert scope_for(jiangan_officer).is_empty


def test_anonymous_and_missing_users_see_nothing(db):
    from django.contrib.auth.models import AnonymousUser

    assert scope_for(AnonymousUser()).is_empty
    assert scope_for(None).is_empty


def test_a_household_sees_its_own_compound(town):
    household = town.wuchang_households[0]
    scope = scope_for_household(household)
    assert scope.is_resident and not scope.is_staff
    assert visible(scope) == {town.wuchang_compound.name}

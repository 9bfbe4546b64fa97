"""Accepted packages: chosen together or not at all, one Project, inside one district."""

import datetime as dt

import pytest

from anju.core.errors import Conflict, DomainError, NotFound
from anju.planning import packages, rounds, scenarios
from anju.planning.models import Project
from anju.planning.tests.conftest import scope_of
from anju.planning.tests.test_scenarios import ONE_COMPOUND, approve

pytestmark = pytest.mark.django_db


def accept(actor, scope, compounds, key="PKG-1"):
    return packages.accept_package(
        actor=actor,
        scope=scope,
        key=key,
        name="天声街片区",
        level="area",
        compounds=compounds,
        is_model_project=True,
    )


def test_a_district_accepts_a_package_of_its_own_compounds(city, candidates, jiangan_officer):
    jiangan = scope_of("district_task_force", city.jiangan)
    package = accept(jiangan_officer, jiangan, candidates.jiangan)
    assert package.members.count() == 3 and package.district == city.jiangan
    with pytest.raises(NotFound):
        accept(jiangan_officer, jiangan, candidates.wuchang, key="PKG-2")
    with pytest.raises(Conflict):
        accept(jiangan_officer, jiangan, candidates.jiangan[:1], key="PKG-3")


def test_a_package_stays_in_one_district(city, candidates, city_officer, city_scope):
    with pytest.raises(DomainError) as error:
        accept(city_officer, city_scope, [candidates.jiangan[0], candidates.wuchang[0]])
    assert error.value.code == "package_across_districts"


def test_an_accepted_package_is_chosen_whole_and_becomes_one_named_project(
    city, candidates, city_officer, scored_round, solve
):
    city_scope = scope_of("city_office", city.city)
    accept(city_officer, city_scope, candidates.jiangan)
    scoring_round = rounds.score_round(
        actor=city_officer, scope=city_scope, scoring_round=scored_round
    )
    scoring_round = rounds.publish_round(
        actor=city_officer, scope=city_scope, scoring_round=scoring_round, confirmed=True
    )
    keys = set(
        scoring_round.entries.filter(district=city.jiangan).values_list("package", flat=True)
    )
    assert keys == {"PKG-1"}
    tight = solve(scoring_round, 2 * ONE_COMPOUND)
    chosen = {int(pk) for pk in tight.result["selected"]}
    assert not chosen & {c.pk for c in candidates.jiangan}  # the three don't fit in two
    roomy = solve(scoring_round, 5 * ONE_COMPOUND)
    plan = scenarios.adopt_scenario(actor=city_officer, scope=city_scope, scenario=roomy)
    plan = approve(plan, city, city_officer, city_scope)
    project = Project.objects.get(annual_plan=plan, district=city.jiangan)
    assert project.name == "天声街片区" and project.compounds.count() == 3
    assert (project.starts_on, project.ends_on) == (dt.date(2027, 3, 1), dt.date(2027, 11, 30))

"""A city with a five-year plan, a 2027 annual plan, six candidate compounds and a round."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from anju.conftest import make_compound
from anju.core.scope import Scope
from anju.planning import rounds, scenarios, services
from anju.territory.models import Compound


def scope_of(role, node):
    return Scope(roles=frozenset({role}), node_paths=(node.path,))


@pytest.fixture
def city_scope(city):
    return scope_of("city_office", city.city)


@pytest.fixture
def plan(city, city_officer, city_scope):
    five = services.create_five_year_plan(
        actor=city_officer,
        scope=city_scope,
        node=city.city,
        name="武汉市“十五五”老旧小区改造规划",
        start_year=2026,
        end_year=2030,
    )
    for district in (city.jiangan, city.wuchang):
        services.set_district_target(
            actor=city_officer,
            scope=city_scope,
            plan=five,
            district=district,
            values={"compounds": 100},
        )
    return services.create_annual_plan(
        actor=city_officer,
        scope=city_scope,
        five_year_plan=five,
        year=2027,
        total_budget=Decimal("500000000"),
    )


@dataclass
class Candidates:
    jiangan: list[Compound]
    wuchang: list[Compound]

    @property
    def all(self) -> list[Compound]:
        return self.jiangan + self.wuchang


@pytest.fixture
def candidates(city) -> Candidates:
    """Three compounds per district with distinct ages and sizes (so no two totals tie); each
    costs 320 m² × 400 = 128,000 元."""
    Compound.objects.filter(pk=city.wuchang_compound.pk).update(year_built=1970)
    extra = []
    for community, prefix, rows in (
        (city.jiangan_community, "420102001001", ((1975, 2), (1995, 3))),
        (city.wuchang_community, "420106001001", ((1980, 5), (1999, 6))),
    ):
        for n, (year, households) in enumerate(rows, start=2):
            compound = make_compound(
                community,
                f"{prefix}{n:03d}",
                f"{community.name}{n}号院",
                lon=114.3,
                lat=30.58,
                households=households,
            )
            Compound.objects.filter(pk=compound.pk).update(year_built=year)
            extra.append(compound)
    return Candidates(
        jiangan=[city.jiangan_compound, *extra[:2]], wuchang=[city.wuchang_compound, *extra[2:]]
    )


@pytest.fixture
def scored_round(plan, city, city_officer, city_scope, candidates):
    scoring_round = rounds.create_round(
        actor=city_officer,
        scope=city_scope,
        annual_plan=plan,
        node=city.city,
        model=rounds.default_model_version(),
        name="2027年度竞争性生成",
    )
    return rounds.score_round(actor=city_officer, scope=city_scope, scoring_round=scoring_round)


@pytest.fixture
def solve(city_officer, city_scope, django_capture_on_commit_callbacks):
    """Create a scenario and run its background job."""

    def run(scoring_round, budget, **options):
        with django_capture_on_commit_callbacks(execute=True):
            scenario = scenarios.create_scenario(
                actor=city_officer,
                scope=city_scope,
                scoring_round=scoring_round,
                name=options.pop("name", f"预算{budget}"),
                total_budget=Decimal(budget),
                **options,
            )
        scenario.refresh_from_db()
        return scenario

    return run

"""Shared construction fixtures: an approved 2027 project in 江岸区 (and one in 武昌区), the
construction, supervision and design units with valid credit codes and their staff, and a
resident of the project's compound (personas come from anju/conftest.py)."""

import pytest
from stdnum.cn import uscc

from anju.access.models import CompoundAssignment, Organisation, Role
from anju.access.scope import RESIDENT_SESSION_KEY
from anju.conftest import make_user
from anju.design.tests.conftest import make_project
from anju.planning.models import AnnualPlan, AnnualPlanStatus, FiveYearPlan
from anju.territory.models import Stage


def credit_code(stem: str) -> str:
    """A valid unified social credit code (GB 32100-2015) from a 17-character stem."""
    return stem + uscc.calc_check_digit(stem)


def make_company(name, kind, stem):
    return Organisation.objects.create(name=name, kind=kind, credit_code=credit_code(stem))


@pytest.fixture
def approved_project(city):
    """江岸区's project 2027-420102-001 (铭新街小区), through joint review: stage approved."""
    five = FiveYearPlan.objects.create(
        name="十五五", start_year=2026, end_year=2030, node=city.city
    )
    plan = AnnualPlan.objects.create(
        five_year_plan=five, year=2027, status=AnnualPlanStatus.APPROVED
    )
    project = make_project(plan, city.jiangan, city.jiangan_compound, "2027-420102-001")
    project.stage = Stage.APPROVED
    project.save(update_fields=["stage"])
    return project


@pytest.fixture
def wuchang_approved_project(city, approved_project):
    project = make_project(
        approved_project.annual_plan, city.wuchang, city.wuchang_compound, "2027-420106-001"
    )
    project.stage = Stage.APPROVED
    project.save(update_fields=["stage"])
    return project


@pytest.fixture
def builder_firm(city):
    return make_company("楚天建设有限公司", Organisation.Kind.CONSTRUCTION, "91420100MA4K00001")


@pytest.fixture
def supervisor_firm(city):
    return make_company("江城工程监理有限公司", Organisation.Kind.SUPERVISION, "91420100MA4K00002")


@pytest.fixture
def design_firm(city):
    return make_company("中南设计研究院", Organisation.Kind.DESIGNER, "91420100MA4K00003")


@pytest.fixture
def builder(builder_firm):
    """Staff of the construction unit (sees a project once it is named a party to it)."""
    return make_user("builder-staff", Role.CONSTRUCTION_UNIT, organisation=builder_firm)


@pytest.fixture
def supervisor(supervisor_firm):
    return make_user("supervisor-staff", Role.SUPERVISION_UNIT, organisation=supervisor_firm)


@pytest.fixture
def other_builder(city):
    """A construction unit working only on 武昌's compound."""
    firm = make_company("武昌建工集团", Organisation.Kind.CONSTRUCTION, "91420100MA4K00004")
    CompoundAssignment.objects.create(organisation=firm, compound=city.wuchang_compound)
    return make_user("other-builder", Role.CONSTRUCTION_UNIT, organisation=firm)


@pytest.fixture
def project_household(city):
    return city.jiangan_compound.households.order_by("pk").first()


@pytest.fixture
def resident_of(client):
    """resident_of(household) signs the test client in as that household."""

    def sign_in(household):
        session = client.session
        session[RESIDENT_SESSION_KEY] = household.pk
        session.save()
        return client

    return sign_in


# --- parties and schedule: a project with its parties named and a schedule (delivering.py) ---
from .delivering import building_project, named_project  # noqa: E402, F401

"""`anju demo` puts the demo property company's compounds under red-property contracts, gives
江岸区's compounds committees and party branches, registers party members with hours at the
first demo compound, so the coverage pages show real figures; a second run changes nothing."""

import pytest

from anju.access.models import CompoundAssignment, Organisation
from anju.access.tests.test_demo_command import run_demo, small_city
from anju.core.models import AuditEvent
from anju.core.scope import Scope
from anju.stewardship.models import (
    CommitteeMember,
    GovernanceProfile,
    PartyMember,
    PropertyContract,
    ServiceRecord,
)
from anju.stewardship.selectors import coverage as selectors

pytestmark = pytest.mark.django_db

DEMO_COMPANY = "江岸红色物业服务有限公司（演示）"


@pytest.fixture
def demo():
    small_city()
    run_demo()


def test_the_demo_companys_compounds_are_under_red_property_contracts(demo):
    company = Organisation.objects.get(name=DEMO_COMPANY)
    served = set(
        CompoundAssignment.objects.filter(organisation=company).values_list("compound", flat=True)
    )
    contracts = PropertyContract.objects.filter(company=company).select_related("compound")
    assert served and {c.compound_id for c in contracts} == served
    assert {c.compound.management_status for c in contracts} == {"red_property"}


def test_the_jiangan_coverage_report_shows_real_figures(demo):
    jiangan = Scope(roles=frozenset({"district_task_force"}), node_paths=("4201/420102/",))
    report = selectors.coverage_report(jiangan, over_time=False)
    assert report.total.compounds > 0
    assert report.total.with_property > 0
    assert report.total.with_party > 0
    assert GovernanceProfile.objects.exists() and CommitteeMember.objects.exists()
    assert ServiceRecord.objects.filter(member__in=PartyMember.objects.all()).count() == 3


def test_a_second_demo_run_changes_no_coverage_record(demo):
    def counts():
        return (
            PropertyContract.objects.count(),
            GovernanceProfile.objects.count(),
            CommitteeMember.objects.count(),
            PartyMember.objects.count(),
            ServiceRecord.objects.count(),
            AuditEvent.objects.filter(verb__startswith="stewardship.").count(),
        )

    before = counts()
    run_demo()
    assert counts() == before

"""The demo's cost shares: the elevator of an approved demo project shared by the seeded
floor-coefficient table, through the services, once."""

import pytest
from django.core.management import call_command

from anju.funding.models import CostShare, HouseholdContribution

pytestmark = pytest.mark.django_db


def test_the_demo_shares_the_elevator_by_floor_once(jiangan_funded_project):
    call_command("demo_funding")
    elevator = CostShare.objects.get(project=jiangan_funded_project, plan_item__item__code="I13")
    assert elevator.method == CostShare.Method.BY_FLOOR_COEFFICIENTS
    lines = HouseholdContribution.objects.filter(share=elevator)
    assert sum(lines.values_list("amount", flat=True)) == elevator.residents_part
    assert set(lines.filter(floor__lte=2).values_list("amount", flat=True)) == {0}
    made = list(lines.values_list("pk", flat=True))
    call_command("demo_funding")
    assert (
        list(HouseholdContribution.objects.filter(share=elevator).values_list("pk", flat=True))
        == made
    )

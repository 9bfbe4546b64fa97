"""The demo's funding plan and postings: made through the services, idempotent."""

import pytest
from django.core.management import call_command

from anju.funding.models import FundingPlan, LedgerEntry

pytestmark = pytest.mark.django_db


def test_the_demo_confirms_a_plan_and_posts_once(jiangan_funded_project):
    call_command("demo_funding")
    plan = FundingPlan.objects.get(project=jiangan_funded_project)
    assert plan.status == FundingPlan.Status.CONFIRMED
    assert plan.confirmed_total == sum(line.amount for line in plan.lines.all())
    posted = LedgerEntry.objects.count()
    assert posted == 2  # no confirmed progress yet: committed and received, nothing paid out
    call_command("demo_funding")
    assert LedgerEntry.objects.count() == posted

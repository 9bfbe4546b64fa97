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
    assert {line.source.code for line in plan.lines.all()} >= {
        "central_subsidy",
        "city_special",
        "district_fiscal",
    }
    posted = LedgerEntry.objects.count()
    kinds = sorted(LedgerEntry.objects.values_list("account__source__code", "kind"))
    # no confirmed progress yet: committed and received, nothing paid out
    assert ("central_subsidy", "receipt") in kinds and ("city_special", "receipt") in kinds
    assert not any(kind == "disbursement" for _code, kind in kinds)
    call_command("demo_funding")
    assert LedgerEntry.objects.count() == posted

"""`generate_city --replace` after the full `anju demo`: every app forgets what it made for
the old registry, from the top layer down (funding sits at the top, so the test lives here)."""

import pytest
from django.db import transaction

from anju.construction.models import Finding, ProjectParty, SatisfactionSurvey, WorkType
from anju.construction.tests.test_demo_construction import demo_output  # noqa: F401 - fixture
from anju.design.models import Notice, PlanVersion, Review
from anju.funding.models import FundingSource, HouseholdContribution, LedgerEntry
from anju.planning.models import Project
from anju.territory.management.commands.generate_city import Command as GenerateCity
from anju.territory.models import Household

pytestmark = pytest.mark.django_db


def test_replacing_the_city_after_the_full_demo_drops_every_project_record_and_keeps_the_checklists(
    demo_output,  # noqa: F811 - the fixture
):
    """`generate_city --replace` after `anju demo` used to stop: posted ledger lines, parties,
    notices and reviews protect the projects planning drops. Each app now forgets its own
    records from the top layer down; reference data stays."""
    assert LedgerEntry.objects.exists() and Review.objects.exists()
    assert HouseholdContribution.objects.exists()  # the demo shares its elevator by floor
    with transaction.atomic():
        GenerateCity().delete_registry()

    for model in (Project, PlanVersion, Notice, ProjectParty, SatisfactionSurvey, LedgerEntry):
        assert not model.objects.exists(), model
    assert not Household.objects.exists() and not HouseholdContribution.objects.exists()
    assert not Finding.objects.exists()
    assert FundingSource.objects.count() == 21 and WorkType.objects.count() == 8

"""Accepting a package cannot be undone (its compounds are then chosen together or not at all,
and approval makes them one Project), so it is confirmed after saying so; and a proposal made
before the annual plan covering it was approved is stale: refused, with no button to press."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from anju.access.scope import scope_for
from anju.coordination import packages
from anju.coordination.models import ProposalStatus
from anju.coordination.tests.test_packages import a_row, proposal_of, propose
from anju.core.errors import DomainError
from anju.planning import services as planning
from anju.planning.models import AnnualPlan, AnnualPlanStatus, AreaPackage

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(city, jiangan_officer):
    row = a_row(city.jiangan_community, 0, 150, 300)
    propose(jiangan_officer, city.jiangan)
    return proposal_of(row[0])


def approve_a_plan(city, city_officer, when):
    scope = scope_for(city_officer)
    five = planning.create_five_year_plan(
        actor=city_officer, scope=scope, node=city.city, name="十五五", start_year=2026,
        end_year=2030,
    )  # fmt: skip
    annual = planning.create_annual_plan(
        actor=city_officer, scope=scope, five_year_plan=five, year=2026, total_budget=Decimal(1)
    )
    AnnualPlan.objects.filter(pk=annual.pk).update(
        status=AnnualPlanStatus.APPROVED, approved_at=when
    )


def test_accepting_unconfirmed_is_refused_saying_what_it_means(proposal, jiangan_officer):
    scope = scope_for(jiangan_officer)
    with pytest.raises(DomainError) as error:
        packages.accept_proposal(
            actor=jiangan_officer, scope=scope, proposal=proposal, name="天声街片区"
        )
    assert error.value.code == "confirmation_required"
    assert "3 个小区" in error.value.message and "不能撤销" in error.value.message
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED and not AreaPackage.objects.exists()

    packages.accept_proposal(
        actor=jiangan_officer, scope=scope, proposal=proposal, name="天声街片区", confirmed=True
    )
    assert AreaPackage.objects.filter(key=proposal.key).exists()


def test_the_accept_forms_ask_to_confirm(proposal, city, jiangan_officer, client_as):
    client = client_as(jiangan_officer)
    detail = client.get(reverse("coordination:package-detail", kwargs={"key": proposal.key}))
    listed = client.get(reverse("coordination:package-list"), {"node": city.jiangan.code})
    for page in (detail, listed):
        text = page.content.decode()
        assert 'name="confirm"' in text and "不能撤销" in text
    accept = reverse("coordination:package-accept", kwargs={"key": proposal.key})
    client.post(accept, {"name": "天声街片区"})
    assert not AreaPackage.objects.exists()
    client.post(accept, {"name": "天声街片区", "confirm": "on"})
    assert AreaPackage.objects.filter(key=proposal.key).exists()


def test_a_proposal_older_than_the_plans_approval_is_refused_and_offers_no_button(
    proposal, city, city_officer, jiangan_officer, client_as
):
    approve_a_plan(city, city_officer, timezone.now() + dt.timedelta(seconds=1))
    with pytest.raises(DomainError) as error:
        packages.accept_proposal(
            actor=jiangan_officer,
            scope=scope_for(jiangan_officer),
            proposal=proposal,
            name="天声街片区",
            confirmed=True,
        )
    assert error.value.code == "proposal_stale" and "重新生成" in error.value.message
    assert not AreaPackage.objects.exists()

    detail = client_as(jiangan_officer).get(
        reverse("coordination:package-detail", kwargs={"key": proposal.key})
    )
    text = detail.content.decode()
    assert reverse("coordination:package-accept", kwargs={"key": proposal.key}) not in text
    assert "重新生成" in text


def test_a_proposal_made_after_the_approval_may_be_accepted(
    proposal, city, city_officer, jiangan_officer
):
    approve_a_plan(city, city_officer, timezone.now() - dt.timedelta(days=1))
    packages.accept_proposal(
        actor=jiangan_officer,
        scope=scope_for(jiangan_officer),
        proposal=proposal,
        name="天声街片区",
        confirmed=True,
    )
    assert AreaPackage.objects.filter(key=proposal.key).exists()

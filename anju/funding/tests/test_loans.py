"""Loans: one district, the projects it finances of that district, and a bullet loan's
interest summary computed by hand."""

import datetime as dt
from decimal import Decimal

import pytest

from anju.access.scope import scope_for
from anju.core.errors import DomainError, NotFound

from ..models import Loan
from ..selectors import contracts as selectors
from .contracting import loan_for

pytestmark = pytest.mark.django_db


def test_a_bullet_loans_interest_is_amount_times_rate_over_the_term():
    schedule = selectors.loan_schedule(
        amount=Decimal("10000000.00"),
        annual_rate=Decimal("3.200"),
        term_months=60,
        starts_on=dt.date(2024, 1, 15),
    )
    assert schedule.annual_interest == Decimal("320000.00")
    assert schedule.total_interest == Decimal("1600000.00")
    assert schedule.total_repayment == Decimal("11600000.00")
    assert schedule.matures_on == dt.date(2029, 1, 15)


def test_a_part_year_term_counts_interest_by_the_month():
    schedule = selectors.loan_schedule(
        amount=Decimal("1000.00"),
        annual_rate=Decimal("3.650"),
        term_months=7,
        starts_on=dt.date(2024, 8, 31),
    )
    assert schedule.total_interest == Decimal("21.29")  # 36.50 × 7 / 12 = 21.2916…
    assert schedule.matures_on == dt.date(2025, 3, 31)


def test_a_loan_cannot_finance_another_districts_project(city, wuchang_funded_project):
    with pytest.raises(DomainError) as refusal:
        loan_for(city, city.jiangan, [wuchang_funded_project])
    assert refusal.value.code == "project_outside_district"
    assert not Loan.objects.exists()


def test_another_district_cannot_see_the_loan(
    city, jiangan_funded_project, wuchang_officer, jiangan_officer
):
    loan = loan_for(city, city.jiangan, [jiangan_funded_project])
    with pytest.raises(NotFound):
        selectors.get_loan(scope_for(wuchang_officer), loan.pk)
    assert list(selectors.loans_of_project(scope_for(jiangan_officer), jiangan_funded_project)) == [
        loan
    ]

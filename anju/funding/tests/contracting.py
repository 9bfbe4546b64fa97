"""Builders for the contracts chapter's tests: an entrusted enterprise and a contract or loan
over a district's project, recorded through the services (so they are audited)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from anju.access.models import Organisation
from anju.core.scope import Scope

from ..services import contracts as services

ENTERPRISE_CODE = "91420102MA4K00010N"


def city_scope(city) -> Scope:
    return Scope(roles=frozenset({"city_office"}), node_paths=(city.city.path,))


def actor():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="contracts-clerk")
    return user


def enterprise(name: str = "江城停车投资有限公司", code: str = ENTERPRISE_CODE) -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        credit_code=code, defaults={"name": name, "kind": Organisation.Kind.PROPERTY}
    )
    return org


def contract_over(city, projects, *, number: str = "", rights=(), flows=()):
    """A 投改管一体 contract over `projects` (one district), signed 2024-03-01 for 5 years,
    1,000,000.00 committed; `rights` (kind, expected) and `flows` (year, kind, amount)."""
    scope = city_scope(city)
    contract = services.record_contract(
        actor=actor(),
        scope=scope,
        number=number or f"IRM-{projects[0].code}",
        name=f"{projects[0].name}停车楼投改管一体",
        kind="irm",
        enterprise=enterprise(),
        projects=list(projects),
        investment_committed=Decimal("1000000.00"),
        signed_on=dt.date(2024, 3, 1),
        term_years=5,
        obligations="投资建设停车楼并运营维护。",
    )
    for kind, expected in rights:
        services.add_right(
            actor=actor(),
            scope=scope,
            contract=contract,
            kind=kind,
            expected_yearly_revenue=Decimal(expected),
        )
    for year, kind, amount in flows:
        services.record_flow(
            actor=actor(),
            scope=scope,
            contract=contract,
            year=year,
            kind=kind,
            amount=Decimal(amount),
        )
    return contract


def loan_for(city, district, projects=()):
    return services.record_loan(
        actor=actor(),
        scope=city_scope(city),
        lender=f"国家开发银行{district.name}支行",
        kind="policy_bank",
        district=district,
        amount=Decimal("10000000.00"),
        annual_rate=Decimal("3.200"),
        term_months=60,
        starts_on=dt.date(2024, 1, 15),
        projects=list(projects),
    )

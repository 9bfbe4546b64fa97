"""Shared funding fixtures: an approved 江岸区 project whose approved plan version has priced
items of several payers (government roofs, a utility's power network, residents' elevator),
and one in 武昌区 (personas come from anju/conftest.py)."""

from decimal import Decimal

import pytest

from anju.access.models import Organisation
from anju.catalogue.models import CatalogueItem
from anju.design.models import PlanItem, PlanVersion
from anju.design.tests.reviewing import price_list, project_in
from anju.territory.models import Stage

# catalogue code, quantity, unit price → cost
ITEMS = (
    ("B14", "1000", "150.00"),  # roofs, government: 150,000.00
    ("B03", "400", "250.00"),  # power network, utility: 100,000.00
    ("I13", "1", "300000.00"),  # an elevator, residents: 300,000.00
)
APPROVED_TOTAL = Decimal("550000.00")


def approved_project(district, compound, code: str = "", items=ITEMS):
    """A project at stage approved with an approved plan version of `items`."""
    project = project_in(district, compound, code)
    version = PlanVersion.objects.create(
        project=project, number=1, status=PlanVersion.Status.APPROVED, price_list=price_list()
    )
    for item_code, quantity, unit_price in items:
        item = CatalogueItem.objects.get(code=item_code)
        PlanItem.objects.create(
            version=version,
            compound=compound,
            item=item,
            quantity=Decimal(quantity),
            unit=item.rule.unit,
            unit_price=Decimal(unit_price),
            payer=item.rule.default_payer,
        )
    project.stage = Stage.APPROVED
    project.save(update_fields=["stage"])
    return project


@pytest.fixture
def jiangan_funded_project(city):
    return approved_project(city.jiangan, city.jiangan_compound, "2027-420102-F01")


@pytest.fixture
def wuchang_funded_project(city):
    return approved_project(city.wuchang, city.wuchang_compound, "2027-420106-F01")


@pytest.fixture
def power_company(city):
    return Organisation.objects.create(name="国网武汉供电公司", kind=Organisation.Kind.UTILITY)

"""`anju generate_city`: the whole city in one transaction, scoped by path prefix."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import F, Sum

from anju.territory.management.commands.generate_city import Command
from anju.territory.models import Building, Compound, Household, Node, Unit

JIANGAN = "4201/420102/"


@pytest.mark.django_db
def test_generates_the_city_scale_registry_once():
    out = io.StringIO()
    call_command("generate_city", seed=2019, stdout=out)
    assert "1,103 compounds" in out.getvalue()

    assert Compound.objects.count() == 1_103
    households = Household.objects.count()
    assert abs(households - 327_600) <= 3_276
    area = Compound.objects.aggregate(total=Sum("total_floor_area"))["total"]
    assert abs(area - Decimal(24_800_000)) <= Decimal(248_000)
    counted = Compound.objects.aggregate(h=Sum("household_count"), b=Sum("building_count"))
    assert counted == {"h": households, "b": Building.objects.count()}
    assert not Household.objects.exclude(compound_id=F("unit__building__compound_id")).exists()
    assert Unit.objects.count() >= Building.objects.count()

    city = Node.objects.get(code="4201")
    jiangan = Node.objects.get(code="420102")
    assert (city.path, city.depth, city.kind) == ("4201/", 0, "city")
    assert (jiangan.path, jiangan.depth, jiangan.parent_id) == (JIANGAN, 1, city.pk)
    assert Node.objects.filter(kind="district").count() == 13
    community = Node.objects.filter(kind="community", path__startswith=JIANGAN).first()
    assert community.depth == 3 and community.path.startswith(community.parent.path)
    assert community.path == community.parent.path + community.code + "/"

    compound = Compound.objects.select_related("community").filter(path__startswith=JIANGAN)[0]
    assert compound.path == compound.community.path + compound.code + "/"
    assert compound.district_code == "420102"
    under_jiangan = Compound.objects.filter(path__startswith=JIANGAN)
    assert 0 < under_jiangan.count() < 1_103
    assert under_jiangan.count() == Compound.objects.filter(code__startswith="420102").count()
    assert (
        Household.objects.filter(compound__path__startswith=JIANGAN).count()
        == (under_jiangan.aggregate(h=Sum("household_count"))["h"])
    )

    with pytest.raises(CommandError, match="--replace"):
        call_command("generate_city", seed=7, stdout=io.StringIO())
    assert Compound.objects.count() == 1_103


def make_registry():
    city = Node.objects.create(kind="city", code="4201", name="武汉市")
    district = Node.objects.create(kind="district", code="420102", name="江岸区", parent=city)
    street = Node.objects.create(kind="street", code="420102002", name="大智街道", parent=district)
    community = Node.objects.create(
        kind="community", code="420102002003", name="保成社区", parent=street
    )
    compound = Compound.objects.create(
        code="420102002003001", name="黄浦里", community=community, year_built=1988
    )
    unit = Unit.objects.create(
        building=Building.objects.create(compound=compound, number="1栋", floors=6),
        number="1单元",
    )
    household = Household.objects.create(
        unit=unit, room="101", floor=1, exclusive_area=Decimal("60.00")
    )
    return compound, household


@pytest.mark.django_db
def test_replace_deletes_the_registry_but_keeps_the_nodes():
    make_registry()

    with transaction.atomic():
        Command().delete_registry()

    for model in (Compound, Building, Unit, Household):
        assert not model.objects.exists()
    assert Node.objects.count() == 4


@pytest.mark.django_db
def test_a_missing_data_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="extract_city_data"):
        call_command("generate_city", seed=1, data=tmp_path / "absent.json")
    assert not Node.objects.exists()


@pytest.mark.django_db
def test_a_negative_seed_is_refused():
    with pytest.raises(CommandError, match="non-negative"):
        call_command("generate_city", seed=-3)

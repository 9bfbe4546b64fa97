"""`anju demo`: accounts with scope, companies with assignments, three printed household codes.

A small hand-built registry stands in for the generated city (generating it is tested, at full
scale, in anju/territory/tests/test_generate_city.py); one test checks that demo asks for the
city when there is none.
"""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from stdnum.cn import uscc

from anju.access.codes import digest_of
from anju.access.management.commands import demo
from anju.access.models import CompoundAssignment, HouseholdCode, Organisation, RoleAssignment
from anju.core.models import Holiday
from anju.territory.management.commands.generate_city import Command as GenerateCity
from anju.territory.models import Building, Compound, Household, Node, Unit

CODE = re.compile(r"\b([346789A-Z]{5}-[346789A-Z]{5})\b")
USERNAMES = [
    "city-admin",
    "jiangan-officer",
    "wuchang-officer",
    "jiangan-street",
    "jiangan-community",
    "designer",
    "builder",
    "utility",
    "property",
]


def node(kind, code, name, parent=None):
    return Node.objects.create(kind=kind, code=code, name=name, parent=parent)


def compound(community, serial, name, households):
    made = Compound.objects.create(
        code=community.code + serial,
        name=name,
        community=community,
        year_built=1985,
        address="武汉市" + name,
        household_count=households,
        building_count=1,
    )
    if households:
        unit = Unit.objects.create(
            building=Building.objects.create(compound=made, number="1栋", floors=6),
            number="1单元",
        )
        for index in range(households):
            Household.objects.create(
                unit=unit,
                room=f"{index // 2 + 1}0{index % 2 + 1}",
                floor=index // 2 + 1,
                exclusive_area=Decimal("61.50"),
            )
    return made


def small_city():
    wuhan = node("city", "4201", "武汉市")
    jiangan = node("district", "420102", "江岸区", wuhan)
    street = node("street", "420102002", "大智街道", jiangan)
    first = node("community", "420102002001", "天声街社区", street)
    second = node("community", "420102002003", "保成社区", street)
    wuchang = node("district", "420106", "武昌区", wuhan)
    wuchang_community = node(
        "community", "420106001001", "和平社区", node("street", "420106001", "积玉桥街道", wuchang)
    )
    compound(first, "001", "空楼院", households=0)  # first in path order, but nobody lives there
    compound(first, "002", "铭新街小区", households=4)
    compound(second, "001", "保成宿舍", households=3)
    compound(second, "002", "黄浦里", households=2)
    compound(wuchang_community, "001", "积玉桥宿舍", households=2)


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_city(db):
    small_city()


def test_demo_creates_the_accounts_with_their_roles_and_scope(demo_city):
    run_demo()
    users = get_user_model().objects.filter(username__in=USERNAMES)
    assert users.count() == len(USERNAMES)
    for user in users:
        assert user.check_password("anju-demo-2026")
        assert not user.is_staff and not user.is_superuser
    bound = {
        (a.user.username, a.role): a
        for a in RoleAssignment.objects.select_related("user", "node", "organisation")
    }
    assert bound["city-admin", "city_office"].node.code == "4201"
    assert bound["jiangan-officer", "district_task_force"].node.code == "420102"
    assert bound["wuchang-officer", "district_task_force"].node.code == "420106"
    assert bound["jiangan-street", "street_office"].node.code == "420102002"
    assert bound["jiangan-community", "community_worker"].node.code == "420102002001"
    for username, role in [
        ("designer", "designer"),
        ("builder", "construction_unit"),
        ("utility", "utility_company"),
        ("property", "property_company"),
    ]:
        organisation = bound[username, role].organisation
        assert uscc.is_valid(organisation.credit_code)
        assigned = CompoundAssignment.objects.filter(organisation=organisation)
        assert 2 <= assigned.count() <= 3
        assert all(a.compound.path.startswith("4201/420102/") for a in assigned)


def test_the_codes_go_to_the_first_jiangan_compound_that_has_households(demo_city):
    output = run_demo()
    coded = HouseholdCode.objects.select_related("household__compound")
    assert coded.count() == 3
    assert {c.household.compound.name for c in coded} == {"铭新街小区"}
    assert "铭新街小区" in output and "空楼院" not in output.split("住户码")[1]


def test_printed_codes_verify_against_the_stored_digests(demo_city):
    output = run_demo()
    assert "=== DEMO ACCOUNTS (demo data only)" in output
    assert "http://127.0.0.1:8000" in output and "anju-demo-2026" in output
    assert all(username in output for username in USERNAMES)
    codes = CODE.findall(output)
    assert len(codes) == 3
    assert {digest_of(code) for code in codes} == set(
        HouseholdCode.objects.values_list("digest", flat=True)
    )
    assert "1栋1单元101室" in output


def test_running_again_reissues_the_codes_and_duplicates_nothing(demo_city):
    first = CODE.findall(run_demo())
    models = [
        get_user_model(),
        RoleAssignment,
        Organisation,
        CompoundAssignment,
        Holiday,
        Compound,
        Household,
        Node,
    ]
    counts = {m: m.objects.count() for m in models}
    second = CODE.findall(run_demo())
    assert {m: m.objects.count() for m in models} == counts
    assert HouseholdCode.objects.count() == 3
    assert set(first).isdisjoint(second)
    stored = set(HouseholdCode.objects.values_list("digest", flat=True))
    assert {digest_of(code) for code in second} == stored
    assert not {digest_of(code) for code in first} & stored


def test_demo_seeds_the_holiday_table(demo_city):
    run_demo()
    assert Holiday.objects.get(date=dt.date(2019, 10, 1)).is_working_day is False
    assert Holiday.objects.get(date=dt.date(2019, 9, 29)).is_working_day is True  # make-up
    assert Holiday.objects.filter(date__year=2026).exists()


def test_demo_generates_the_city_only_when_there_is_none(db, monkeypatch):
    calls = []

    def fake_call_command(name, **options):
        if name != "generate_city":
            return call_command(name, **options)
        calls.append((name, options["seed"]))
        small_city()
        return None

    monkeypatch.setattr(demo, "call_command", fake_call_command)
    call_command("demo", "--seed", "11", stdout=io.StringIO())
    call_command("demo", stdout=io.StringIO())
    assert calls == [("generate_city", 11)]


def test_demo_credit_codes_are_valid_and_distinct():
    codes = {demo.demo_credit_code(stem) for _key, _name, _kind, stem, _n in demo.ORGANISATIONS}
    assert len(codes) == len(demo.ORGANISATIONS)
    assert all(uscc.is_valid(code) and len(code) == 18 for code in codes)


def test_replacing_the_city_removes_the_demo_codes_and_assignments(demo_city):
    run_demo()
    organisations = Organisation.objects.count()
    with transaction.atomic():
        GenerateCity().delete_registry()
    assert not HouseholdCode.objects.exists()
    assert not CompoundAssignment.objects.exists()
    assert Organisation.objects.count() == organisations >= 4
    assert RoleAssignment.objects.filter(node__code="420102002001").exists()

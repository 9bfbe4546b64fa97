"""The compound hub: the viewer's compounds with their scheme status (searchable, paged), and
one compound's scheme, budget lines, meetings and overdue tasks — another district's compound
answers 404; a property company reads its own compounds without the keepers' buttons."""

from datetime import timedelta
from decimal import Decimal

import pytest

from anju.access.scope import scope_for
from anju.conftest import make_compound
from anju.core.calendar import today
from anju.stewardship import services

pytestmark = pytest.mark.django_db

BASE = "/workbench/stewardship/compounds"


def test_the_list_shows_scheme_status_and_searches(city, jiangan_officer, client_as):
    other = make_compound(
        city.jiangan_community, "420102001001009", "三德里", lon=114.29, lat=30.59
    )
    services.save_management_scheme(
        actor=jiangan_officer,
        scope=scope_for(jiangan_officer),
        compound=city.jiangan_compound,
        management_model="self_management",
        yearly_upkeep_budget=Decimal("12000"),
    )
    client = client_as(jiangan_officer)
    page = client.get(f"{BASE}/").content.decode()
    assert "铭新街小区" in page and "三德里" in page and "积玉桥宿舍" not in page
    assert "业主自治管理" in page
    found = client.get(f"{BASE}/", {"q": "三德"}).content.decode()
    assert "三德里" in found and "铭新街小区" not in found
    without = client.get(f"{BASE}/", {"status": "none"}).content.decode()
    assert other.name in without and "铭新街小区" not in without


def test_the_hub_shows_the_scheme_meetings_and_overdue_tasks(city, jiangan_officer, client_as):
    scope = scope_for(jiangan_officer)
    services.record_meeting(
        actor=jiangan_officer,
        scope=scope,
        compound=city.jiangan_compound,
        held_on=today() - timedelta(days=20),
        subject="停车秩序整治",
        bodies=["residents_committee"],
        attendees="居委会 王主任",
        decisions="划定停车区",
        tasks=[
            {
                "title": "划线",
                "owner": "物业",
                "owner_body": "property_company",
                "due_on": today() - timedelta(days=1),
            }
        ],
    )
    page = client_as(jiangan_officer).get(f"{BASE}/{city.jiangan_compound.code}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "尚未填写长效管理方案" in text and "填写方案" in text
    assert "停车秩序整治" in text and 'id="overdue-tasks"' in text


def test_a_property_company_reads_its_compound_without_the_keepers_buttons(
    city, property_staff, client_as
):
    client = client_as(property_staff)
    text = client.get(f"{BASE}/{city.jiangan_compound.code}/").content.decode()
    assert "填写方案" not in text and "记录会议" not in text
    assert client.get(f"{BASE}/{city.wuchang_compound.code}/").status_code == 404


def test_another_districts_compound_is_not_found(city, jiangan_officer, client_as):
    assert (
        client_as(jiangan_officer).get(f"{BASE}/{city.wuchang_compound.code}/").status_code == 404
    )

"""The problem-report categories, kept by the city office on the workbench page and through
the API: a changed deadline applies to reports filed afterwards only, a switched-off category
is no longer offered but old reports keep it, anyone else gets 403, bad input is a 400 that
changes nothing, and every change is audited."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from anju.access.scope import scope_for_household
from anju.core.calendar import SHANGHAI, WorkingCalendar
from anju.core.models import AuditEvent
from anju.stewardship.forms import CallerReportForm
from anju.stewardship.models import Channel, ProblemReport, ReportCategory
from anju.stewardship.services import file_report

pytestmark = pytest.mark.django_db

CATEGORIES_API = "/api/v1/stewardship/report-categories/"


def api_as(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def file_clutter(household) -> ProblemReport:
    return file_report(
        actor=None,
        scope=scope_for_household(household),
        compound=household.compound,
        category=ReportCategory.objects.get(code="clutter"),
        description="楼道堆放杂物",
        channel=Channel.PORTAL,
    )


def due_after(report, days: int):
    day = report.submitted_at.astimezone(SHANGHAI).date()
    return WorkingCalendar.from_database().add_working_days(day, days)


def categories_and_events():
    rows = ReportCategory.objects.order_by("code").values_list(
        "code", "name", "name_en", "deadline_days", "is_active"
    )
    return list(rows), AuditEvent.objects.count()


def row(category: ReportCategory, **changes) -> dict:
    values = {
        "name": category.name,
        "name_en": category.name_en,
        "deadline_days": category.deadline_days,
        "is_active": "on" if category.is_active else "",
    }
    return {**values, **changes}


def test_a_new_deadline_applies_to_reports_filed_afterwards(
    city, city_officer, jiangan_household, client_as
):
    old = file_clutter(jiangan_household)
    assert old.due_on == due_after(old, 3)
    client = client_as(city_officer)
    page = client.get(reverse("stewardship:category-list"))
    assert page.status_code == 200
    assert "已有报告的办理期限不变" in page.content.decode()
    clutter = ReportCategory.objects.get(code="clutter")
    answer = client.post(
        reverse("stewardship:category-edit", args=["clutter"]), row(clutter, deadline_days=10)
    )
    assert answer.status_code == 302
    new = file_clutter(jiangan_household)
    assert new.due_on == due_after(new, 10) != old.due_on
    old.refresh_from_db()
    assert old.due_on == due_after(old, 3)
    event = AuditEvent.objects.get(verb="stewardship.report_category_changed")
    assert (event.summary, event.before, event.after) == (
        "clutter",
        {"deadline_days": 3},
        {"deadline_days": 10},
    )
    assert event.actor == city_officer


def test_a_switched_off_category_is_not_offered_but_old_reports_keep_it(
    city, city_officer, jiangan_household, resident_of
):
    old = file_clutter(jiangan_household)
    answer = api_as(city_officer).put(
        f"{CATEGORIES_API}clutter/",
        {"name": "乱堆乱放", "deadline_days": 3, "is_active": False},
        format="json",
    )
    assert answer.status_code == 200 and answer.json()["is_active"] is False
    assert AuditEvent.objects.get(verb="stewardship.report_category_changed").after == {
        "is_active": False
    }
    portal = resident_of(jiangan_household)
    form = portal.get(reverse("stewardship-portal:report-new")).content.decode()
    assert "乱堆乱放" not in form and "设施损坏" in form
    staff_form = CallerReportForm(buildings=city.jiangan_compound.buildings.all())
    assert "clutter" not in {c.code for c in staff_form.fields["category"].queryset}
    refused = portal.post(
        reverse("stewardship-portal:report-new"),
        {"category": old.category_id, "description": "又堆了杂物"},
    )
    assert refused.status_code == 400
    assert ProblemReport.objects.get().category.code == "clutter"
    listed = [row["code"] for row in api_as(city_officer).get(CATEGORIES_API).json()]
    assert "clutter" not in listed


def test_the_city_office_adds_a_category(city, city_officer, client_as):
    answer = client_as(city_officer).post(
        reverse("stewardship:category-list"),
        {"code": "green_space", "name": "绿化损毁", "name_en": "Damaged green", "deadline_days": 4},
    )
    assert answer.status_code == 302
    added = ReportCategory.objects.get(code="green_space")
    assert (added.deadline_days, added.is_active) == (4, True)
    assert added.position > ReportCategory.objects.get(code="other").position
    event = AuditEvent.objects.get(verb="stewardship.report_category_added")
    assert event.after["code"] == "green_space" and event.after["deadline_days"] == 4
    through_api = api_as(city_officer).post(
        CATEGORIES_API, {"code": "lifts", "name": "电梯故障", "deadline_days": 2}, format="json"
    )
    assert through_api.status_code == 201, through_api.json()
    assert through_api.json()["code"] == "lifts"


def test_the_report_list_links_the_categories_for_the_city_office_only(
    city, city_officer, jiangan_officer, client_as
):
    link = reverse("stewardship:category-list")
    assert link in client_as(city_officer).get(reverse("stewardship:report-list")).content.decode()
    own_list = client_as(jiangan_officer).get(reverse("stewardship:report-list"))
    assert own_list.status_code == 200 and link not in own_list.content.decode()


def test_a_district_officer_gets_403_on_page_and_api(city, jiangan_officer, client_as):
    before = categories_and_events()
    client = client_as(jiangan_officer)
    clutter = ReportCategory.objects.get(code="clutter")
    assert client.get(reverse("stewardship:category-list")).status_code == 403
    add = {"code": "green_space", "name": "绿化损毁", "deadline_days": 4}
    assert client.post(reverse("stewardship:category-list"), add).status_code == 403
    edit = reverse("stewardship:category-edit", args=["clutter"])
    assert client.post(edit, row(clutter, deadline_days=9)).status_code == 403
    api = api_as(jiangan_officer)
    change = {"name": "乱堆乱放", "deadline_days": 9}
    assert api.put(f"{CATEGORIES_API}clutter/", change, format="json").status_code == 403
    assert api.post(CATEGORIES_API, add, format="json").status_code == 403
    assert categories_and_events() == before


@pytest.mark.parametrize("deadline", [0, 61])
def test_a_deadline_outside_1_to_60_is_a_400_that_changes_nothing(
    city, city_officer, client_as, deadline
):
    before = categories_and_events()
    clutter = ReportCategory.objects.get(code="clutter")
    page = client_as(city_officer).post(
        reverse("stewardship:category-edit", args=["clutter"]),
        row(clutter, deadline_days=deadline),
    )
    assert page.status_code == 400
    assert "办理时限应为 1 至 60 个工作日。" in page.content.decode()
    api = api_as(city_officer).put(
        f"{CATEGORIES_API}clutter/", {"name": "乱堆乱放", "deadline_days": deadline}, format="json"
    )
    assert api.status_code == 400
    assert api.json()["fields"]["deadline_days"] == ["办理时限应为 1 至 60 个工作日。"]
    added = api_as(city_officer).post(
        CATEGORIES_API, {"code": "lifts", "name": "电梯", "deadline_days": deadline}, format="json"
    )
    assert added.status_code == 400
    assert categories_and_events() == before


def test_a_duplicate_or_malformed_code_is_a_400_that_changes_nothing(city, city_officer, client_as):
    before = categories_and_events()
    page = client_as(city_officer).post(
        reverse("stewardship:category-list"),
        {"code": "clutter", "name": "又一个", "deadline_days": 3},
    )
    assert page.status_code == 400
    assert "编码“clutter”已被使用。" in page.content.decode()
    api = api_as(city_officer)
    duplicate = api.post(
        CATEGORIES_API, {"code": "noise", "name": "噪声", "deadline_days": 3}, format="json"
    )
    assert duplicate.status_code == 400
    assert duplicate.json()["code"] == "duplicate_code"
    assert duplicate.json()["message"] == "编码“noise”已被使用。"
    for code in ("Green", "green-space", "绿化", "x" * 31):
        answer = api.post(CATEGORIES_API, {"code": code, "name": "绿化", "deadline_days": 3})
        assert answer.status_code == 400, code
    assert api.put(f"{CATEGORIES_API}nope/", {"name": "x", "deadline_days": 3}).status_code == 404
    assert categories_and_events() == before

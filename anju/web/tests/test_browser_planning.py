"""Competitive generation in a real browser: the city office runs a budget scenario over a
published round, reads the optimum beside the greedy rules and adopts it (office size); a
resident reads why the compound ranks where it does (phone size)."""

from decimal import Decimal

import pytest

from anju.access.codes import issue_household_codes
from anju.conftest import PASSWORD, make_compound
from anju.core.actors import DEMO
from anju.core.scope import Scope
from anju.planning import rounds, services
from anju.planning.models import AnnualPlan
from anju.testing.browser import PHONE, assert_no_external_requests, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published_round(city, city_officer):
    scope = Scope(roles=frozenset({"city_office"}), node_paths=(city.city.path,))
    for community, prefix in (
        (city.jiangan_community, "42010200100100"),
        (city.wuchang_community, "42010600100100"),
    ):
        for n in (2, 3):
            make_compound(
                community,
                f"{prefix}{n}",
                f"{community.name}{n}号院",
                lon=114.3,
                lat=30.58,
                households=n,
            )
    five = services.create_five_year_plan(
        actor=city_officer,
        scope=scope,
        node=city.city,
        name="十五五规划",
        start_year=2026,
        end_year=2030,
    )
    annual = services.create_annual_plan(
        actor=city_officer,
        scope=scope,
        five_year_plan=five,
        year=2027,
        total_budget=Decimal("400000"),
    )
    scoring_round = rounds.create_round(
        actor=city_officer,
        scope=scope,
        annual_plan=annual,
        node=city.city,
        model=rounds.default_model_version(),
        name="2027年度竞争性生成",
    )
    scoring_round = rounds.score_round(actor=city_officer, scope=scope, scoring_round=scoring_round)
    return rounds.publish_round(
        actor=city_officer, scope=scope, scoring_round=scoring_round, confirmed=True
    )


def test_the_city_office_solves_compares_and_adopts_a_scenario(
    office_page, live_server, published_round
):
    page = office_page
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(live_server.url + "/sign-in/")
    page.get_by_label("用户名").fill("city-officer")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")
    page.get_by_role("button", name="统筹").click()  # the menu groups pages by movement
    page.get_by_role("link", name="计划", exact=True).click()
    page.get_by_role("link", name="2027年度竞争性生成").first.click()
    page.wait_for_url("**/plans/rounds/*/")  # content() read mid-navigation is empty
    page.wait_for_load_state()
    assert "积玉桥宿舍" in page.content()
    screenshot(page, "office-round")

    page.get_by_text("新建比选方案").click()
    page.get_by_label("方案名称").fill("三个小区")
    page.get_by_label("总预算(元)").fill("384000")
    page.get_by_role("button", name="提交求解").click()
    page.wait_for_selector("text=与常见做法对比")
    assert "Consul" in page.content()
    screenshot(page, "office-scenario")

    page.get_by_role("button", name="采用为年度计划草案").click()
    page.wait_for_selector("text=已采用为年度计划草案")
    plan = AnnualPlan.objects.get()
    assert plan.selections.count() == 3
    screenshot(page, "office-annual-plan")
    assert_no_external_requests(page, live_server.url, requests)


def test_a_resident_reads_the_compounds_score_on_a_phone(
    phone_page, live_server, city, published_round
):
    household = city.jiangan_compound.households.order_by("room").first()
    code = issue_household_codes(actor=DEMO, compound=city.jiangan_compound, households=[household])
    page = phone_page
    page.goto(live_server.url + "/portal/sign-in/")
    page.get_by_label("住户码").fill(code[household.pk])
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/portal/")
    page.get_by_role("link", name="我的小区评分").click()
    entry = published_round.entries.get(compound=city.jiangan_compound)
    assert f"第 {entry.rank} 名" in page.content()
    assert "楼龄" in page.content() and "暂无数据" in page.content()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the score page scrolls sideways ({width}px)"
    screenshot(page, "phone-compound-score")

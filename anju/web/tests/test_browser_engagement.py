"""A resident's engagement journey on a phone: sign in with the household code, answer the needs
campaign (two items, one urgent, a photo), read the answer back, vote, and after the count read
the result explained in fractions, percentages and sentences."""

import datetime as dt

import pytest
from django.utils import timezone
from PIL import Image

from anju.access.codes import issue_household_codes
from anju.core.actors import CLI, DEMO
from anju.core.calendar import today
from anju.core.scope import Scope
from anju.engagement import services
from anju.engagement.models import Matter, Submission
from anju.testing.browser import PHONE, assert_no_external_requests, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def resident(city):
    """The first household of the 江岸 compound and its freshly issued code."""
    household = city.jiangan_compound.households.order_by("room").first()
    codes = issue_household_codes(
        actor=DEMO, compound=city.jiangan_compound, households=[household]
    )
    return household, codes[household.pk]


def district_scope(city):
    return Scope(roles=frozenset({"district_task_force"}), node_paths=(city.jiangan.path,))


@pytest.fixture
def campaign(city, jiangan_officer):
    return services.open_campaign(
        actor=jiangan_officer,
        scope=district_scope(city),
        node=city.jiangan,
        title="铭新街小区改造需求征集",
        compounds=[city.jiangan_compound],
        starts_on=today() - dt.timedelta(days=1),
        ends_on=today() + dt.timedelta(days=14),
        introduction="请告诉我们您家最需要改造的地方。",
    )


@pytest.fixture
def vote(city, jiangan_officer):
    now = timezone.now()
    return services.open_vote(
        actor=jiangan_officer,
        scope=district_scope(city),
        compound=city.jiangan_compound,
        title="使用维修资金更换屋面防水",
        matter=Matter.USE_MAINTENANCE_FUND,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=7),
    )


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "wall.jpg"
    Image.new("RGB", (120, 90), (150, 120, 100)).save(path, format="JPEG")
    return path


def assert_fits_the_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways ({width}px)"


@pytest.mark.usefixtures("campaign")
def test_a_resident_answers_the_campaign_votes_and_reads_the_result(
    phone_page, live_server, resident, vote, photo_file
):
    household, household_code = resident
    page = phone_page
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    page.goto(live_server.url + "/portal/sign-in/")
    page.get_by_label("住户码").fill(household_code)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/portal/")
    page.get_by_role("link", name="我的征集和表决").click()
    page.wait_for_url("**/portal/engagement/")
    assert_fits_the_phone(page)

    page.get_by_role("link", name="铭新街小区改造需求征集").click()
    page.get_by_label("供水设施", exact=True).check()
    page.get_by_label("外墙修缮", exact=True).check()
    page.get_by_label("外墙修缮急需", exact=True).check()
    page.get_by_label("愿意出一部分").check()
    page.get_by_label("其他意见").fill("外墙掉皮，下雨天渗水。")
    page.get_by_label("照片（最多 3 张）").set_input_files(str(photo_file))
    assert_fits_the_phone(page)
    screenshot(page, "phone-needs-form")

    page.get_by_role("button", name="提交").click()
    page.get_by_text("我家提交的答卷").wait_for()
    content = page.content()
    assert "已提交，谢谢您" in content
    assert "供水设施" in content and "外墙修缮" in content and "急需" in content
    assert "愿意出一部分" in content
    # wait until the thumbnail has loaded (naturalWidth is 0 before)
    photo_width = page.locator(".photo-thumbs img").first.evaluate(
        "img => img.decode().then(() => img.naturalWidth)"
    )
    assert photo_width == 120
    assert_fits_the_phone(page)
    screenshot(page, "phone-needs-submitted")
    submission = Submission.objects.get()
    assert submission.household_id == household.pk
    assert sorted((n.item.code, n.is_urgent) for n in submission.needs.all()) == [
        ("B01", False),
        ("B15", True),
    ]
    assert submission.photos.count() == 1

    page.get_by_role("link", name="我的征集和表决").click()
    page.get_by_role("link", name="使用维修资金更换屋面防水").click()
    assert "一般事项" in page.content()
    page.get_by_role("button", name="同意").click()
    page.get_by_text("已记录您的意见：同意").wait_for()
    assert page.locator("#current-ballot").inner_text() == "同意"
    assert_fits_the_phone(page)
    screenshot(page, "phone-vote")

    vote.closes_at = timezone.now() - dt.timedelta(minutes=1)
    vote.save(update_fields=["closes_at"])
    services.tally_vote(actor=CLI, vote=vote, at=timezone.now())
    vote.refresh_from_db()

    page.reload()
    page.get_by_role("link", name="表决结果和计票规则").click()
    page.get_by_text("计票说明").wait_for()
    content = page.content()
    # 1 of 4 households (80 m² each) voted: participation 1/4, approval 1/1; not passed.
    assert "表决未通过" in content
    assert "1/4" in content and "25.00%" in content
    assert "1/1" in content and "100.00%" in content
    assert "共 4 户，其中 3 户没有参加表决。" in content
    assert vote.result["explanation"][1] in content
    assert_fits_the_phone(page)
    screenshot(page, "phone-vote-result")

    assert_no_external_requests(page, live_server.url, requests)

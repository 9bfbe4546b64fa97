"""The residents' vote pages: the ballot (changeable until the close) and the explained result."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from anju.access.codes import issue_household_codes
from anju.core.actors import CLI
from anju.core.scope import Scope
from anju.engagement import services
from anju.engagement.models import Ballot, Matter
from anju.territory.models import Building, Household, Unit

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)


def district_scope(node):
    return Scope(roles=frozenset({"district_task_force"}), node_paths=(node.path,))


def open_vote(
    officer, district, compound, *, title="加装电梯", matter=Matter.REBUILD_OR_ALTER, **kw
):
    now = timezone.now()
    return services.open_vote(
        actor=officer,
        scope=district_scope(district),
        compound=compound,
        title=title,
        matter=matter,
        opens_at=kw.pop("opens_at", now - 24 * HOUR),
        closes_at=kw.pop("closes_at", now + 7 * 24 * HOUR),
        **kw,
    )


@pytest.fixture
def vote(city, jiangan_officer):
    return open_vote(jiangan_officer, city.jiangan, city.jiangan_compound)


@pytest.fixture
def wuchang_vote(city, wuchang_officer):
    return open_vote(wuchang_officer, city.wuchang, city.wuchang_compound, title="积玉桥宿舍表决")


@pytest.fixture
def households(city):
    return list(city.jiangan_compound.households.order_by("room"))


@pytest.fixture
def household(households):
    return households[0]


def signed_in_as(client, household):
    code = issue_household_codes(actor=CLI, compound=household.compound, households=[household])
    response = client.post("/portal/sign-in/", {"code": code[household.pk]})
    assert response.status_code == 302
    return client


@pytest.fixture
def resident(client, household):
    return signed_in_as(client, household)


def ballot_url(vote):
    return reverse("engagement-portal:vote", args=[vote.pk])


def result_url(vote):
    return reverse("engagement-portal:vote-result", args=[vote.pk])


def close_and_tally(vote):
    """Move the close into the past (as the clock would) and count, as the district does."""
    vote.closes_at = timezone.now() - dt.timedelta(minutes=1)
    vote.save(update_fields=["closes_at"])
    services.tally_vote(actor=CLI, vote=vote, at=timezone.now())
    vote.refresh_from_db()
    return vote


def test_staff_are_sent_to_the_portal_sign_in(client_as, jiangan_officer, vote):
    client = client_as(jiangan_officer)
    for address in (ballot_url(vote), result_url(vote)):
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"] == "/portal/sign-in/"
    assert client.post(ballot_url(vote), {"choice": "agree"}).status_code == 302
    assert not Ballot.objects.exists()


def test_another_compounds_vote_is_not_found(resident, wuchang_vote):
    assert resident.get(ballot_url(wuchang_vote)).status_code == 404
    assert resident.get(result_url(wuchang_vote)).status_code == 404
    assert resident.post(ballot_url(wuchang_vote), {"choice": "agree"}).status_code == 404
    assert not Ballot.objects.exists()
    html = resident.get(reverse("engagement-portal:home")).content.decode()
    assert "积玉桥宿舍表决" not in html


def test_a_vote_of_another_building_is_not_found(resident, city, jiangan_officer):
    building = Building.objects.create(compound=city.jiangan_compound, number="2栋", floors=6)
    unit = Unit.objects.create(building=building, number="1单元")
    Household.objects.create(unit=unit, room="101", floor=1, exclusive_area=Decimal("60.00"))
    other = open_vote(
        jiangan_officer, city.jiangan, city.jiangan_compound, title="2栋加梯", building=building
    )
    assert resident.get(ballot_url(other)).status_code == 404
    assert resident.post(ballot_url(other), {"choice": "agree"}).status_code == 404
    assert not Ballot.objects.exists()


def test_the_ballot_page_shows_the_matter_its_threshold_and_the_deadline(resident, vote):
    html = resident.get(ballot_url(vote)).content.decode()
    assert "加装电梯" in html
    assert "改建、重建建筑物及其附属设施" in html
    assert "重大事项" in html and "四分之三以上同意" in html
    assert timezone.localtime(vote.closes_at).strftime("%H:%M") in html
    assert "尚未表决" in html
    for label in ("同意", "反对", "弃权"):
        assert f">{label}</button>" in html


def test_an_ordinary_matter_says_more_than_half(resident, city, jiangan_officer):
    ordinary = open_vote(
        jiangan_officer, city.jiangan, city.jiangan_compound, matter=Matter.USE_MAINTENANCE_FUND
    )
    html = resident.get(ballot_url(ordinary)).content.decode()
    assert "一般事项" in html and "超过半数同意" in html


def test_a_household_votes_and_changes_its_ballot_until_the_close(resident, vote, household):
    response = resident.post(ballot_url(vote), {"choice": "agree"})
    assert response.status_code == 302
    ballot = Ballot.objects.get()
    assert (ballot.household, ballot.choice, ballot.channel) == (household, "agree", "online")
    html = resident.get(ballot_url(vote)).content.decode()
    assert "已记录您的意见：同意" in html
    assert 'id="current-ballot">同意<' in html

    resident.post(ballot_url(vote), {"choice": "disagree"})
    assert list(Ballot.objects.values_list("choice", flat=True)) == ["disagree"]
    assert 'id="current-ballot">反对<' in resident.get(ballot_url(vote)).content.decode()
    html = resident.get(reverse("engagement-portal:home")).content.decode()
    assert "我家的意见：反对" in html


def test_an_unknown_choice_is_refused(resident, vote):
    response = resident.post(ballot_url(vote), {"choice": "maybe"})
    assert response.status_code == 400
    assert not Ballot.objects.exists()


def test_a_closed_vote_takes_no_ballot(resident, vote, household):
    services.cast_ballot(actor=None, vote=vote, household=household, choice="agree")
    vote.closes_at = timezone.now() - dt.timedelta(minutes=1)
    vote.save(update_fields=["closes_at"])
    html = resident.get(ballot_url(vote)).content.decode()
    assert "表决已经截止" in html
    assert 'name="choice"' not in html
    response = resident.post(ballot_url(vote), {"choice": "disagree"})
    assert response.status_code == 400
    assert "表决不在进行中" in response.content.decode()
    assert list(Ballot.objects.values_list("choice", flat=True)) == ["agree"]


def test_an_upcoming_vote_takes_no_ballot_yet(resident, city, jiangan_officer):
    now = timezone.now()
    upcoming = open_vote(
        jiangan_officer,
        city.jiangan,
        city.jiangan_compound,
        opens_at=now + HOUR,
        closes_at=now + 48 * HOUR,
    )
    html = resident.get(ballot_url(upcoming)).content.decode()
    assert "表决尚未开始" in html
    assert 'name="choice"' not in html
    assert resident.post(ballot_url(upcoming), {"choice": "agree"}).status_code == 400
    assert not Ballot.objects.exists()


def test_before_the_count_the_result_page_says_when_it_comes(resident, vote):
    html = resident.get(result_url(vote)).content.decode()
    assert "截止后统一计票" in html
    vote.closes_at = timezone.now() - dt.timedelta(minutes=1)
    vote.save(update_fields=["closes_at"])
    assert "正在计票" in resident.get(result_url(vote)).content.decode()


def test_the_result_explains_the_four_ratios_and_what_failed(resident, vote, households):
    # 4 households of 80 m²: 3 take part (3/4), 2 of them agree (2/3 < 3/4 for a major matter).
    for household, choice in zip(households, ["agree", "agree", "disagree"], strict=False):
        services.cast_ballot(actor=None, vote=vote, household=household, choice=choice)
    vote = close_and_tally(vote)
    html = resident.get(result_url(vote)).content.decode()
    assert "表决未通过" in html
    assert html.count("3/4") >= 2 and "75.00%" in html  # participation, area and heads
    assert "240 ㎡ / 320 ㎡" in html
    assert html.count("2/3") >= 2 and "66.67%" in html  # approval, area and heads
    assert "须达到 2/3 以上" in html and "须达到 3/4 以上" in html
    assert "没有达到的条件" in html
    assert "同意的专有面积（占参与表决面积）：2/3，须达到 3/4 以上" in html
    assert "共 4 户，其中 1 户没有参加表决。" in html
    assert "我家的意见：同意" in html
    for sentence in vote.result["explanation"]:
        assert sentence in html
    assert "表决未通过。" in html


def test_a_passed_ordinary_vote_shows_more_than_half(resident, city, jiangan_officer, households):
    ordinary = open_vote(
        jiangan_officer, city.jiangan, city.jiangan_compound, matter=Matter.USE_MAINTENANCE_FUND
    )
    for household, choice in zip(households, ["agree", "agree", "disagree"], strict=False):
        services.cast_ballot(actor=None, vote=ordinary, household=household, choice=choice)
    ordinary = close_and_tally(ordinary)
    html = resident.get(result_url(ordinary)).content.decode()
    assert "表决通过" in html and "表决未通过" not in html
    assert "须超过 1/2" in html
    assert "没有达到的条件" not in html


def test_the_explanation_follows_the_language(resident, vote, households):
    services.cast_ballot(actor=None, vote=vote, household=households[0], choice="agree")
    vote = close_and_tally(vote)
    html = resident.get(result_url(vote), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for sentence in vote.result["explanation_en"]:
        assert sentence.replace("'", "&#x27;") in html
    assert vote.result["explanation"][-1] not in html


def test_the_list_costs_a_fixed_number_of_queries(
    resident, city, jiangan_officer, household, django_assert_num_queries
):
    for n in range(4):
        vote = open_vote(jiangan_officer, city.jiangan, city.jiangan_compound, title=f"表决 {n}")
        services.cast_ballot(actor=None, vote=vote, household=household, choice="agree")
    with django_assert_num_queries(6):  # session, scope, household, campaigns, votes, ballots
        response = resident.get(reverse("engagement-portal:home"))
    assert response.content.decode().count("我家的意见：同意") == 4

"""Vote API: scoped list and detail, with the explained result once tallied."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from anju.core.scope import Scope
from anju.engagement import services
from anju.engagement.tests.roles import ALL_ROLES, ORGANISING, staff_in_role

pytestmark = pytest.mark.django_db


def open_vote(officer, node, compound, *, title, past=False, matter=7):
    now = timezone.now()
    return services.open_vote(
        actor=officer,
        scope=Scope(roles=frozenset({"district_task_force"}), node_paths=(node.path,)),
        compound=compound,
        title=title,
        matter=matter,
        opens_at=now - timedelta(days=3) if past else now - timedelta(hours=1),
        closes_at=now - timedelta(days=1) if past else now + timedelta(days=7),
    )


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_list_is_scoped(jiangan_officer, wuchang_officer, city):
    open_vote(jiangan_officer, city.jiangan, city.jiangan_compound, title="江岸表决")
    open_vote(wuchang_officer, city.wuchang, city.wuchang_compound, title="武昌表决")

    body = api(jiangan_officer).get("/api/v1/votes/").json()

    assert body["count"] == 1
    (row,) = body["results"]
    assert row["title"] == "江岸表决"
    assert (row["matter"], row["is_major"], row["is_open"]) == (7, True, True)
    assert row["compound"] == city.jiangan_compound.code
    assert row["passed"] is None


def test_list_query_count_is_pinned(jiangan_officer, city, django_assert_max_num_queries):
    for index in range(10):
        open_vote(jiangan_officer, city.jiangan, city.jiangan_compound, title=f"表决{index}")
    client = api(jiangan_officer)

    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/votes/")
    assert response.json()["count"] == 10


def test_detail_before_and_after_the_tally(jiangan_officer, city):
    vote = open_vote(jiangan_officer, city.jiangan, city.jiangan_compound, title="改造", past=True)
    households = list(city.jiangan_compound.households.order_by("room"))
    for household in households[:3]:
        services.cast_ballot(
            actor=None,
            vote=vote,
            household=household,
            choice="agree",
            at=vote.opens_at + timedelta(minutes=5),
        )
    client = api(jiangan_officer)

    before = client.get(f"/api/v1/votes/{vote.pk}/").json()
    services.tally_vote(actor=jiangan_officer, vote=vote)
    after = client.get(f"/api/v1/votes/{vote.pk}/").json()

    assert before["result"] is None
    assert before["electorate"] == 4
    assert before["ballots"] == {"agree": 3, "disagree": 0, "abstain": 0}
    assert after["passed"] is True
    assert after["result"]["participation"]["area_ratio"] == {"fraction": "3/4", "decimal": 0.75}
    assert after["result"]["approval"]["threshold"] == "3/4"
    assert after["result"]["explanation"][-1] == "表决通过。"
    assert after["result"]["explanation_en"][-1] == "The vote passed."


def test_other_districts_vote_is_not_found(jiangan_officer, wuchang_officer, city):
    vote = open_vote(wuchang_officer, city.wuchang, city.wuchang_compound, title="武昌表决")

    response = api(jiangan_officer).get(f"/api/v1/votes/{vote.pk}/")

    assert response.status_code == 404
    assert "武昌表决" not in response.content.decode()


def cast_two(vote, city):
    first, second, *_ = city.jiangan_compound.households.order_by("room")
    for household, choice in ((first, "agree"), (second, "disagree")):
        services.cast_ballot(
            actor=None,
            vote=vote,
            household=household,
            choice=choice,
            at=vote.opens_at + timedelta(minutes=5),
        )


@pytest.mark.parametrize("role", ALL_ROLES)
def test_an_open_votes_counts_by_choice_are_hidden_from_every_role(jiangan_officer, city, role):
    """The same rule as the page (selectors.vote_figures): before the close no counts by
    choice for anyone, turnout for the organisers only."""
    vote = open_vote(jiangan_officer, city.jiangan, city.jiangan_compound, title="改造")
    cast_two(vote, city)

    body = api(staff_in_role(city, role)).get(f"/api/v1/votes/{vote.pk}/").json()

    assert body["ballots"] is None
    assert body["electorate"] == 4
    if role in ORGANISING:
        assert body["turnout"] == {"voted": 2, "share": "2/4", "by_channel": {"online": 2}}
    else:
        assert body["turnout"] is None


@pytest.mark.parametrize("role", ALL_ROLES)
def test_a_closed_votes_counts_are_shown_to_every_role(jiangan_officer, city, role):
    vote = open_vote(jiangan_officer, city.jiangan, city.jiangan_compound, title="改造", past=True)
    cast_two(vote, city)

    body = api(staff_in_role(city, role)).get(f"/api/v1/votes/{vote.pk}/").json()

    assert body["ballots"] == {"agree": 1, "disagree": 1, "abstain": 0}
    assert body["turnout"]["voted"] == 2

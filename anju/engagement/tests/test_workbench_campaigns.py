"""Workbench campaign pages: list, create (body-scoped), detail figures with every channel,
answers recorded on a household's behalf, forum minutes, and a constant query count."""

import datetime as dt
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from anju.conftest import make_compound
from anju.core.calendar import today
from anju.core.models import AuditEvent
from anju.core.scope import Scope
from anju.engagement import services
from anju.engagement.models import Campaign, Channel, Forum, Submission
from anju.engagement.services import NeedChoice
from anju.territory.models import Compound

pytestmark = pytest.mark.django_db


def district_scope(node):
    return Scope(roles=frozenset({"district_task_force"}), node_paths=(node.path,))


def open_campaign(officer, node, compounds, *, title="铭新街改造需求征集", days=(-1, 14)):
    return services.open_campaign(
        actor=officer,
        scope=district_scope(node),
        node=node,
        title=title,
        compounds=compounds,
        starts_on=today() + timedelta(days=days[0]),
        ends_on=today() + timedelta(days=days[1]),
    )


@pytest.fixture
def campaign(city, jiangan_officer):
    return open_campaign(jiangan_officer, city.jiangan, [city.jiangan_compound])


def households(compound):
    return list(compound.households.order_by("room"))


# --- list and create -------------------------------------------------------------------------


def test_list_shows_the_districts_campaigns_and_the_create_button(
    client_as, jiangan_officer, campaign
):
    response = client_as(jiangan_officer).get(reverse("engagement:campaign-list"))

    assert response.status_code == 200
    assert campaign.title in response.text
    assert reverse("engagement:campaign-create") in response.text
    assert "进行中" in response.text


def test_a_designer_sees_the_campaign_of_their_compound_but_may_not_organise(
    client_as, designer, campaign
):
    client = client_as(designer)

    listing = client.get(reverse("engagement:campaign-list"))
    create = client.get(reverse("engagement:campaign-create"))
    answer = client.get(reverse("engagement:campaign-answer", args=[campaign.pk]))

    assert campaign.title in listing.text
    assert reverse("engagement:campaign-create") not in listing.text
    assert create.status_code == 403
    assert answer.status_code == 403


def test_create_form_offers_only_nodes_of_the_territory_and_counts_working_days(
    client_as, jiangan_officer, city
):
    monday = dt.date(2026, 11, 23)
    response = client_as(jiangan_officer).get(
        reverse("engagement:campaign-create"),
        {"node": city.jiangan.code, "starts_on": monday, "ends_on": monday + timedelta(days=6)},
    )

    assert response.status_code == 200
    assert city.jiangan_street.name in response.text
    assert city.wuchang.name not in response.text
    assert city.jiangan_compound.name in response.text
    assert city.wuchang_compound.name not in response.text
    assert "共 5 个工作日" in response.text


def test_htmx_refresh_lists_the_compounds_under_the_chosen_node(client_as, jiangan_officer, city):
    other_community = city.jiangan_street.children.create(
        kind="community", code="420102001002", name="球场街社区"
    )
    make_compound(other_community, "420102001002001", "球场小区", lon=114.3, lat=30.6)

    response = client_as(jiangan_officer).get(
        reverse("engagement:campaign-create"),
        {"node": other_community.code, "starts_on": "2026-11-23", "ends_on": "2026-11-24"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert "球场小区" in response.text
    assert city.jiangan_compound.name not in response.text
    assert "共 2 个工作日" in response.text


def test_creating_a_campaign(client_as, jiangan_officer, city):
    response = client_as(jiangan_officer).post(
        reverse("engagement:campaign-create"),
        {
            "title": "天声街社区改造问需",
            "node": city.jiangan_community.code,
            "compounds": [city.jiangan_compound.pk],
            "starts_on": today(),
            "ends_on": today() + timedelta(days=10),
            "asks_contribution": "on",
        },
    )

    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("engagement:campaign-detail", args=[campaign.pk])
    assert list(campaign.compounds.all()) == [city.jiangan_compound]
    assert campaign.node == city.jiangan_community
    assert campaign.created_by == jiangan_officer
    assert AuditEvent.objects.filter(verb="campaign.opened").count() == 1


def test_all_compounds_of_the_node_at_once(client_as, jiangan_officer, city):
    client_as(jiangan_officer).post(
        reverse("engagement:campaign-create"),
        {
            "title": "江岸区问需",
            "node": city.jiangan.code,
            "all_compounds": "on",
            "starts_on": today(),
            "ends_on": today(),
        },
    )

    assert list(Campaign.objects.get().compounds.all()) == [city.jiangan_compound]


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"compounds": ["wuchang"]}, id="other-districts-compound"),
        pytest.param({"node": "420106"}, id="other-districts-node"),
        pytest.param({"compounds": []}, id="no-compound"),
        pytest.param({"ends_on": "2000-01-01"}, id="ends-before-it-starts"),
    ],
)
def test_create_rejects_what_lies_outside_the_territory_or_makes_no_sense(
    client_as, jiangan_officer, city, overrides
):
    data = {
        "title": "问需",
        "node": city.jiangan.code,
        "compounds": [city.jiangan_compound.pk],
        "starts_on": today(),
        "ends_on": today() + timedelta(days=3),
    }
    data.update(overrides)
    if data["compounds"] == ["wuchang"]:
        data["compounds"] = [city.wuchang_compound.pk]

    response = client_as(jiangan_officer).post(reverse("engagement:campaign-create"), data)

    assert response.status_code == 200
    assert "invalid-feedback" in response.text
    assert city.wuchang_compound.name not in response.text
    assert not Campaign.objects.exists()
    assert not AuditEvent.objects.exists()


# --- detail ----------------------------------------------------------------------------------


def test_detail_counts_answers_of_every_channel_in_compound_community_and_district_figures(
    client_as, jiangan_officer, campaign, city
):
    first, second, third, _fourth = households(city.jiangan_compound)
    services.submit_needs(
        actor=None,
        campaign=campaign,
        household=first,
        needs=[NeedChoice("B15", True), NeedChoice("I13")],
    )
    services.submit_needs(
        actor=jiangan_officer,
        campaign=campaign,
        household=second,
        needs=[NeedChoice("B15")],
        channel=Channel.DOOR_TO_DOOR,
        paper_reference="JA-001",
    )
    services.submit_needs(
        actor=jiangan_officer,
        campaign=campaign,
        household=third,
        needs=[NeedChoice("I13", True)],
        channel=Channel.IMPORTED,
        paper_reference="JA-002",
    )

    response = client_as(jiangan_officer).get(
        reverse("engagement:campaign-detail", args=[campaign.pk])
    )

    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.households, figures.responses) == (4, 3)
    (district,) = figures.districts
    (community,) = figures.communities
    assert district.name == city.jiangan.name
    for rollup in (district, community):
        assert rollup.responses == 3
        assert rollup.by_channel[Channel.IMPORTED] == 1
        assert rollup.by_channel[Channel.DOOR_TO_DOOR] == 1
    assert figures.channels == {
        "online": 1,
        "door_to_door": 1,
        "forum": 0,
        "phone": 0,
        "imported": 1,
    }
    (summary,) = figures.summaries
    assert [(r.item.code, r.households, r.urgent) for r in summary.top_needs] == [
        ("B15", 2, 1),
        ("I13", 2, 1),
    ]
    assert 'data-figure="response-rate">75.0%' in response.text
    assert "外墙修缮 50.0%" in response.text
    assert response.context["map_data"]["compounds"][0]["rate"] == 75.0
    assert 'id="response-map-data"' in response.text


def test_a_community_worker_sees_only_their_compounds_of_a_district_campaign(
    client_as, jiangan_officer, jiangan_community_worker, city
):
    other_street = city.jiangan.children.create(kind="street", code="420102002", name="一元街道")
    other_community = other_street.children.create(
        kind="community", code="420102002001", name="黎黄陂路社区"
    )
    elsewhere = make_compound(other_community, "420102002001001", "黎黄陂小区", lon=114.3, lat=30.6)
    campaign = open_campaign(jiangan_officer, city.jiangan, [city.jiangan_compound, elsewhere])

    response = client_as(jiangan_community_worker).get(
        reverse("engagement:campaign-detail", args=[campaign.pk])
    )

    assert response.status_code == 200
    assert city.jiangan_compound.name in response.text
    assert elsewhere.name not in response.text


def test_other_districts_campaign_is_not_found(client_as, wuchang_officer, campaign):
    response = client_as(wuchang_officer).get(
        reverse("engagement:campaign-detail", args=[campaign.pk])
    )

    assert response.status_code == 404
    assert campaign.title not in response.text


def test_detail_of_twenty_compounds_costs_the_same_queries_as_two(
    client_as, jiangan_officer, city, django_assert_max_num_queries
):
    compounds = [
        make_compound(
            city.jiangan_community,
            f"4201020010019{index:02d}",
            f"测试小区{index}",
            lon=114.29 + index / 1000,
            lat=30.59,
        )
        for index in range(20)
    ]
    small = open_campaign(jiangan_officer, city.jiangan, compounds[:2], title="两个小区")
    large = open_campaign(jiangan_officer, city.jiangan, compounds, title="二十个小区")
    for campaign in (small, large):
        for compound in compounds[:2]:
            household = compound.households.first()
            services.submit_needs(
                actor=None, campaign=campaign, household=household, needs=[NeedChoice("B15")]
            )
        services.record_forum(
            actor=jiangan_officer,
            scope=district_scope(city.jiangan),
            campaign=campaign,
            compound=compounds[0],
            held_on=today(),
            attendance=12,
            item_codes=["B15", "I13"],
            minutes="居民反映外墙渗水。",
        )
    client = client_as(jiangan_officer)
    url = reverse("engagement:campaign-detail", args=[small.pk])
    client.get(url)  # warm the session and content types

    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(len(two)):
        response = client.get(reverse("engagement:campaign-detail", args=[large.pk]))
    assert response.status_code == 200
    assert len(response.context["figures"].summaries) == 20
    assert len(two) <= 15, [q["sql"] for q in two.captured_queries]


# --- answers on behalf -----------------------------------------------------------------------


def answer_url(campaign):
    return reverse("engagement:campaign-answer", args=[campaign.pk])


def answer(city, **overrides):
    data = {
        "compound": city.jiangan_compound.pk,
        "building": "1",
        "unit": "1",
        "room": "201",
        "channel": "door_to_door",
        "paper_reference": "JA-0007",
        "needs": ["B15"],
        "urgent": ["I13"],
        "willingness": "some",
        "comment": "楼道灯坏了",
    }
    data.update(overrides)
    return data


def test_recording_a_door_to_door_answer_on_behalf(client_as, jiangan_officer, campaign, city):
    client = client_as(jiangan_officer)

    form = client.get(answer_url(campaign))
    response = client.post(answer_url(campaign), answer(city))

    assert form.status_code == 200
    assert "I13 加装电梯" in form.text
    assert response.status_code == 302
    assert response["Location"] == f"{answer_url(campaign)}?compound={city.jiangan_compound.pk}"
    submission = Submission.objects.get()
    assert submission.household.room == "201"
    assert submission.channel == Channel.DOOR_TO_DOOR
    assert submission.recorded_by == jiangan_officer
    assert submission.paper_reference == "JA-0007"
    assert sorted((n.item.code, n.is_urgent) for n in submission.needs.all()) == [
        ("B15", False),
        ("I13", True),
    ]
    assert AuditEvent.objects.filter(verb="needs.submitted").count() == 1


def test_recording_the_same_household_again_replaces_its_answer(
    client_as, jiangan_officer, campaign, city
):
    client = client_as(jiangan_officer)
    client.post(answer_url(campaign), answer(city))

    response = client.post(
        answer_url(campaign), answer(city, needs=["B01"], urgent=[], channel="phone"), follow=True
    )

    submission = Submission.objects.get()
    assert [n.item.code for n in submission.needs.all()] == ["B01"]
    assert submission.channel == Channel.PHONE
    assert "已更新" in response.text


@pytest.mark.parametrize(
    "case",
    [
        ({"paper_reference": ""}, "纸质表编号"),
        ({"room": "999"}, "找不到这一户"),
        ({"building": "9"}, "找不到这一户"),
        ({"channel": "online"}, "channel"),
    ],
    ids=["no-paper-reference", "unknown-room", "unknown-building", "online-channel"],
)
def test_bad_answers_are_refused_and_nothing_is_written(
    client_as, jiangan_officer, campaign, city, case
):
    overrides, message = case
    response = client_as(jiangan_officer).post(answer_url(campaign), answer(city, **overrides))

    assert response.status_code == 200
    if message == "channel":
        assert response.context["form"].errors["channel"]
    else:
        assert message in response.text
    assert not Submission.objects.exists()


def test_a_closed_campaign_takes_no_answers(client_as, jiangan_officer, city):
    closed = open_campaign(jiangan_officer, city.jiangan, [city.jiangan_compound], days=(-9, -2))

    page = client_as(jiangan_officer).get(answer_url(closed))
    response = client_as(jiangan_officer).post(answer_url(closed), answer(city))

    assert "征集不在进行中" in page.text
    assert "征集不在进行中" in response.text
    assert not Submission.objects.exists()


def test_other_districts_households_cannot_be_picked(client_as, jiangan_officer, campaign, city):
    response = client_as(jiangan_officer).post(
        answer_url(campaign), answer(city, compound=city.wuchang_compound.pk)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["compound"]
    assert not Submission.objects.exists()


# --- forums ----------------------------------------------------------------------------------


def test_recording_forum_minutes(client_as, jiangan_officer, campaign, city):
    client = client_as(jiangan_officer)

    response = client.post(
        reverse("engagement:campaign-forum", args=[campaign.pk]),
        {
            "compound": city.jiangan_compound.pk,
            "held_on": today(),
            "attendance": 23,
            "items": ["I13", "B13"],
            "minutes": "居民集中反映加装电梯和飞线问题。",
        },
    )
    detail = client.get(reverse("engagement:campaign-detail", args=[campaign.pk]))

    forum = Forum.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith("#forums")
    assert sorted(i.code for i in forum.items.all()) == ["B13", "I13"]
    assert forum.recorded_by == jiangan_officer
    assert "居民集中反映加装电梯和飞线问题。" in detail.text
    assert "23 人参加" in detail.text


def test_forum_needs_minutes_and_attendance(client_as, jiangan_officer, campaign, city):
    response = client_as(jiangan_officer).post(
        reverse("engagement:campaign-forum", args=[campaign.pk]),
        {"compound": city.jiangan_compound.pk, "held_on": today(), "attendance": 0},
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"attendance", "minutes"}
    assert not Forum.objects.exists()


def test_the_map_leaves_out_compounds_without_coordinates(
    client_as, jiangan_officer, campaign, city
):
    Compound.objects.filter(pk=city.jiangan_compound.pk).update(longitude=None, latitude=None)

    response = client_as(jiangan_officer).get(
        reverse("engagement:campaign-detail", args=[campaign.pk])
    )

    assert response.status_code == 200
    assert response.context["map_data"]["compounds"] == []
    assert len(response.context["figures"].summaries) == 1

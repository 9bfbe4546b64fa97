"""Campaign API: scoped list and detail, per-compound summary, and the idempotent PUT of a
household's answer recorded on its behalf."""

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from anju.conftest import make_compound
from anju.core.calendar import today
from anju.core.models import AuditEvent
from anju.core.scope import Scope
from anju.engagement import services
from anju.engagement.models import Channel, Submission
from anju.engagement.services import NeedChoice
from anju.engagement.tests.roles import ALL_ROLES, ORGANISING, staff_in_role

pytestmark = pytest.mark.django_db


def district_scope(node):
    return Scope(roles=frozenset({"district_task_force"}), node_paths=(node.path,))


def open_campaign(officer, node, compounds, title):
    return services.open_campaign(
        actor=officer,
        scope=district_scope(node),
        node=node,
        title=title,
        compounds=compounds,
        starts_on=today() - timedelta(days=1),
        ends_on=today() + timedelta(days=14),
    )


@pytest.fixture
def campaign(city, jiangan_officer):
    return open_campaign(jiangan_officer, city.jiangan, [city.jiangan_compound], "江岸问需")


@pytest.fixture
def wuchang_campaign(city, wuchang_officer):
    return open_campaign(wuchang_officer, city.wuchang, [city.wuchang_compound], "武昌问需")


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def submission_url(campaign, household):
    return f"/api/v1/campaigns/{campaign.pk}/submissions/{household.pk}/"


BODY = {
    "channel": "door_to_door",
    "paper_reference": "JA-100",
    "needs": [{"item": "B15", "urgent": True}, {"item": "I13"}],
    "willingness": "some",
    "comment": "外墙掉皮",
}


def test_list_is_scoped_and_paginated(jiangan_officer, campaign, wuchang_campaign, city):
    response = api(jiangan_officer).get("/api/v1/campaigns/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (row,) = body["results"]
    assert row["title"] == "江岸问需"
    assert row["compounds"] == [city.jiangan_compound.code]
    assert row["is_open"] is True


def test_list_query_count_does_not_grow_with_campaigns(
    jiangan_officer, city, django_assert_max_num_queries
):
    for index in range(12):
        open_campaign(jiangan_officer, city.jiangan, [city.jiangan_compound], f"问需{index}")
    client = api(jiangan_officer)

    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/campaigns/")
    assert response.json()["count"] == 12


def test_detail_and_summary_count_every_channel(jiangan_officer, campaign, city):
    first, second, *_ = city.jiangan_compound.households.order_by("room")
    services.submit_needs(
        actor=None, campaign=campaign, household=first, needs=[NeedChoice("B15", True)]
    )
    services.submit_needs(
        actor=jiangan_officer,
        campaign=campaign,
        household=second,
        needs=[NeedChoice("B15")],
        channel=Channel.IMPORTED,
        paper_reference="P-2",
    )
    client = api(jiangan_officer)

    detail = client.get(f"/api/v1/campaigns/{campaign.pk}/").json()
    summary = client.get(f"/api/v1/campaigns/{campaign.pk}/summary/").json()

    assert (detail["households"], detail["responses"], detail["response_rate"]) == (4, 2, "2/4")
    assert detail["response_percent"] == "50.0"
    assert detail["channels"]["imported"] == 1
    (compound,) = summary
    assert compound["code"] == city.jiangan_compound.code
    assert compound["by_channel"] == {"online": 1, "imported": 1}
    assert compound["needs"] == [
        {
            "item": "B15",
            "name": "外墙修缮",
            "households": 2,
            "urgent": 1,
            "share": "1/2",
            "share_percent": "50.0",
        }
    ]


def test_put_records_an_answer_on_behalf_and_is_idempotent(jiangan_officer, campaign, city):
    household = city.jiangan_compound.households.first()
    client = api(jiangan_officer)

    first = client.put(submission_url(campaign, household), BODY, format="json")
    second = client.put(submission_url(campaign, household), BODY, format="json")

    assert first.status_code == second.status_code == 200
    assert first.json() | {"updated_at": None} == second.json() | {"updated_at": None}
    assert sorted(second.json()["needs"], key=lambda n: n["item"]) == [
        {"item": "B15", "urgent": True},
        {"item": "I13", "urgent": False},
    ]
    submission = Submission.objects.get()
    assert submission.channel == Channel.DOOR_TO_DOOR
    assert submission.recorded_by == jiangan_officer
    assert submission.paper_reference == "JA-100"
    assert second.json()["recorded_by"] == jiangan_officer.username
    read = client.get(submission_url(campaign, household))
    assert read.status_code == 200
    assert read.json()["comment"] == "外墙掉皮"


def test_a_changed_put_replaces_the_answer(jiangan_officer, campaign, city):
    household = city.jiangan_compound.households.first()
    client = api(jiangan_officer)
    client.put(submission_url(campaign, household), BODY, format="json")

    response = client.put(
        submission_url(campaign, household),
        {**BODY, "channel": "phone", "needs": [{"item": "B01"}]},
        format="json",
    )

    assert response.json()["needs"] == [{"item": "B01", "urgent": False}]
    assert Submission.objects.get().channel == Channel.PHONE


def test_other_districts_campaign_and_household_are_not_found(
    jiangan_officer, campaign, wuchang_campaign, city
):
    client = api(jiangan_officer)
    theirs = city.wuchang_compound.households.first()
    ours = city.jiangan_compound.households.first()

    answers = [
        client.get(f"/api/v1/campaigns/{wuchang_campaign.pk}/").status_code,
        client.get(f"/api/v1/campaigns/{wuchang_campaign.pk}/summary/").status_code,
        client.put(submission_url(wuchang_campaign, theirs), BODY, format="json").status_code,
        client.put(submission_url(campaign, theirs), BODY, format="json").status_code,
        client.get(submission_url(campaign, ours)).status_code,
    ]

    assert answers == [404, 404, 404, 404, 404]
    assert not Submission.objects.exists()
    assert not AuditEvent.objects.filter(verb="needs.submitted").exists()


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({**BODY, "channel": "online"}, {"channel"}),
        ({**BODY, "channel": "carrier-pigeon"}, {"channel"}),
        ({**BODY, "needs": [{"urgent": True}]}, {"needs"}),
        ({**BODY, "willingness": "lots"}, {"willingness"}),
        ({**BODY, "comment": "x" * 2001}, {"comment"}),
        ({**BODY, "needs": [{"item": "ZZ9"}]}, {"needs"}),
        ({**BODY, "needs": [{"item": "B15"}, {"item": "B15"}]}, {"needs"}),
        ({**BODY, "paper_reference": ""}, {"paper_reference"}),
    ],
)
def test_bad_bodies_answer_400_with_fields(jiangan_officer, campaign, city, body, fields):
    household = city.jiangan_compound.households.first()

    response = api(jiangan_officer).put(submission_url(campaign, household), body, format="json")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == fields
    assert not Submission.objects.exists()


def test_a_closed_campaign_answers_400(jiangan_officer, city):
    closed = services.open_campaign(
        actor=jiangan_officer,
        scope=district_scope(city.jiangan),
        node=city.jiangan,
        title="已结束",
        compounds=[city.jiangan_compound],
        starts_on=today() - timedelta(days=9),
        ends_on=today() - timedelta(days=2),
    )
    household = city.jiangan_compound.households.first()

    response = api(jiangan_officer).put(submission_url(closed, household), BODY, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "campaign_closed"


def test_a_designer_may_read_but_not_record(designer, campaign, city):
    household = city.jiangan_compound.households.first()
    client = api(designer)

    assert client.get(f"/api/v1/campaigns/{campaign.pk}/").status_code == 200
    response = client.put(submission_url(campaign, household), BODY, format="json")

    assert response.status_code == 403
    assert not Submission.objects.exists()


def test_anonymous_callers_are_refused(client, campaign):
    assert client.get("/api/v1/campaigns/").status_code in (401, 403)


def test_summary_of_many_compounds_costs_a_fixed_number_of_queries(
    jiangan_officer, city, django_assert_max_num_queries
):
    compounds = [
        make_compound(
            city.jiangan_community, f"4201020010018{i:02d}", f"小区{i}", lon=114.3, lat=30.6
        )
        for i in range(15)
    ]
    campaign = open_campaign(jiangan_officer, city.jiangan, compounds, "十五个小区")
    client = api(jiangan_officer)

    with django_assert_max_num_queries(9):
        response = client.get(f"/api/v1/campaigns/{campaign.pk}/summary/")
    assert len(response.json()) == 15


def test_the_response_rate_keeps_the_compounds_households_as_its_denominator(jiangan_officer, city):
    """A compound of 77 households with no answer yet reads "0/77", not "0/1": the rate's
    denominator is the households asked, so it is never reduced away."""
    compound = make_compound(
        city.jiangan_community,
        "420102001001077",
        "七十七户小区",
        lon=114.3,
        lat=30.6,
        households=77,
    )
    campaign = open_campaign(jiangan_officer, city.jiangan, [compound], "七十七户")
    client = api(jiangan_officer)

    before = client.get(f"/api/v1/campaigns/{campaign.pk}/summary/").json()
    for household in compound.households.order_by("room")[:7]:
        services.submit_needs(
            actor=None, campaign=campaign, household=household, needs=[NeedChoice("B15")]
        )
    (after,) = client.get(f"/api/v1/campaigns/{campaign.pk}/summary/").json()
    detail = client.get(f"/api/v1/campaigns/{campaign.pk}/").json()

    assert (before[0]["households"], before[0]["response_rate"]) == (77, "0/77")
    assert (after["responses"], after["response_rate"], after["response_percent"]) == (
        7,
        "7/77",
        "9.1",
    )
    assert (detail["households"], detail["response_rate"]) == (77, "7/77")


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_the_organisers_read_a_households_answer(campaign, city, jiangan_officer, role):
    """A household's answer (its needs, free-text comment and willingness to pay) is personal
    data (PIPL art. 6, minimum necessary): the staff who may record it on the household's
    behalf read it; a company assigned to the compound reads the totals and gets 404 for the
    answer, exactly as for a household that did not answer."""
    household = city.jiangan_compound.households.first()
    api(jiangan_officer).put(submission_url(campaign, household), BODY, format="json")
    client = api(staff_in_role(city, role))

    answer = client.get(submission_url(campaign, household))
    summary = client.get(f"/api/v1/campaigns/{campaign.pk}/summary/")

    assert summary.status_code == 200
    assert summary.json()[0]["willingness"] == {"some": 1}
    if role in ORGANISING:
        assert answer.status_code == 200
        assert answer.json()["comment"] == "外墙掉皮"
    else:
        assert answer.status_code == 404
        assert "外墙掉皮" not in answer.text

"""Workbench vote pages: create (body-scoped), paper ballots, masking, the tally after the
close, the explained result, and published inputs that the CLI re-counts to the same result."""

import json
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from anju.core.models import AuditEvent
from anju.core.scope import Scope
from anju.engagement import services
from anju.engagement.models import Ballot, Channel, Vote
from anju.engagement.tests.roles import ALL_ROLES, ORGANISING, staff_in_role
from anju.territory.models import Household, Unit

pytestmark = pytest.mark.django_db


def district_scope(node):
    return Scope(roles=frozenset({"district_task_force"}), node_paths=(node.path,))


def open_vote(officer, city, *, matter=7, past=False, **where):
    now = timezone.now()
    return services.open_vote(
        actor=officer,
        scope=district_scope(city.jiangan),
        compound=city.jiangan_compound,
        title="是否同意实施老旧小区改造",
        matter=matter,
        opens_at=now - timedelta(days=3) if past else now - timedelta(hours=1),
        closes_at=now - timedelta(days=1) if past else now + timedelta(days=7),
        **where,
    )


def rooms(city):
    return list(city.jiangan_compound.households.order_by("room"))


def cast_in_window(officer, vote, household, choice, reference):
    return services.cast_ballot(
        actor=officer,
        vote=vote,
        household=household,
        choice=choice,
        channel=Channel.DOOR_TO_DOOR,
        paper_reference=reference,
        at=vote.opens_at + timedelta(hours=1),
    )


@pytest.fixture
def second_unit(city):
    building = city.jiangan_compound.buildings.get()
    unit = Unit.objects.create(building=building, number="2单元")
    for room in ("102", "202"):
        Household.objects.create(
            unit=unit, room=room, floor=int(room[0]), exclusive_area=Decimal("60.00")
        )
    return unit


# --- list and create -------------------------------------------------------------------------


def test_list_shows_the_districts_votes(client_as, jiangan_officer, city):
    vote = open_vote(jiangan_officer, city)

    response = client_as(jiangan_officer).get(reverse("engagement:vote-list"))

    assert response.status_code == 200
    assert vote.title in response.text
    assert "重大事项" in response.text


def test_create_form_marks_the_major_matters(client_as, jiangan_officer, city):
    response = client_as(jiangan_officer).get(reverse("engagement:vote-create"))

    assert response.status_code == 200
    assert "7. 改建、重建建筑物及其附属设施（重大事项，须四分之三以上同意）" in response.text
    assert "5. 使用建筑物及其附属设施的维修资金（一般事项，须过半数同意）" in response.text
    assert city.jiangan_compound.code in response.text
    assert city.wuchang_compound.code not in response.text


def test_choosing_a_compound_offers_its_buildings_and_units(
    client_as, jiangan_officer, city, second_unit
):
    response = client_as(jiangan_officer).get(
        reverse("engagement:vote-create"),
        {"compound": city.jiangan_compound.code},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert "1栋 2单元" in response.text


def test_creating_an_elevator_vote_for_one_unit(client_as, jiangan_officer, city, second_unit):
    now = timezone.localtime()
    response = client_as(jiangan_officer).post(
        reverse("engagement:vote-create"),
        {
            "title": "2单元加装电梯",
            "matter": 7,
            "compound": city.jiangan_compound.code,
            "building": second_unit.building_id,
            "unit": second_unit.pk,
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
        },
    )

    vote = Vote.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("engagement:vote-detail", args=[vote.pk])
    assert (vote.unit, vote.building, vote.is_major) == (second_unit, second_unit.building, True)
    assert vote.electorate().count() == 2
    assert AuditEvent.objects.filter(verb="vote.opened").count() == 1


def test_create_rejects_the_other_districts_compound(client_as, jiangan_officer, city):
    now = timezone.localtime()
    response = client_as(jiangan_officer).post(
        reverse("engagement:vote-create"),
        {
            "title": "改造",
            "matter": 7,
            "compound": city.wuchang_compound.code,
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["compound"]
    assert city.wuchang_compound.name not in response.text
    assert not Vote.objects.exists()


def test_a_designer_may_not_open_votes(client_as, designer):
    assert client_as(designer).get(reverse("engagement:vote-create")).status_code == 403


# --- paper ballots and masking ---------------------------------------------------------------


def ballot(**overrides):
    data = {
        "building": "1栋",
        "unit": "1单元",
        "room": "101",
        "choice": "agree",
        "channel": "door_to_door",
        "paper_reference": "P-001",
    }
    data.update(overrides)
    return data


def test_recording_a_paper_ballot(client_as, jiangan_officer, city):
    vote = open_vote(jiangan_officer, city)
    client = client_as(jiangan_officer)

    response = client.post(reverse("engagement:vote-ballot", args=[vote.pk]), ballot())

    saved = Ballot.objects.get()
    assert response.status_code == 302
    assert (saved.choice, saved.channel, saved.paper_reference) == (
        "agree",
        "door_to_door",
        "P-001",
    )
    assert saved.recorded_by == jiangan_officer
    assert saved.household.room == "101"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"paper_reference": ""}, "该字段是必填项"),
        ({"room": "909"}, "不在本次表决范围内"),
        ({"choice": "maybe"}, "choice"),
        ({"channel": "online"}, "channel"),
    ],
)
def test_bad_paper_ballots_are_refused(client_as, jiangan_officer, city, overrides, message):
    vote = open_vote(jiangan_officer, city)

    response = client_as(jiangan_officer).post(
        reverse("engagement:vote-ballot", args=[vote.pk]), ballot(**overrides)
    )

    assert response.status_code == 200
    if message in ("choice", "channel"):
        assert response.context["form"].errors[message]
    else:
        assert message in response.text
    assert not Ballot.objects.exists()


def test_a_unit_vote_takes_no_ballot_from_another_unit(
    client_as, jiangan_officer, city, second_unit
):
    vote = open_vote(jiangan_officer, city, building=second_unit.building, unit=second_unit)

    refused = client_as(jiangan_officer).post(
        reverse("engagement:vote-ballot", args=[vote.pk]), ballot(unit="1单元", room="101")
    )
    accepted = client_as(jiangan_officer).post(
        reverse("engagement:vote-ballot", args=[vote.pk]), ballot(unit="2", room="102")
    )

    assert "不在本次表决范围内" in refused.text
    assert accepted.status_code == 302
    assert Ballot.objects.get().household.unit == second_unit


def section(html: str, element_id: str) -> str:
    """The element with this id, up to the end of its table or list ("" when absent)."""
    start = html.find(f'id="{element_id}"')
    if start < 0:
        return ""
    ends = [html.find(tag, start) for tag in ("</table>", "</ul>", "</div>")]
    return html[start : min(e for e in ends if e >= 0)]


def two_ballots(officer, vote, city):
    first, second, *_ = rooms(city)
    cast_in_window(officer, vote, first, "agree", "P-101")
    cast_in_window(officer, vote, second, "disagree", "P-201")


@pytest.mark.parametrize("role", ALL_ROLES)
def test_before_the_close_organisers_see_turnout_and_nobody_sees_counts_by_choice(
    client_as, jiangan_officer, city, role
):
    """Ballot secrecy while the vote is open (selectors.may_see_turnout,
    may_see_choice_counts): counts by choice would tell each side how many votes it still
    needs, so nobody sees them before the close; the organisers see how many households
    took part, companies and reviewers not even that."""
    vote = open_vote(jiangan_officer, city)
    two_ballots(jiangan_officer, vote, city)

    response = client_as(staff_in_role(city, role)).get(
        reverse("engagement:vote-detail", args=[vote.pk])
    )

    assert response.status_code == 200
    assert 'id="choice-counts"' not in response.text
    assert "反对 <strong>" not in response.text
    if role in ORGANISING:
        assert (
            'data-figure="ballots">2 <small class="fs-6 text-body-secondary">50.0%' in response.text
        )
        assert response.context["figures"].turnout == 2
        assert response.context["figures"].turnout_share == Fraction(2, 4)
    else:
        assert 'id="turnout"' not in response.text
        assert response.context["figures"].turnout is None


@pytest.mark.parametrize("role", ALL_ROLES)
def test_after_the_close_every_staff_role_sees_the_counts(client_as, jiangan_officer, city, role):
    vote = open_vote(jiangan_officer, city, past=True)
    two_ballots(jiangan_officer, vote, city)

    response = client_as(staff_in_role(city, role)).get(
        reverse("engagement:vote-detail", args=[vote.pk])
    )

    counts = section(response.text, "choice-counts")
    assert "同意 <strong>1</strong>" in counts
    assert "反对 <strong>1</strong>" in counts
    assert response.context["figures"].turnout == 2


@pytest.mark.parametrize("past", [False, True])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_nobody_sees_how_a_household_voted(client_as, jiangan_officer, city, role, past):
    """The by-address list says which households took part and how their ballot came in,
    for the roles that go door to door (community and street staff); it never says how a
    household voted, before or after the close."""
    vote = open_vote(jiangan_officer, city, past=past)
    two_ballots(jiangan_officer, vote, city)

    response = client_as(staff_in_role(city, role)).get(
        reverse("engagement:vote-detail", args=[vote.pk])
    )

    rows = section(response.text, "ballot-rows")
    for label in ("同意", "反对", "弃权"):
        assert label not in rows
    if role in ("community_worker", "street_office"):
        assert "<td>101</td>" in rows and "<td>201</td>" in rows
        assert "P-201" in rows
    else:
        assert rows == ""


def test_the_vote_list_shows_turnout_only_to_organisers(client_as, jiangan_officer, designer, city):
    vote = open_vote(jiangan_officer, city)
    two_ballots(jiangan_officer, vote, city)
    url = reverse("engagement:vote-list")

    officer = client_as(jiangan_officer).get(url)
    company = client_as(designer).get(url)

    assert '<td class="text-end" data-figure="turnout">2</td>' in officer.text
    assert 'data-figure="turnout">2<' not in company.text
    assert vote.title in company.text


# --- tally and result ------------------------------------------------------------------------


def test_tally_is_refused_before_the_close(client_as, jiangan_officer, city):
    vote = open_vote(jiangan_officer, city)

    response = client_as(jiangan_officer).post(reverse("engagement:vote-tally", args=[vote.pk]))

    assert response.status_code == 400
    vote.refresh_from_db()
    assert vote.result is None


def test_result_explains_the_four_ratios_and_which_threshold_failed(
    client_as, jiangan_officer, city
):
    vote = open_vote(jiangan_officer, city, past=True)
    first, second, third, _fourth = rooms(city)
    cast_in_window(jiangan_officer, vote, first, "agree", "P-1")
    cast_in_window(jiangan_officer, vote, second, "agree", "P-2")
    cast_in_window(jiangan_officer, vote, third, "disagree", "P-3")
    client = client_as(jiangan_officer)

    tallied = client.post(reverse("engagement:vote-tally", args=[vote.pk]))
    response = client.get(reverse("engagement:vote-detail", args=[vote.pk]))

    assert tallied.status_code == 302
    vote.refresh_from_db()
    assert vote.result["passed"] is False
    checks = response.context["checks"]
    assert [(c["fraction"], c["threshold"], c["met"]) for c in checks] == [
        ("3/4", "≥2/3", True),
        ("3/4", "≥2/3", True),
        ("2/3", "≥3/4", False),
        ("2/3", "≥3/4", False),
    ]
    assert [str(c["percent"]) for c in checks] == ["75.00", "75.00", "66.67", "66.67"]
    assert "240 ㎡ / 320 ㎡" in response.text
    assert "✗ 未达到" in response.text
    assert "1 户未参与表决" in response.text
    assert "同意的专有面积 160 ㎡，占参与表决面积 240 ㎡ 的 2/3" in response.text
    assert AuditEvent.objects.filter(verb="vote.tallied").count() == 1


def test_an_ordinary_matter_shows_the_strict_half(client_as, jiangan_officer, city):
    vote = open_vote(jiangan_officer, city, matter=5, past=True)
    first, second, third, fourth = rooms(city)
    for household, choice in ((first, "agree"), (second, "agree"), (third, "disagree")):
        cast_in_window(jiangan_officer, vote, household, choice, f"P-{household.room}")
    cast_in_window(jiangan_officer, vote, fourth, "disagree", "P-4")
    services.tally_vote(actor=jiangan_officer, vote=vote)

    response = client_as(jiangan_officer).get(reverse("engagement:vote-detail", args=[vote.pk]))

    approval = response.context["checks"][2]
    assert (approval["fraction"], approval["threshold"], approval["met"]) == ("1/2", ">1/2", False)


def test_the_english_page_shows_the_english_explanation(client_as, jiangan_officer, city):
    vote = open_vote(jiangan_officer, city, past=True)
    services.tally_vote(actor=jiangan_officer, vote=vote)

    response = client_as(jiangan_officer).get(
        reverse("engagement:vote-detail", args=[vote.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert "The vote did not pass." in response.text


# --- published inputs ------------------------------------------------------------------------


def test_published_inputs_wait_for_the_tally(client_as, jiangan_officer, city):
    vote = open_vote(jiangan_officer, city)

    response = client_as(jiangan_officer).get(reverse("engagement:vote-inputs", args=[vote.pk]))

    assert response.status_code == 409


def test_published_inputs_have_no_personal_data_and_re_tally_to_the_stored_result(
    client_as, jiangan_officer, designer, city, tmp_path
):
    first, second, third, fourth = rooms(city)
    Household.objects.filter(pk__in=[first.pk, second.pk]).update(owner_key="owner-two-flats")
    Household.objects.filter(pk=fourth.pk).update(is_developer_unsold=True, owner_key="")
    vote = open_vote(jiangan_officer, city, past=True)
    first.refresh_from_db()
    cast_in_window(jiangan_officer, vote, first, "agree", "P-1")  # and the same owner's 201
    cast_in_window(jiangan_officer, vote, third, "disagree", "P-3")
    cast_in_window(jiangan_officer, vote, fourth, "agree", "P-4")
    services.tally_vote(actor=jiangan_officer, vote=vote)
    vote.refresh_from_db()
    url = reverse("engagement:vote-inputs", args=[vote.pk])

    response = client_as(jiangan_officer).get(url)
    again = client_as(designer).get(url)

    assert response.status_code == 200
    assert again.content == response.content
    text = response.content.decode("utf-8")
    lines = text.strip().splitlines()
    assert lines[0] == "unit_id,owner_id,area,vote"
    assert len(lines) == 5
    for household in (first, second, third, fourth):
        assert f"\n{household.pk}," not in text
    assert "owner-" not in text and "household-" not in text
    owners = [line.split(",")[1] for line in lines[1:]]
    assert owners.count("developer") == 1
    assert len(set(owners)) == 3  # the owner of two flats is one head
    path = tmp_path / "inputs.csv"
    path.write_bytes(response.content)

    stdout = StringIO()
    call_command("consent", "tally", "--ballots", str(path), "--matter", "major", stdout=stdout)

    recounted = json.loads(stdout.getvalue())
    stored = {key: value for key, value in vote.result.items() if key != "explanation_en"}
    assert recounted == stored


def test_the_re_check_command_names_the_file_the_download_saves(client_as, jiangan_officer, city):
    """The result card tells the reader to run `anju consent tally --ballots FILE`: FILE is
    the name the "download" button saves, or the command fails with "no such file"."""
    vote = open_vote(jiangan_officer, city, past=True)
    first, *_ = rooms(city)
    cast_in_window(jiangan_officer, vote, first, "agree", "P-1")
    services.tally_vote(actor=jiangan_officer, vote=vote)
    client = client_as(jiangan_officer)

    page = client.get(reverse("engagement:vote-detail", args=[vote.pk]))
    download = client.get(reverse("engagement:vote-inputs", args=[vote.pk]))

    filename = download["Content-Disposition"].split('filename="')[1].rstrip('"')
    assert filename.startswith(f"vote-{vote.pk}-inputs-")
    assert f"<code>anju consent tally --ballots {filename} --matter major</code>" in page.text

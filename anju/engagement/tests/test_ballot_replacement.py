"""A paper ballot never silently replaces a household's ballot: staff confirm the
replacement, the replaced ballot is kept (who, when, channel, choice) and audited, the tally
counts only the current one, and one paper reference serves one household per vote."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from anju.core.errors import DomainError
from anju.core.models import AuditEvent
from anju.core.scope import Scope
from anju.engagement import services
from anju.engagement.models import Ballot, Channel, SupersededBallot

pytestmark = pytest.mark.django_db


@pytest.fixture
def vote(city, jiangan_officer):
    now = timezone.now()
    return services.open_vote(
        actor=jiangan_officer,
        scope=Scope(roles=frozenset({"district_task_force"}), node_paths=(city.jiangan.path,)),
        compound=city.jiangan_compound,
        title="是否同意实施老旧小区改造",
        matter=7,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7),
    )


@pytest.fixture
def households(city):
    return list(city.jiangan_compound.households.order_by("room"))


def paper(officer, vote, household, choice, reference, **extra):
    return services.cast_ballot(
        actor=officer,
        vote=vote,
        household=household,
        choice=choice,
        channel=Channel.DOOR_TO_DOOR,
        paper_reference=reference,
        **extra,
    )


# --- the service -----------------------------------------------------------------------------


def test_a_paper_ballot_does_not_replace_an_online_ballot_unless_confirmed(
    vote, households, jiangan_officer
):
    household = households[0]
    services.cast_ballot(actor=None, vote=vote, household=household, choice="agree")

    with pytest.raises(services.BallotReplacementUnconfirmed) as refused:
        paper(jiangan_officer, vote, household, "disagree", "P-1")

    assert refused.value.code == "ballot_exists"
    assert refused.value.status == 409
    assert refused.value.existing["channel"] == Channel.ONLINE
    assert "choice" not in refused.value.existing  # ballot secrecy, even here
    current = Ballot.objects.get()
    assert (current.choice, current.channel) == ("agree", Channel.ONLINE)
    assert not SupersededBallot.objects.exists()


def test_a_second_paper_ballot_does_not_replace_the_first_unless_confirmed(
    vote, households, jiangan_officer
):
    household = households[0]
    paper(jiangan_officer, vote, household, "agree", "P-1")

    with pytest.raises(services.BallotReplacementUnconfirmed):
        paper(jiangan_officer, vote, household, "disagree", "P-2")

    assert Ballot.objects.get().paper_reference == "P-1"


def test_entering_the_same_paper_twice_changes_nothing(vote, households, jiangan_officer):
    household = households[0]
    first = paper(jiangan_officer, vote, household, "agree", "P-1")

    again = paper(jiangan_officer, vote, household, "agree", "P-1")

    assert again.pk == first.pk
    assert not SupersededBallot.objects.exists()


def test_a_confirmed_replacement_keeps_the_replaced_ballot_and_is_audited(
    vote, households, jiangan_officer, jiangan_community_worker
):
    household = households[0]
    online = services.cast_ballot(actor=None, vote=vote, household=household, choice="agree")

    paper(jiangan_community_worker, vote, household, "disagree", "P-1", replace=True)

    current = Ballot.objects.get()
    assert (current.choice, current.channel, current.recorded_by) == (
        "disagree",
        Channel.DOOR_TO_DOOR,
        jiangan_community_worker,
    )
    kept = SupersededBallot.objects.get()
    assert (kept.household, kept.choice, kept.channel, kept.recorded_by, kept.cast_at) == (
        household,
        "agree",
        Channel.ONLINE,
        None,
        online.cast_at,
    )
    assert (kept.superseded_by, kept.superseded_by_channel) == (
        jiangan_community_worker,
        Channel.DOOR_TO_DOOR,
    )
    event = AuditEvent.objects.get(verb="ballot.replaced")
    assert event.before["channel"] == "online"
    assert event.after == {"channel": "door_to_door", "paper": "P-1"}


def test_the_tally_counts_only_the_current_ballot(vote, households, jiangan_officer):
    household = households[0]
    services.cast_ballot(actor=None, vote=vote, household=household, choice="agree")
    paper(jiangan_officer, vote, household, "disagree", "P-1", replace=True)

    inputs = {unit.unit_id: unit.vote.value for unit in services.vote_inputs(vote)}

    assert inputs[str(household.pk)] == "disagree"
    assert sorted(inputs.values()).count("agree") == 0


def test_a_household_changing_its_own_online_ballot_keeps_the_old_one(vote, households):
    household = households[0]
    services.cast_ballot(actor=None, vote=vote, household=household, choice="agree")

    services.cast_ballot(actor=None, vote=vote, household=household, choice="abstain")

    assert Ballot.objects.get().choice == "abstain"
    assert SupersededBallot.objects.get().choice == "agree"
    assert AuditEvent.objects.filter(verb="ballot.replaced").count() == 1


def test_one_paper_reference_serves_one_household_per_vote(vote, households, jiangan_officer):
    paper(jiangan_officer, vote, households[0], "agree", "P-1")

    with pytest.raises(DomainError) as refused:
        paper(jiangan_officer, vote, households[1], "agree", " P-1 ")

    assert refused.value.code == "paper_reference_taken"
    assert "P-1" in str(refused.value.message)
    assert set(refused.value.fields) == {"paper_reference"}
    assert Ballot.objects.count() == 1


def test_the_database_refuses_a_paper_reference_twice_in_a_vote(vote, households):
    Ballot.objects.create(
        vote=vote, household=households[0], choice="agree", channel="imported", paper_reference="X"
    )
    Ballot.objects.create(vote=vote, household=households[1], choice="agree", channel="online")
    Ballot.objects.create(vote=vote, household=households[2], choice="agree", channel="online")

    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(
            vote=vote,
            household=households[3],
            choice="agree",
            channel="imported",
            paper_reference="X",
        )


# --- the page --------------------------------------------------------------------------------


def form(**overrides):
    data = {
        "building": "1栋",
        "unit": "1单元",
        "room": "101",
        "choice": "disagree",
        "channel": "door_to_door",
        "paper_reference": "P-9",
    }
    data.update(overrides)
    return data


def test_the_page_shows_what_would_be_replaced_and_asks_to_confirm(
    client_as, vote, households, jiangan_officer
):
    services.cast_ballot(actor=None, vote=vote, household=households[0], choice="agree")
    client = client_as(jiangan_officer)
    url = reverse("engagement:vote-ballot", args=[vote.pk])

    warned = client.post(url, form())
    confirmed = client.post(url, form(replace="on"))

    assert warned.status_code == 200
    warning = warned.text[warned.text.index('id="replacement"') :]
    assert "线上" in warning[:600]
    assert 'name="replace"' in warned.text
    assert "同意" not in warning[: warning.index("</div>")]
    assert confirmed.status_code == 302
    assert Ballot.objects.get().channel == Channel.DOOR_TO_DOOR
    assert SupersededBallot.objects.count() == 1


def test_the_page_refuses_a_paper_reference_already_used(
    client_as, vote, households, jiangan_officer
):
    paper(jiangan_officer, vote, households[0], "agree", "P-9")

    response = client_as(jiangan_officer).post(
        reverse("engagement:vote-ballot", args=[vote.pk]), form(room="201")
    )

    assert response.status_code == 200
    assert "纸质票编号“P-9”已用于本次表决的另一户" in response.text
    assert Ballot.objects.count() == 1


# --- the API ---------------------------------------------------------------------------------


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def ballot_url(vote, household):
    return f"/api/v1/votes/{vote.pk}/ballots/{household.pk}/"


BODY = {"choice": "disagree", "channel": "door_to_door", "paper_reference": "P-7"}


def test_the_api_replaces_a_ballot_only_with_replace_true(vote, households, jiangan_officer):
    household = households[0]
    services.cast_ballot(actor=None, vote=vote, household=household, choice="agree")
    client = api(jiangan_officer)

    shown = client.get(ballot_url(vote, household)).json()
    refused = client.put(ballot_url(vote, household), BODY, format="json")
    replaced = client.put(ballot_url(vote, household), {**BODY, "replace": True}, format="json")

    assert (shown["channel"], shown["recorded_by"], shown["replaced"]) == ("online", None, 0)
    assert "choice" not in shown
    assert refused.status_code == 409
    assert refused.json()["code"] == "ballot_exists"
    assert replaced.status_code == 200
    assert replaced.json() == {
        "vote": vote.pk,
        "household": household.pk,
        "has_ballot": True,
        "channel": "door_to_door",
        "paper_reference": "P-7",
        "recorded_by": jiangan_officer.username,
        "cast_at": replaced.json()["cast_at"],
        "replaced": 1,
    }
    assert Ballot.objects.get().choice == "disagree"


def test_the_api_records_a_first_paper_ballot_without_replace(vote, households, jiangan_officer):
    client = api(jiangan_officer)
    nothing_yet = client.get(ballot_url(vote, households[0]))
    response = client.put(ballot_url(vote, households[0]), BODY, format="json")

    assert nothing_yet.status_code == 200
    assert (nothing_yet.json()["has_ballot"], nothing_yet.json()["channel"]) == (False, None)
    assert response.status_code == 200
    assert response.json()["replaced"] == 0


def test_the_api_refuses_companies_and_other_districts(
    vote, households, designer, wuchang_officer, city
):
    theirs = city.wuchang_compound.households.first()

    answers = [
        api(designer).put(ballot_url(vote, households[0]), BODY, format="json").status_code,
        api(designer).get(ballot_url(vote, households[0])).status_code,
        api(wuchang_officer).put(ballot_url(vote, households[0]), BODY, format="json").status_code,
        api(wuchang_officer).put(ballot_url(vote, theirs), BODY, format="json").status_code,
    ]

    assert answers == [403, 403, 404, 404]
    assert not Ballot.objects.exists()

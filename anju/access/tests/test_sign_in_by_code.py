"""Residents sign in with the household code printed on their slip."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.test import override_settings
from django.utils import timezone

from anju.access import services
from anju.access.codes import digest_of, issue_household_codes
from anju.access.models import HouseholdCode, SignInCounter
from anju.access.scope import RESIDENT_SESSION_KEY
from anju.core.actors import CLI
from anju.core.errors import DomainError, RateLimited
from anju.engine import household_codes

INVALID = "住户码无效或已失效，请核对后重新输入。"
UNKNOWN_CODE = "XXXXX-XXXXX"  # well formed, never issued
MALFORMED = "hello"


def sign_in(code_text, address="10.1.1.1"):
    return services.sign_in_with_code(request_address=address, code_text=code_text)


# --- The service -----------------------------------------------------------------------------


def test_the_right_code_signs_in_its_household(resident):
    household, code = resident
    assert sign_in(code) == household


def test_codes_are_typed_without_case_dashes_or_spaces(resident):
    household, code = resident
    sloppy = " " + code.replace("-", " ").lower() + " "
    assert sign_in(sloppy) == household


@pytest.mark.parametrize("typed", [UNKNOWN_CODE, MALFORMED, "", "K7RQ4-HXM9C-EXTRA"])
def test_unknown_and_malformed_codes_get_one_and_the_same_answer(resident, typed):
    with pytest.raises(DomainError) as caught:
        sign_in(typed)
    assert caught.value.code == "invalid_code"
    assert str(caught.value.message) == INVALID
    assert caught.value.status == 400


def test_a_code_of_another_household_is_not_accepted_after_regeneration(town, resident):
    household, old_code = resident
    [new_code] = issue_household_codes(
        actor=CLI, compound=town.jiangan_compound, households=[household]
    ).values()
    with pytest.raises(DomainError):
        sign_in(old_code)
    assert sign_in(new_code) == household


def test_regenerating_one_household_leaves_the_others_working(town, jiangan_codes):
    first, second = town.jiangan_households[:2]
    issue_household_codes(actor=CLI, compound=town.jiangan_compound, households=[first])
    assert sign_in(jiangan_codes[second.pk]) == second


def test_only_the_digest_is_stored_never_the_code(jiangan_codes):
    rows = list(HouseholdCode.objects.values_list("household_id", "digest"))
    stored = " ".join(
        str(value) for row in HouseholdCode.objects.values() for value in row.values()
    )
    for household_id, code in jiangan_codes.items():
        assert code not in stored
        assert household_codes.normalise(code) not in stored
        assert (household_id, digest_of(code)) in rows


def test_codes_carry_at_least_40_bits_of_entropy():
    assert household_codes.ENTROPY_BITS >= 40
    assert len(household_codes.ALPHABET) ** household_codes.LENGTH >= 2**40
    assert math.isclose(household_codes.ENTROPY_BITS, 10 * math.log2(25))
    codes = {household_codes.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(household_codes.is_well_formed(household_codes.normalise(c)) for c in codes)


def test_printed_codes_avoid_look_alike_characters():
    assert not set("01OILZ25SUV") & set(household_codes.ALPHABET)


# --- Rate limits -----------------------------------------------------------------------------


@override_settings(ANJU_CODE_SIGN_IN_LIMIT_PER_CODE=2, ANJU_CODE_SIGN_IN_LIMIT_PER_ADDRESS=100)
def test_a_code_is_limited_whatever_address_tries_it(resident):
    for address in ("10.0.0.1", "10.0.0.2"):
        with pytest.raises(DomainError):
            sign_in(UNKNOWN_CODE, address)
    with pytest.raises(RateLimited):
        sign_in(UNKNOWN_CODE, "10.0.0.3")
    household, code = resident
    assert sign_in(code, "10.0.0.3") == household  # other codes are not limited


@override_settings(ANJU_CODE_SIGN_IN_LIMIT_PER_CODE=100, ANJU_CODE_SIGN_IN_LIMIT_PER_ADDRESS=3)
def test_an_address_is_limited_and_then_even_the_right_code_is_refused(resident):
    household, code = resident
    for wrong in ("AAAAA-AAAAA", "BBBBB-BBBBB", "CCCCC-CCCCC"):
        with pytest.raises(DomainError):
            sign_in(wrong, "10.9.9.9")
    with pytest.raises(RateLimited):
        sign_in(code, "10.9.9.9")
    assert sign_in(code, "10.8.8.8") == household


@override_settings(ANJU_CODE_SIGN_IN_LIMIT_PER_CODE=1, ANJU_CODE_SIGN_IN_LIMIT_PER_ADDRESS=2)
def test_malformed_input_counts_against_the_address_only(resident):
    for _attempt in range(2):
        with pytest.raises(DomainError) as caught:
            sign_in(MALFORMED, "10.7.7.7")
        assert caught.value.code == "invalid_code"
    assert not SignInCounter.objects.filter(key__startswith="code:").exists()
    with pytest.raises(RateLimited):
        sign_in(MALFORMED, "10.7.7.7")


@override_settings(ANJU_CODE_SIGN_IN_LIMIT_PER_CODE=2, ANJU_CODE_SIGN_IN_LIMIT_PER_ADDRESS=2)
def test_successes_are_not_failures(resident):
    household, code = resident
    for _attempt in range(5):
        assert sign_in(code, "10.6.6.6") == household
    assert not SignInCounter.objects.exists()


@override_settings(ANJU_CODE_SIGN_IN_LIMIT_PER_CODE=100, ANJU_CODE_SIGN_IN_LIMIT_PER_ADDRESS=2)
def test_a_success_does_not_reset_the_address_counter(resident):
    household, code = resident
    with pytest.raises(DomainError):
        sign_in(UNKNOWN_CODE, "10.5.5.5")
    assert sign_in(code, "10.5.5.5") == household
    with pytest.raises(DomainError):
        sign_in(UNKNOWN_CODE, "10.5.5.5")
    with pytest.raises(RateLimited):
        sign_in(code, "10.5.5.5")


@override_settings(
    ANJU_CODE_SIGN_IN_LIMIT_PER_CODE=100,
    ANJU_CODE_SIGN_IN_LIMIT_PER_ADDRESS=1,
    ANJU_CODE_SIGN_IN_WINDOW_SECONDS=600,
)
def test_the_limit_lifts_when_the_window_ends(resident, monkeypatch):
    household, code = resident
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: start)
    with pytest.raises(DomainError):
        sign_in(UNKNOWN_CODE, "10.4.4.4")
    monkeypatch.setattr(timezone, "now", lambda: start + dt.timedelta(seconds=599))
    with pytest.raises(RateLimited):
        sign_in(code, "10.4.4.4")
    monkeypatch.setattr(timezone, "now", lambda: start + dt.timedelta(seconds=600))
    assert sign_in(code, "10.4.4.4") == household
    assert services.prune_sign_in_counters() == 2  # the address and the unknown code


def test_failures_are_counted_in_the_database_not_in_python(db):
    window = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    services._count_failure("address:10.3.3.3", window)
    services._count_failure("address:10.3.3.3", window)
    counter = SignInCounter.objects.get()
    assert (counter.key, counter.failures) == ("address:10.3.3.3", 2)


# --- The pages -------------------------------------------------------------------------------


def test_the_form_is_made_for_phones(client, db):
    response = client.get("/portal/sign-in/")
    assert response.status_code == 200
    html = response.content.decode()
    for attribute in (
        'autocomplete="one-time-code"',
        'inputmode="text"',
        'autocapitalize="characters"',
        'name="viewport"',
    ):
        assert attribute in html


def test_signing_in_starts_a_fresh_resident_session(client, resident):
    household, code = resident
    client.get("/portal/sign-in/")
    before = client.session.session_key
    response = client.post("/portal/sign-in/", {"code": code}, REMOTE_ADDR="10.2.2.2")
    assert response.status_code == 302
    assert response["Location"] == "/portal/"
    assert client.session[RESIDENT_SESSION_KEY] == household.pk
    assert client.session.session_key != before


def test_unknown_and_malformed_codes_look_the_same_on_the_page(client, resident):
    answers = []
    for typed in (UNKNOWN_CODE, MALFORMED):
        response = client.post("/portal/sign-in/", {"code": typed}, REMOTE_ADDR="10.2.2.3")
        answers.append((response.status_code, INVALID in response.content.decode()))
        assert RESIDENT_SESSION_KEY not in client.session
    assert answers == [(400, True), (400, True)]


@override_settings(ANJU_CODE_SIGN_IN_LIMIT_PER_ADDRESS=1)
def test_a_limited_address_is_told_to_wait(client, resident):
    _household, code = resident
    client.post("/portal/sign-in/", {"code": UNKNOWN_CODE}, REMOTE_ADDR="10.2.2.4")
    response = client.post("/portal/sign-in/", {"code": code}, REMOTE_ADDR="10.2.2.4")
    assert response.status_code == 429
    assert "尝试次数过多" in response.content.decode()
    assert RESIDENT_SESSION_KEY not in client.session


def test_an_empty_form_is_not_counted(client, db):
    response = client.post("/portal/sign-in/", {"code": ""}, REMOTE_ADDR="10.2.2.5")
    assert response.status_code == 400
    assert not SignInCounter.objects.exists()


def test_the_qr_link_fills_the_form_but_does_not_sign_in(client, resident):
    _household, code = resident
    url = "/portal/c/" + household_codes.normalise(code).lower() + "/"
    response = client.get(url)
    assert response.status_code == 200
    assert f'value="{code}"' in response.content.decode()
    assert RESIDENT_SESSION_KEY not in client.session
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"
    assert client.post(url, {"code": code}).status_code == 405


def test_a_staff_member_signing_in_by_code_stops_being_signed_in_as_staff(
    client, resident, jiangan_officer
):
    household, code = resident
    client.force_login(jiangan_officer)
    client.post("/portal/sign-in/", {"code": code}, REMOTE_ADDR="10.2.2.6")
    assert "_auth_user_id" not in client.session
    assert client.session[RESIDENT_SESSION_KEY] == household.pk

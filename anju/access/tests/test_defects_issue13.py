"""Defects found when anju was tried as a new user would (issue 13), one test each that failed
before its fix: the building choice of the code-sheet form, the phone reveal's reason, and
the residents' sign-in limits on a shared address."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from anju.access import services
from anju.core.errors import DomainError, RateLimited
from anju.core.models import AuditEvent
from anju.engine import household_codes

from .factories import BuildingFactory

UNKNOWN = ("AAAAA-AAAAA", "BBBBB-BBBBB", "CCCCC-CCCCC", "DDDDD-DDDDD", "EEEEE-EEEEE")


def typos(count):
    """`count` distinct well-formed codes that were never issued (residents' typos)."""
    alphabet, size = household_codes.ALPHABET, len(household_codes.ALPHABET)
    return [
        alphabet[i % size] * 4 + alphabet[(i // size) % size] + "-" + alphabet[-1] * 5
        for i in range(count)
    ]


# --- Defect 13: "1栋 栋" ----------------------------------------------------------------------


def test_a_building_numbered_with_its_suffix_is_not_labelled_twice(client, town, jiangan_officer):
    BuildingFactory(compound=town.jiangan_compound, number="7栋")
    client.force_login(jiangan_officer)
    html = client.get(f"/workbench/compounds/{town.jiangan_compound.code}/household-codes/")
    html = html.content.decode()
    assert "7栋 栋" not in html and "7栋栋" not in html
    assert "7栋（0 户）" in html
    assert "1栋（3 户）" in html  # a bare number gets the suffix once


# --- Defect 5: the reveal asks for the reason -------------------------------------------------


def test_the_compound_page_asks_for_the_reason_instead_of_sending_a_fixed_one(
    client, town, jiangan_community_worker
):
    client.force_login(jiangan_community_worker)
    html = client.get(f"/workbench/compounds/{town.jiangan_compound.code}/").content.decode()
    assert 'type="hidden" name="reason"' not in html
    assert "联系住户" not in html
    household = town.jiangan_households[0]
    assert f'id="reveal-reason-{household.pk}" name="reason" required' in html


def test_an_empty_reason_is_refused_with_a_message_and_the_form_again(
    client, town, jiangan_community_worker
):
    household = town.jiangan_households[0]
    client.force_login(jiangan_community_worker)
    url = f"/workbench/households/{household.pk}/reveal-phone/"
    response = client.post(url, {"reason": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    html = response.content.decode()
    assert "请说明查看原因" in html
    assert household.phone not in html
    assert 'name="reason"' in html  # the user can type a reason and try again
    assert not AuditEvent.objects.filter(verb="household.personal_data_revealed").exists()


def test_the_reason_typed_is_the_reason_logged(client, town, jiangan_community_worker):
    household = town.jiangan_households[0]
    client.force_login(jiangan_community_worker)
    url = f"/workbench/households/{household.pk}/reveal-phone/"
    client.post(url, {"reason": "通知停水"}, HTTP_HX_REQUEST="true")
    event = AuditEvent.objects.get(verb="household.personal_data_revealed")
    assert event.after == {"reason": "通知停水"}


# --- Defect 8: one community Wi-Fi, many residents ---------------------------------------------


def sign_in(code, address="10.20.0.1"):
    return services.sign_in_with_code(request_address=address, code_text=code)


@pytest.fixture
def clock(monkeypatch):
    """A controlled clock: `clock.set(datetime)`."""

    class Clock:
        now = dt.datetime(2026, 3, 2, 9, 3, 10, tzinfo=dt.UTC)

        def set(self, moment):
            self.now = moment

    the_clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: the_clock.now)
    return the_clock


def test_valid_code_from_busy_address_still_signs_in(resident, clock):
    """Thirty residents behind one community Wi-Fi mistype their codes; the next one, who types
    the right code, still gets in (before: the address was locked after 20 failures)."""
    household, code = resident
    for typo in typos(30):
        with pytest.raises(DomainError) as caught:
            sign_in(typo)
        assert caught.value.code == "invalid_code"
    assert sign_in(code) == household


def test_a_code_is_locked_after_five_failures_from_any_address(resident, clock):
    for attempt in range(5):
        with pytest.raises(DomainError) as caught:
            sign_in(UNKNOWN[0], f"10.30.0.{attempt}")
        assert caught.value.code == "invalid_code"
    with pytest.raises(RateLimited):
        sign_in(UNKNOWN[0], "10.30.0.99")
    household, code = resident
    assert sign_in(code, "10.30.0.99") == household  # the lock is on that code only


def test_a_brute_forcing_address_is_refused_even_the_right_code(resident, clock, settings):
    settings.ANJU_CODE_SIGN_IN_LIMIT_PER_ADDRESS = 40
    household, code = resident
    for typo in typos(40):
        with pytest.raises(DomainError):
            sign_in(typo)
    with pytest.raises(RateLimited):
        sign_in(code)
    assert sign_in(code, "10.20.0.2") == household


def test_the_refusal_says_how_many_minutes_to_wait(resident, clock):
    """The window is 15 minutes from 09:00; at 09:03:10 the wait is 11 min 50 s: "12 分钟"."""
    for _attempt in range(5):
        with pytest.raises(DomainError):
            sign_in(UNKNOWN[1])
    with pytest.raises(RateLimited) as caught:
        sign_in(UNKNOWN[1])
    assert "12 分钟后再试" in str(caught.value.message)
    clock.set(dt.datetime(2026, 3, 2, 9, 14, 30, tzinfo=dt.UTC))
    with pytest.raises(RateLimited) as caught:
        sign_in(UNKNOWN[1])
    assert "1 分钟后再试" in str(caught.value.message)


def test_the_sign_in_page_shows_the_wait(client, resident, clock):
    for _attempt in range(5):
        client.post("/portal/sign-in/", {"code": UNKNOWN[2]}, REMOTE_ADDR="10.40.0.1")
    response = client.post("/portal/sign-in/", {"code": UNKNOWN[2]}, REMOTE_ADDR="10.40.0.1")
    assert response.status_code == 429
    assert "12 分钟后再试" in response.content.decode()

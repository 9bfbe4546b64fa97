"""Staff password sign-in is locked after 5 failures per username and address (django-axes)."""

from __future__ import annotations

import pytest

from .factories import PASSWORD, UserFactory

SIGN_IN = "/sign-in/"


@pytest.fixture
def officer(db):
    return UserFactory(username="officer")


def attempt(client, password, address="10.20.0.1", username="officer"):
    return client.post(SIGN_IN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_the_right_password_signs_in(client, officer):
    response = attempt(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_five_failures_lock_the_account_for_that_address(client, officer):
    for _attempt in range(5):
        response = attempt(client, "wrong password")
        assert "_auth_user_id" not in client.session
    response = attempt(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "登录失败次数过多" in response.content.decode()


def test_four_failures_do_not_lock(client, officer):
    for _attempt in range(4):
        attempt(client, "wrong password")
    assert attempt(client, PASSWORD).status_code == 302


def test_the_lock_is_per_username_and_address(client, officer):
    for _attempt in range(5):
        attempt(client, "wrong password", address="10.20.0.1")
    assert attempt(client, PASSWORD, address="10.20.0.2").status_code == 302


def test_a_success_resets_the_failure_count(client, officer):
    for _attempt in range(4):
        attempt(client, "wrong password")
    assert attempt(client, PASSWORD).status_code == 302
    client.post("/sign-out/")
    for _attempt in range(4):
        attempt(client, "wrong password")
    assert attempt(client, PASSWORD).status_code == 302

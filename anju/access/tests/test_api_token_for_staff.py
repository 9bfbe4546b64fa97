"""`anju api-token --user USERNAME [--rotate]`: a token for an existing staff member, who then
calls the API with exactly the scope of their roles (staff tokens had to be made in a shell)."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from anju.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def api_token(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_staff_members_token_calls_the_api_within_their_district(jiangan_officer, town):
    key, note = api_token("--user", "jiangan")

    response = with_token(key).get("/api/v1/compounds/")

    assert "jiangan" in note
    assert response.status_code == 200
    assert [c["code"] for c in response.json()["results"]] == [town.jiangan_compound.code]
    event = AuditEvent.objects.get(verb="access.api_token_issued")
    assert event.after == {"user": "jiangan", "rotated": False}


def test_a_staff_token_is_shown_once_and_rotation_replaces_it(jiangan_officer):
    key, _note = api_token("--user", "jiangan")
    again, note = api_token("--user", "jiangan")
    rotated, _note = api_token("--user", "jiangan", "--rotate")

    assert again == "" and "--rotate" in note
    assert rotated and rotated != key
    assert with_token(key).get("/api/v1/compounds/").status_code == 401
    assert with_token(rotated).get("/api/v1/compounds/").status_code == 200


def test_no_token_for_unknown_inactive_or_roleless_accounts(jiangan_officer):
    get_user_model().objects.create_user(username="nobody-yet", password="x")
    get_user_model().objects.filter(pk=jiangan_officer.pk).update(is_active=False)

    with pytest.raises(CommandError, match="找不到"):
        api_token("--user", "no-such-user")
    with pytest.raises(CommandError, match="停用"):
        api_token("--user", "jiangan")
    with pytest.raises(CommandError, match="角色"):
        api_token("--user", "nobody-yet")


def test_the_command_takes_an_organisation_or_a_user_not_both(jiangan_officer):
    with pytest.raises(CommandError):
        api_token()
    with pytest.raises(CommandError):
        api_token("--user", "jiangan", "--organisation", "江城水务")

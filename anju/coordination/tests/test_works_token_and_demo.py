"""`anju api-token`: a utility's service account and a token that works on the works API,
shown once, rotated on demand; `anju demo-works`: idempotent, audited demo works."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from anju.access.models import Organisation, RoleAssignment
from anju.coordination.models import Work
from anju.core.models import AuditEvent

from .works_helpers import outline_districts, values

pytestmark = pytest.mark.django_db


def api_token(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def water(city):
    outline_districts(city)
    return Organisation.objects.create(
        name="江城水务", kind=Organisation.Kind.UTILITY, credit_code="91420102100000030U"
    )


def test_the_token_command_prints_a_token_that_works_on_the_api(water):
    key, _note = api_token("--organisation", "江城水务")

    client = with_token(key)
    created = client.put(reverse("api-work-detail", args=["GS-1"]), values(), format="json")

    assert created.status_code == 201, created.content
    assert Work.objects.get().organisation == water
    assert client.get(reverse("api-work-list")).json()["count"] == 1
    assignment = RoleAssignment.objects.get(user__username=f"api-{water.pk}")
    assert (assignment.role, assignment.organisation) == ("utility_company", water)


def test_the_token_is_shown_once_and_rotation_replaces_it(water):
    key, _note = api_token("--organisation", water.credit_code)
    again, note = api_token("--organisation", "江城水务")
    rotated, _note = api_token("--organisation", "江城水务", "--rotate")

    assert again == "" and "--rotate" in note
    assert rotated and rotated != key
    assert with_token(key).get(reverse("api-work-list")).status_code in (401, 403)
    assert with_token(rotated).get(reverse("api-work-list")).status_code == 200
    assert AuditEvent.objects.filter(verb="access.api_token_issued").count() == 2


def test_the_token_command_refuses_other_kinds_and_unknown_names(city):
    Organisation.objects.create(name="设计院", kind=Organisation.Kind.DESIGNER)

    with pytest.raises(CommandError, match="专营单位"):
        api_token("--organisation", "设计院")
    with pytest.raises(CommandError, match="找不到"):
        api_token("--organisation", "没有这个单位")


def test_demo_works_are_idempotent_and_audited(city):
    outline_districts(city)
    out = StringIO()

    call_command("demo_works", "--count", "12", stdout=out)
    events = AuditEvent.objects.count()
    call_command("demo_works", "--count", "12", stdout=out)

    assert Work.objects.count() == 12
    assert AuditEvent.objects.filter(verb="work.created").count() == 12
    assert AuditEvent.objects.count() == events
    assert Organisation.objects.filter(name__endswith="（演示）").count() == 3
    assert "新增 0 项，已有 12 项保持不变" in out.getvalue()
    near = Work.objects.get(external_id="DEMO-DL-001")
    assert near.path in (city.jiangan.path, city.wuchang.path)

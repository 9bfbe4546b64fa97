"""Staff reveal a household's phone: only roles that work with residents, always logged."""

from __future__ import annotations

import pytest

from anju.core.models import AuditEvent


def reveal_url(household):
    return f"/workbench/households/{household.pk}/reveal-phone/"


def test_a_community_worker_sees_the_phone_and_the_reveal_is_logged(
    client, town, jiangan_community_worker
):
    household = town.jiangan_households[0]
    client.force_login(jiangan_community_worker)
    response = client.post(
        reveal_url(household), {"reason": "上门通知征询"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert household.phone in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(verb="household.personal_data_revealed")
    assert event.actor == jiangan_community_worker
    assert event.object_id == str(household.pk)
    assert event.after == {"reason": "上门通知征询"}


def test_a_street_officer_may_reveal_too(client, town, jiangan_street_officer):
    client.force_login(jiangan_street_officer)
    response = client.post(reveal_url(town.jiangan_households[0]), {"reason": "核实"})
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["jiangan_officer", "city_officer"])
def test_roles_that_do_not_work_with_residents_are_refused(client, town, persona, request):
    household = town.jiangan_households[0]
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reveal_url(household), {"reason": "想看看"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert household.phone not in response.content.decode()
    assert not AuditEvent.objects.filter(verb="household.personal_data_revealed").exists()


def test_a_household_of_another_district_is_not_found(client, town, jiangan_community_worker):
    client.force_login(jiangan_community_worker)
    response = client.post(reveal_url(town.wuchang_households[0]), {"reason": "核实"})
    assert response.status_code == 404


def test_a_reason_is_required(client, town, jiangan_community_worker):
    household = town.jiangan_households[0]
    client.force_login(jiangan_community_worker)
    response = client.post(reveal_url(household), {"reason": "  "}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert household.phone not in response.content.decode()
    assert not AuditEvent.objects.filter(verb="household.personal_data_revealed").exists()


def test_reveal_is_post_only(client, town, jiangan_community_worker):
    client.force_login(jiangan_community_worker)
    assert client.get(reveal_url(town.jiangan_households[0])).status_code == 405


def test_residents_cannot_reveal(resident_client, town):
    response = resident_client.post(reveal_url(town.jiangan_households[1]), {"reason": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")

"""The residents' portal shows a household its own compound and nothing else."""

from __future__ import annotations

from anju.access.scope import RESIDENT_SESSION_KEY
from anju.territory.models import Compound, Stage


def test_the_portal_asks_for_a_code_first(client, db):
    response = client.get("/portal/")
    assert response.status_code == 302
    assert response["Location"] == "/portal/sign-in/"


def test_home_shows_the_residents_own_compound_and_household(resident_client, town, resident):
    household, _code = resident
    response = resident_client.get("/portal/")
    assert response.status_code == 200
    html = response.content.decode()
    compound = town.jiangan_compound
    assert compound.name in html
    assert compound.address in html
    assert str(compound.year_built) in html
    assert "摸底入库" in html
    assert "摸底名录" in html  # what the stage means to residents
    assert "1栋1单元101室" in html
    assert str(household.exclusive_area) in html
    assert town.wuchang_compound.name not in html
    for other in town.jiangan_households[1:]:
        assert other.phone not in html


def test_residents_see_their_own_phone_masked(resident_client, resident):
    household, _code = resident
    html = resident_client.get("/portal/").content.decode()
    assert household.phone not in html
    assert household.phone[:3] + "****" + household.phone[-4:] in html


def test_the_home_page_follows_the_compounds_stage(resident_client, town):
    Compound.objects.filter(pk=town.jiangan_compound.pk).update(stage=Stage.BUILDING)
    html = resident_client.get("/portal/").content.decode()
    assert "施工" in html
    assert "第 8 步，共 10 步" in html


def test_the_resident_scope_is_the_households_compound_only(resident_client, town, resident):
    household, _code = resident
    response = resident_client.get("/portal/")
    scope = response.wsgi_request.scope
    assert scope.is_resident and not scope.is_staff
    assert scope.household_id == household.pk
    assert scope.compound_ids == frozenset({town.jiangan_compound.pk})
    assert scope.node_paths == ()
    assert not scope.may_see_personal_data


def test_a_resident_session_does_not_open_the_workbench(resident_client, town):
    for url in (
        "/workbench/",
        f"/workbench/compounds/{town.jiangan_compound.code}/household-codes/",
    ):
        response = resident_client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/sign-in/"), url
    response = resident_client.post(
        f"/workbench/compounds/{town.jiangan_compound.code}/household-codes.pdf"
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_staff_are_not_residents(client, jiangan_officer):
    client.force_login(jiangan_officer)
    response = client.get("/portal/")
    assert response.status_code == 302
    assert response["Location"] == "/portal/sign-in/"


def test_a_removed_household_ends_the_session(resident_client, resident):
    household, _code = resident
    household.delete()
    response = resident_client.get("/portal/")
    assert response.status_code == 302
    assert response["Location"] == "/portal/sign-in/"


def test_signing_out_ends_the_resident_session(resident_client):
    assert resident_client.get("/portal/sign-out/").status_code == 405
    response = resident_client.post("/portal/sign-out/")
    assert response.status_code == 302
    assert RESIDENT_SESSION_KEY not in resident_client.session
    assert resident_client.get("/portal/").status_code == 302


def test_the_home_page_is_not_cached(resident_client):
    response = resident_client.get("/portal/")
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]

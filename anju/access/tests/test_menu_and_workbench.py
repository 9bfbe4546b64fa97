"""Issue 13 defect 12: company accounts were told "尚未分配辖区" and offered menu items that
answered 403. The workbench lists their compounds; the menu offers only what they may use."""

from __future__ import annotations

import re

import pytest


def navbar_links(html: str) -> set[str]:
    nav = html[html.index('id="nav"') : html.index("</nav>")]
    return set(re.findall(r'class="(?:nav-link|dropdown-item)[^"]*" href="([^"]+)"', nav))


def test_a_designer_sees_the_assigned_compounds_on_the_workbench(client, town, designer):
    client.force_login(designer)
    html = client.get("/workbench/").content.decode()
    assert "尚未分配辖区" not in html
    assert town.jiangan_compound.name in html
    assert f"/workbench/compounds/{town.jiangan_compound.code}/" in html
    assert town.wuchang_compound.name not in html


@pytest.mark.parametrize(
    "persona", ["designer", "jiangan_officer", "jiangan_community_worker", "city_officer"]
)
def test_every_menu_item_offered_opens(client, town, persona, request):
    client.force_login(request.getfixturevalue(persona))
    links = navbar_links(client.get("/workbench/").content.decode())
    assert links
    for link in links:
        assert client.get(link).status_code == 200, link


def test_a_designer_is_not_offered_the_registry_import_or_administration(client, town, designer):
    client.force_login(designer)
    links = navbar_links(client.get("/workbench/").content.decode())
    assert "/workbench/registry/import/" not in links
    assert "/workbench/admin/" not in links
    assert "/workbench/compounds/" in links


def test_city_and_district_officers_get_the_administration_menu(
    client, town, jiangan_officer, jiangan_community_worker
):
    client.force_login(jiangan_officer)
    assert "/workbench/admin/" in navbar_links(client.get("/workbench/").content.decode())
    client.force_login(jiangan_community_worker)
    assert "/workbench/admin/" not in navbar_links(client.get("/workbench/").content.decode())

"""Staff print household-code sheets: new codes for a compound (or a building), as a PDF."""

from __future__ import annotations

import re
import zlib

import pytest

from anju.access import services
from anju.access.codes import digest_of
from anju.access.models import HouseholdCode
from anju.core.errors import DomainError
from anju.core.models import AuditEvent


def sheet_url(compound, building=None):
    url = f"/workbench/compounds/{compound.code}/household-codes.pdf"
    return url + (f"?building={building}" if building else "")


def form_url(compound):
    return f"/workbench/compounds/{compound.code}/household-codes/"


def pdf_texts(pdf: bytes) -> list[bytes]:
    """The PDF and each of its streams inflated (WeasyPrint packs objects in compressed
    object streams, so font names are not in the raw bytes)."""
    texts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            texts.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    return texts


def embedded_fonts(pdf: bytes) -> set[str]:
    names = set()
    for text in pdf_texts(pdf):
        names.update(m.decode() for m in re.findall(rb"/BaseFont\s*/([^\s/<>\[\]()]+)", text))
    return names


def test_a_jiangan_officer_gets_a_pdf_for_a_jiangan_compound(client, town, jiangan_officer):
    client.force_login(jiangan_officer)
    response = client.post(sheet_url(town.jiangan_compound))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")
    assert HouseholdCode.objects.filter(household__compound=town.jiangan_compound).count() == 6


def test_the_sheet_embeds_a_chinese_font(client, town, jiangan_officer):
    client.force_login(jiangan_officer)
    pdf = client.post(sheet_url(town.jiangan_compound)).content
    fonts = {name.split("+")[-1].replace("-", "") for name in embedded_fonts(pdf)}
    assert any(name.startswith(("NotoSansCJKSC", "NotoSerifCJKSC")) for name in fonts), fonts
    assert any(b"/FontFile" in text for text in pdf_texts(pdf))


def test_the_sheet_refuses_another_district(client, town, jiangan_officer):
    client.force_login(jiangan_officer)
    assert client.post(sheet_url(town.wuchang_compound)).status_code == 404
    assert client.get(form_url(town.wuchang_compound)).status_code == 404
    assert not HouseholdCode.objects.exists()


def test_an_unknown_compound_looks_like_another_districts(client, town, jiangan_officer):
    client.force_login(jiangan_officer)
    assert client.post("/workbench/compounds/NOPE/household-codes.pdf").status_code == 404


def test_a_designer_may_not_issue_codes(client, town, designer):
    client.force_login(designer)
    assert client.post(sheet_url(town.jiangan_compound)).status_code == 403
    assert client.get(form_url(town.jiangan_compound)).status_code == 403
    assert not HouseholdCode.objects.exists()


@pytest.mark.parametrize(
    "persona", ["city_officer", "jiangan_street_officer", "jiangan_community_worker"]
)
def test_territorial_staff_over_the_compound_may_issue(client, town, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(sheet_url(town.jiangan_compound)).status_code == 200


def test_the_sheet_is_post_only(client, town, jiangan_officer):
    client.force_login(jiangan_officer)
    assert client.get(sheet_url(town.jiangan_compound)).status_code == 405


def test_anonymous_visitors_are_sent_to_sign_in(client, town):
    response = client.post(sheet_url(town.jiangan_compound))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_issuing_invalidates_the_codes_handed_out_before(
    client, town, jiangan_officer, jiangan_codes
):
    old_digests = {digest_of(code) for code in jiangan_codes.values()}
    client.force_login(jiangan_officer)
    client.post(sheet_url(town.jiangan_compound))
    new_digests = set(HouseholdCode.objects.values_list("digest", flat=True))
    assert len(new_digests) == 6
    assert not old_digests & new_digests
    household = town.jiangan_households[0]
    with pytest.raises(DomainError):
        services.sign_in_with_code(
            request_address="10.0.0.9", code_text=jiangan_codes[household.pk]
        )


def test_one_building_regenerates_only_that_buildings_codes(
    client, town, jiangan_officer, jiangan_codes
):
    client.force_login(jiangan_officer)
    response = client.post(sheet_url(town.jiangan_compound, building="2"))
    assert response.status_code == 200
    for household in town.jiangan_households:
        still_valid = HouseholdCode.objects.filter(
            household=household, digest=digest_of(jiangan_codes[household.pk])
        ).exists()
        assert still_valid == (household.unit.building.number == "1")


def test_an_unknown_building_is_not_found(client, town, jiangan_officer):
    client.force_login(jiangan_officer)
    assert client.post(sheet_url(town.jiangan_compound, building="99")).status_code == 404


def test_issuing_is_audited_without_the_codes(client, town, jiangan_officer):
    client.force_login(jiangan_officer)
    client.post(sheet_url(town.jiangan_compound))
    event = AuditEvent.objects.get(verb="household_code.issued")
    assert event.actor == jiangan_officer
    assert event.territory_path == town.jiangan_compound.path
    assert event.after["households"] == 6


def test_the_slips_name_the_household_and_group_the_code(town, jiangan_officer):
    from anju.access.scope import scope_for

    slips = services.issue_code_sheet(
        actor=jiangan_officer, scope=scope_for(jiangan_officer), compound=town.jiangan_compound
    )
    assert [s.label for s in slips][:3] == ["1栋1单元101室", "1栋1单元201室", "1栋1单元301室"]
    assert all(re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", s.code) for s in slips)


def test_the_confirm_page_warns_that_old_codes_stop_working(client, town, jiangan_officer):
    client.force_login(jiangan_officer)
    response = client.get(form_url(town.jiangan_compound))
    assert response.status_code == 200
    html = response.content.decode()
    assert "原住户码立即失效" in html
    assert f'action="{sheet_url(town.jiangan_compound)}"' in html
    assert not HouseholdCode.objects.exists()  # looking issues nothing


def test_a_compound_without_households_gets_no_sheet(client, town, jiangan_officer):
    from .factories import CompoundFactory

    empty = CompoundFactory(community=town.jiangan_community)
    client.force_login(jiangan_officer)
    response = client.post(sheet_url(empty))
    assert response.status_code == 400
    assert "还没有登记住户" in response.content.decode()

"""Who gets the joint acceptance certificate beyond the workbench: the API (token, the session
API's scope: another district's session 404, no certificate before the decision or after a
failure, with the reason) and the portal, where the session's residents' representatives
download it once decided (any other household 404; the other representatives' names masked
as for any resident). Screenshot: build/screenshots/construction-acceptance-certificate-
portal.png (a 390px phone)."""

# ruff: noqa: F811 (the fixtures imported from accepting.py are the test arguments)

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from anju.access.codes import issue_household_codes
from anju.core.actors import DEMO
from anju.testing.browser import PHONE, screenshot

from .accepting import (  # noqa: F401
    acceptance_project,
    accepted_project,
    building_project,
    decide,
    named_project,
    ready,
    ready_session,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/construction/acceptance-sessions/{pk}/certificate.pdf"


def with_token(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def representatives(session):
    return list(session.participants.filter(kind="resident").select_related("household"))


def outsider(session):
    """A household of the project's compound that is no representative of the session."""
    invited = [participant.household_id for participant in representatives(session)]
    return session.project.compounds.get().households.exclude(pk__in=invited).first()


def portal_url(session) -> str:
    return reverse("construction-portal:acceptance-certificate", args=[session.pk])


def pdf_text(pdf: bytes, tmp_path) -> str | None:
    pdftotext = shutil.which("pdftotext")
    if not pdftotext:
        return None
    source = tmp_path / "certificate.pdf"
    source.write_bytes(pdf)
    run = subprocess.run([pdftotext, source, "-"], capture_output=True, check=True, timeout=60)
    return run.stdout.decode()


# --- the API ----------------------------------------------------------------------------------


def test_the_district_downloads_the_certificate_through_the_api(jiangan_officer, accepted_project):
    session = accepted_project.acceptance_sessions.get()
    response = with_token(jiangan_officer).get(API.format(pk=session.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert session.certificate_number in response["Content-Disposition"]


def test_another_district_gets_404_through_the_api(wuchang_officer, accepted_project):
    session = accepted_project.acceptance_sessions.get()
    response = with_token(wuchang_officer).get(API.format(pk=session.pk))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_without_a_token_the_api_refuses(accepted_project):
    session = accepted_project.acceptance_sessions.get()
    assert APIClient().get(API.format(pk=session.pk)).status_code in (401, 403)


def test_before_the_decision_the_api_says_why_there_is_no_certificate(
    jiangan_officer, ready_session
):
    response = with_token(jiangan_officer).get(API.format(pk=ready_session.pk))
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_decided"
    assert body["message"] == "验收结论作出后才有验收证书。"


def test_a_failed_session_has_no_certificate(jiangan_officer, acceptance_project):
    session = decide(ready(acceptance_project), outcome="failed")
    response = with_token(jiangan_officer).get(API.format(pk=session.pk))
    assert response.status_code == 404
    assert response.json()["code"] == "no_certificate"


# --- the portal -------------------------------------------------------------------------------


def test_a_representative_downloads_the_certificate_after_the_decision(
    resident_of, accepted_project, tmp_path
):
    session = accepted_project.acceptance_sessions.get()
    representative = representatives(session)[0]
    portal = resident_of(representative.household)
    page = portal.get(reverse("construction-portal:acceptance", args=[session.pk]))
    assert portal_url(session) in page.content.decode()
    response = portal.get(portal_url(session))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content, tmp_path)
    if text is not None:
        assert "竣工验收证书" in text and session.certificate_number in text
        assert "李建华" not in text and "王桂芳" not in text  # residents read names masked


def test_another_household_gets_404_for_the_certificate(resident_of, accepted_project):
    session = accepted_project.acceptance_sessions.get()
    assert resident_of(outsider(session)).get(portal_url(session)).status_code == 404


def test_another_compounds_household_gets_404_for_the_certificate(
    city, resident_of, accepted_project
):
    session = accepted_project.acceptance_sessions.get()
    household = city.wuchang_compound.households.first()
    assert resident_of(household).get(portal_url(session)).status_code == 404


def test_before_the_decision_a_representative_has_no_certificate(resident_of, ready_session):
    representative = representatives(ready_session)[0]
    portal = resident_of(representative.household)
    page = portal.get(reverse("construction-portal:acceptance", args=[ready_session.pk]))
    assert page.status_code == 200
    assert portal_url(ready_session) not in page.content.decode()
    response = portal.get(portal_url(ready_session))
    assert response.status_code == 404
    assert "验收结论作出后才有验收证书。" in response.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_representative_downloads_the_certificate_on_a_phone(
    browser, live_server, accepted_project
):
    session = accepted_project.acceptance_sessions.get()
    household = representatives(session)[0].household
    code = issue_household_codes(actor=DEMO, compound=household.compound, households=[household])
    context = browser.new_context(
        viewport=PHONE,
        locale="zh-CN",
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        accept_downloads=True,
    )
    try:
        page = context.new_page()
        page.goto(live_server.url + "/portal/sign-in/")
        page.get_by_label("住户码").fill(code[household.pk])
        page.get_by_role("button", name="登录").click()
        page.wait_for_url("**/portal/")
        page.goto(f"{live_server.url}/portal/construction/acceptance/{session.pk}/")
        link = page.locator("#certificate-download")
        assert session.certificate_number in link.inner_text()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the acceptance page scrolls sideways ({width}px)"
        screenshot(page, "construction-acceptance-certificate-portal")
        with page.expect_download() as download:
            link.click()
        with open(download.value.path(), "rb") as pdf:
            assert pdf.read(4) == b"%PDF"
    finally:
        context.close()

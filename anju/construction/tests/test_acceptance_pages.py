"""The acceptance pages: a project's sessions, the session page (participants, progress,
defects, the outcome), a participant's checklist, and the certificate PDF (rendered to PNG
for a screenshot)."""

# ruff: noqa: F811 (the fixtures imported from accepting.py are the test arguments)

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from anju.access.tests.test_code_sheets import embedded_fonts
from anju.core.models import AuditEvent
from anju.territory.models import Stage

from ..models import AcceptanceSession
from .accepting import (  # noqa: F401
    acceptance_project,
    accepted_project,
    building_project,
    named_project,
    open_session,
    ready_session,
)
from .test_acceptance import critical_finding

pytestmark = pytest.mark.django_db

SCREENSHOTS = Path(__file__).resolve().parents[3] / "build" / "screenshots"


def test_the_district_opens_a_session_from_the_projects_acceptance_page(
    client_as, jiangan_officer, acceptance_project
):
    client = client_as(jiangan_officer)
    url = reverse("construction:acceptance", args=[acceptance_project.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"scheduled_on": "2027-11-20", "place": "议事厅"})
    session = AcceptanceSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("construction:acceptance-session", args=[session.pk])
    page = client.get(response["Location"]).content.decode()
    assert "楚天建设有限公司" in page and "邀请参加人" in page


def test_a_bad_date_answers_400_and_opens_nothing(client_as, jiangan_officer, acceptance_project):
    url = reverse("construction:acceptance", args=[acceptance_project.pk])
    response = client_as(jiangan_officer).post(url, {"scheduled_on": "2027-13-40"})
    assert response.status_code == 400
    assert not AcceptanceSession.objects.exists()


def test_another_districts_officer_gets_404(client_as, wuchang_officer, ready_session):
    client = client_as(wuchang_officer)
    assert (
        client.get(reverse("construction:acceptance-session", args=[ready_session.pk])).status_code
        == 404
    )
    response = client.post(
        reverse("construction:acceptance-decide", args=[ready_session.pk]), {"outcome": "passed"}
    )
    assert response.status_code == 404


def test_inviting_residents_from_the_households_list(
    client_as, jiangan_officer, acceptance_project
):
    session = open_session(acceptance_project)
    households = list(acceptance_project.compounds.get().households.order_by("pk")[:2])
    for household in households:
        household.owner_name = "陈" + household.room
        household.save()
    response = client_as(jiangan_officer).post(
        reverse("construction:acceptance-invite", args=[session.pk]),
        {"kind": "resident", "households": [h.pk for h in households]},
    )
    assert response.status_code == 302
    assert session.participants.filter(kind="resident").count() == 2


def test_a_builder_sees_representatives_masked(client_as, builder, ready_session):
    page = (
        client_as(builder)
        .get(reverse("construction:acceptance-session", args=[ready_session.pk]))
        .content.decode()
    )
    assert "张**" in page and "张秀英" not in page


def test_a_checklist_recorded_from_paper(client_as, jiangan_officer, acceptance_project):
    from .accepting import invite_residents

    session = open_session(acceptance_project)
    (resident,) = invite_residents(session, 1)
    url = reverse("construction:acceptance-checklist", args=[resident.pk])
    client = client_as(jiangan_officer)
    assert client.get(url).status_code == 200
    incomplete = client.post(url, {"result_0": "pass", "opinion": "agree", "channel": "paper"})
    assert incomplete.status_code == 400
    response = client.post(
        url,
        {
            "result_0": "pass",
            "result_1": "fail",
            "note_1": "北侧外墙有空鼓",
            "opinion": "conditional",
            "channel": "paper",
        },
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.channel == "paper" and resident.checks.filter(result="fail").count() == 1


def test_deciding_with_an_open_critical_finding_answers_400_naming_it(
    client_as, jiangan_officer, ready_session
):
    critical_finding(ready_session.project)
    events = AuditEvent.objects.count()
    response = client_as(jiangan_officer).post(
        reverse("construction:acceptance-decide", args=[ready_session.pk]), {"outcome": "passed"}
    )
    assert response.status_code == 400
    assert "ZG-2027-0001" in response.content.decode()
    ready_session.refresh_from_db()
    assert ready_session.outcome == "" and AuditEvent.objects.count() == events


def test_a_pass_from_the_page_accepts_the_project_and_offers_the_certificate(
    client_as, jiangan_officer, ready_session
):
    client = client_as(jiangan_officer)
    response = client.post(
        reverse("construction:acceptance-decide", args=[ready_session.pk]), {"outcome": "passed"}
    )
    assert response.status_code == 302
    ready_session.project.refresh_from_db()
    assert ready_session.project.stage == Stage.ACCEPTED
    page = client.get(response["Location"]).content.decode()
    assert reverse("construction:acceptance-certificate", args=[ready_session.pk]) in page


def test_an_undecided_session_has_no_certificate(client_as, jiangan_officer, ready_session):
    url = reverse("construction:acceptance-certificate", args=[ready_session.pk])
    assert client_as(jiangan_officer).get(url).status_code == 404


def test_the_certificate_pdf_names_participants_and_outcome_and_renders_to_png(
    client_as, jiangan_officer, accepted_project, tmp_path
):
    session = accepted_project.acceptance_sessions.get()
    response = client_as(jiangan_officer).get(
        reverse("construction:acceptance-certificate", args=[session.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    fonts = {name.split("+")[-1].replace("-", "") for name in embedded_fonts(pdf)}
    assert any(name.startswith(("NotoSansCJKSC", "NotoSerifCJKSC")) for name in fonts), fonts
    pdftoppm, pdftotext = shutil.which("pdftoppm"), shutil.which("pdftotext")
    if not pdftoppm:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftoppm is missing: scripts/system-deps.sh --test installs poppler-utils")
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    source = tmp_path / "certificate.pdf"
    source.write_bytes(pdf)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / "construction-certificate"
    subprocess.run(
        [pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", source, target],
        check=True,
        timeout=60,
    )
    assert (SCREENSHOTS / "construction-certificate.png").stat().st_size > 10_000
    if pdftotext:
        text = subprocess.run(
            [pdftotext, "-layout", source, "-"], capture_output=True, check=True, timeout=60
        ).stdout.decode()
        assert "竣工验收证书" in text
        assert session.certificate_number in text
        assert "验收合格" in text
        assert "张秀英" in text  # the district organised it: names unmasked
        assert "楚天建设有限公司" in text


def test_a_representative_fills_the_checklist_on_the_portal(
    client, resident_of, acceptance_project
):
    from .accepting import invite_residents

    session = open_session(acceptance_project)
    representative, _other = invite_residents(session, 2)
    url = reverse("construction-portal:acceptance", args=[session.pk])
    portal = resident_of(representative.household)
    assert portal.get(url).status_code == 200
    response = portal.post(
        url,
        {
            "result_0": "pass",
            "result_1": "fail",
            "note_1": "单元门禁未装",
            "opinion": "conditional",
        },
    )
    assert response.status_code == 302
    representative.refresh_from_db()
    assert representative.channel == "portal" and representative.opinion == "conditional"


def test_a_household_that_is_no_representative_gets_404_on_the_portal(
    client, resident_of, acceptance_project
):
    from .accepting import invite_residents

    session = open_session(acceptance_project)
    invite_residents(session, 1)
    outsider = acceptance_project.compounds.get().households.order_by("-pk").first()
    url = reverse("construction-portal:acceptance", args=[session.pk])
    portal = resident_of(outsider)
    assert portal.get(url).status_code == 404
    response = portal.post(url, {"result_0": "pass", "result_1": "pass", "opinion": "agree"})
    assert response.status_code == 404
    assert not session.participants.filter(household=outsider).exists()


def test_the_construction_hub_shows_the_acceptance_panel(
    client_as, jiangan_officer, accepted_project
):
    session = accepted_project.acceptance_sessions.get()
    page = client_as(jiangan_officer).get(
        reverse("construction:project", args=[accepted_project.pk])
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="acceptance-panel"' in html and session.certificate_number in html
    assert reverse("construction:acceptance-certificate", args=[session.pk]) in html

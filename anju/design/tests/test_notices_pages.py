"""The notice's pages: the district publishes in the workbench, residents read and object on the
portal (phone-first), staff answer in the workbench and the answer shows on the portal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from anju.access.scope import scope_for
from anju.core.models import AuditEvent
from anju.design.models import Notice, Objection, PlanVersion
from anju.design.services.notices import publish_notice, submit_objection

from .noticing import draft_version, on_day, signed_in_resident

pytestmark = pytest.mark.django_db

THURSDAY = dt.date(2027, 9, 30)


@pytest.fixture
def notice(monkeypatch, jiangan_project, jiangan_officer):
    on_day(monkeypatch, THURSDAY)
    version = draft_version(jiangan_project)
    return publish_notice(actor=jiangan_officer, scope=scope_for(jiangan_officer), version=version)


@pytest.fixture
def household(city):
    return city.jiangan_compound.households.order_by("room").first()


@pytest.fixture
def resident(client, household):
    return signed_in_resident(client, household)


def portal_url(notice):
    return reverse("design-portal:notice", args=[notice.pk])


# --- publishing ------------------------------------------------------------------------------


def test_the_district_publishes_from_the_workbench(client_as, jiangan_project, jiangan_officer):
    version = draft_version(jiangan_project)
    client = client_as(jiangan_officer)
    url = reverse("design:notice-publish", args=[version.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "7 个工作日" in page.content.decode()
    response = client.post(url, {"closes_on": "2099-12-31", "how_to_object": ""})
    notice = Notice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("design:notice-detail", args=[notice.pk])
    assert notice.closes_on == dt.date(2099, 12, 31)


def test_publishing_without_a_scheme_answers_400_with_the_reason(
    client_as, jiangan_project, jiangan_officer
):
    version = draft_version(jiangan_project, scheme=False)
    response = client_as(jiangan_officer).post(
        reverse("design:notice-publish", args=[version.pk]), {"closes_on": "2099-12-31"}
    )
    assert response.status_code == 400
    assert "长效管理方案" in response.content.decode()
    assert not Notice.objects.exists()
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.DRAFT


def test_the_project_page_shows_the_notice(client_as, jiangan_project, jiangan_officer, notice):
    html = client_as(jiangan_officer).get(
        reverse("design:project-detail", args=[jiangan_project.pk])
    )
    html = html.content.decode()
    assert reverse("design:notice-detail", args=[notice.pk]) in html
    assert reverse("design:notice-pdf", args=[jiangan_project.pk]) in html


# --- the portal ------------------------------------------------------------------------------


def test_a_resident_reads_the_notice_on_the_portal(resident, notice):
    assert resident.get(reverse("design-portal:current-notice"))["Location"] == portal_url(notice)
    html = resident.get(portal_url(notice)).content.decode()
    assert "改造方案公示" in html
    assert "屋面修缮" in html and "加装电梯" in html
    assert "31.50万元" in html  # 100 m² × 150 + 1 × 300,000
    assert "居民出资部分" in html and "30.00万元" in html  # the elevator, paid by residents
    assert "2027-10-11" in html  # 7 working days after Thursday 30 September (no holidays)
    assert 'name="text"' in html


def test_a_resident_objects_and_reads_the_public_answer(
    resident, household, notice, city, jiangan_community_worker
):
    neighbour = city.jiangan_compound.households.exclude(pk=household.pk).first()
    submit_objection(
        actor=None, notice=notice, household=neighbour, kind="objection", text="楼下采光"
    )
    response = resident.post(portal_url(notice), {"kind": "objection", "text": "电梯噪音"})
    assert response.status_code == 302
    mine = Objection.objects.get(household=household)
    staff = Client()
    staff.force_login(jiangan_community_worker)
    answer = staff.post(
        reverse("design:objection-answer", args=[mine.pk]), {f"o{mine.pk}-answer": "加装隔音"}
    )
    assert answer.status_code == 302
    html = resident.get(portal_url(notice)).content.decode()
    assert "电梯噪音" in html and "加装隔音" in html
    assert "楼下采光" in html
    assert "我家" in html and "住户" in html
    assert neighbour.room not in html  # other households are never named
    assert AuditEvent.objects.filter(verb="objection.answered").count() == 1


def test_a_resident_of_another_compound_gets_404(client, city, notice):
    stranger = signed_in_resident(client, city.wuchang_compound.households.first())
    assert stranger.get(portal_url(notice)).status_code == 404
    response = stranger.post(portal_url(notice), {"kind": "objection", "text": "x"})
    assert response.status_code == 404
    pdf = reverse("design-portal:notice-pdf", args=[notice.pk])
    assert stranger.get(pdf).status_code == 404
    assert not Objection.objects.exists()


def test_after_the_period_no_objection_is_taken(monkeypatch, resident, notice):
    on_day(monkeypatch, notice.closes_on + dt.timedelta(days=1))
    response = resident.post(portal_url(notice), {"kind": "objection", "text": "太晚了"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "公示期已于" in html
    assert not Objection.objects.exists()
    assert 'name="text"' not in resident.get(portal_url(notice)).content.decode()


def test_an_empty_post_is_refused_with_a_message(resident, notice):
    response = resident.post(portal_url(notice), {"kind": "objection", "text": ""})
    assert response.status_code == 400
    assert "请填写内容" in response.content.decode()
    assert not Objection.objects.exists()


def test_staff_are_sent_to_the_portal_sign_in(client_as, jiangan_officer, notice):
    response = client_as(jiangan_officer).get(portal_url(notice))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:sign-in")


# --- staff pages -----------------------------------------------------------------------------


def test_staff_see_who_wrote(client_as, household, notice, jiangan_officer):
    submit_objection(actor=None, notice=notice, household=household, kind="objection", text="异")
    html = client_as(jiangan_officer).get(reverse("design:notice-detail", args=[notice.pk]))
    html = html.content.decode()
    assert household.room in html
    assert "1 条异议未答复" in html


def test_an_empty_answer_is_refused(client_as, household, notice, jiangan_officer):
    objection = submit_objection(
        actor=None, notice=notice, household=household, kind="objection", text="异"
    )
    response = client_as(jiangan_officer).post(
        reverse("design:objection-answer", args=[objection.pk]), {f"o{objection.pk}-answer": ""}
    )
    assert response.status_code == 400
    objection.refresh_from_db()
    assert objection.answer == ""


def test_another_district_gets_404_on_every_notice_page(
    household, notice, jiangan_project, wuchang_officer
):
    objection = submit_objection(
        actor=None, notice=notice, household=household, kind="objection", text="异"
    )
    client = Client()
    client.force_login(wuchang_officer)
    urls = [
        reverse("design:notice-publish", args=[notice.version_id]),
        reverse("design:notice-detail", args=[notice.pk]),
        reverse("design:objection-answer", args=[objection.pk]),
        reverse("design:notice-pdf", args=[jiangan_project.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {f"o{objection.pk}-answer": "x"}).status_code in (404, 405), url
    objection.refresh_from_db()
    assert objection.answer == ""


def test_a_resident_who_scans_the_notice_is_taken_back_to_it_after_signing_in(
    client, household, notice
):
    """The QR code on the board leads to the notice; signing in used to land on the home."""
    from anju.access.codes import issue_household_codes
    from anju.core.actors import CLI

    assert client.get(portal_url(notice))["Location"] == reverse("portal:sign-in")
    code = issue_household_codes(actor=CLI, compound=household.compound, households=[household])
    response = client.post(reverse("portal:sign-in"), {"code": code[household.pk]})
    assert response.status_code == 302
    assert response["Location"] == portal_url(notice)

"""The faces of residents' problem reports: the portal (report from the phone, see possible
duplicates, follow every step, confirm with a rating or reopen with a reason, the compound's
public list) and the workbench (list with filters, a report's page offering exactly the steps
the viewer may take, filing for a caller, routing rules, handling figures and their .xlsx).

Bad input comes back on the form with a 4xx and writes nothing; another territory's report,
compound or rule answers 404 like a missing one."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from anju.access.models import Role
from anju.access.scope import scope_for, scope_for_household
from anju.conftest import make_user
from anju.core.excel import read_excel_bytes
from anju.core.models import AuditEvent
from anju.stewardship.models import (
    Channel,
    ProblemReport,
    ReportCategory,
    ReportStep,
    RoutingRule,
    Status,
)
from anju.stewardship.services import reports as services

pytestmark = pytest.mark.django_db


def jpeg(name="wall.jpg", size=(120, 90)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (150, 120, 100)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def category(code="clutter") -> ReportCategory:
    return ReportCategory.objects.get(code=code)


def file_as(household, compound, *, code="clutter", description="楼道堆放杂物", **kwargs):
    return services.file_report(
        actor=None,
        scope=scope_for_household(household),
        compound=compound,
        category=category(code),
        description=description,
        channel=Channel.PORTAL,
        **kwargs,
    )


def step(user, report, to_status, **kwargs):
    return services.advance_report(
        actor=user, scope=scope_for(user), report=report, to_status=to_status, **kwargs
    )


def resolved(report, staff):
    step(staff, report, Status.ACCEPTED)
    step(staff, report, Status.IN_PROGRESS)
    return step(staff, report, Status.RESOLVED, note="杂物已清理")


def nothing_changes():
    return (ProblemReport.objects.count(), ReportStep.objects.count(), AuditEvent.objects.count())


@pytest.fixture
def report(city, jiangan_household, jiangan_contract):
    return file_as(jiangan_household, city.jiangan_compound)


@pytest.fixture
def neighbour(city, jiangan_household):
    return city.jiangan_compound.households.exclude(pk=jiangan_household.pk).first()


@pytest.fixture
def wuchang_report(city):
    household = city.wuchang_compound.households.first()
    return file_as(household, city.wuchang_compound, description="武昌的杂物")


# --- portal ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("jiangan_contract")
def test_a_resident_reports_from_the_phone_with_a_photo_and_a_building(
    city, jiangan_household, resident_of
):
    client = resident_of(jiangan_household)
    form = client.get(reverse("stewardship-portal:report-new"))
    assert form.status_code == 200
    body = form.content.decode()
    assert 'accept="image/*"' in body and 'capture="environment"' in body
    assert "乱堆乱放" in body and "report-map-data" in body
    building = city.jiangan_compound.buildings.first()
    response = client.post(
        reverse("stewardship-portal:report-new"),
        {
            "category": category().pk,
            "description": "3 栋楼道堆满纸箱，影响通行",
            "building": building.pk,
            "photos": [jpeg()],
        },
    )
    report = ProblemReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("stewardship-portal:report", args=[report.pk])
    assert report.household == jiangan_household and report.channel == Channel.PORTAL
    assert report.building == building and report.photos.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert report.number in page and "3 栋楼道堆满纸箱" in page
    assert "办理过程" in page and "已提交" in page
    photo = report.photos.get()
    image = client.get(reverse("stewardship-portal:photo", args=[report.pk, photo.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"


@pytest.mark.usefixtures("jiangan_contract")
def test_a_point_on_the_map_is_kept_and_an_incomplete_one_is_refused_inline(
    city, jiangan_household, resident_of
):
    client = resident_of(jiangan_household)
    url = reverse("stewardship-portal:report-new")
    half = client.post(url, {"category": category().pk, "description": "x", "longitude": "114.29"})
    assert half.status_code == 400
    assert "地图上的位置不完整" in half.content.decode()
    outside = client.post(
        url,
        {"category": category().pk, "description": "x", "longitude": "100", "latitude": "20"},
    )
    assert outside.status_code == 400 and ProblemReport.objects.count() == 0
    point = {"longitude": "114.2901", "latitude": "30.5902"}
    ok = client.post(url, {"category": category().pk, "description": "路灯坏了", **point})
    assert ok.status_code == 302
    report = ProblemReport.objects.get()
    assert (report.longitude, report.latitude) == (114.2901, 30.5902)


@pytest.mark.usefixtures("jiangan_contract")
def test_bad_input_is_shown_on_the_form_and_writes_nothing(city, jiangan_household, resident_of):
    client = resident_of(jiangan_household)
    url = reverse("stewardship-portal:report-new")
    before = nothing_changes()
    empty = client.post(url, {})
    assert empty.status_code == 400
    assert "请选择问题类别" in empty.content.decode() and "请描述一下问题" in empty.content.decode()
    not_an_image = SimpleUploadedFile("photo.jpg", b"not an image", content_type="image/jpeg")
    text = client.post(
        url, {"category": category().pk, "description": "杂物", "photos": [not_an_image]}
    )
    assert text.status_code == 400 and "不是可识别的图片" in text.content.decode()
    four = client.post(
        url,
        {
            "category": category().pk,
            "description": "杂物",
            "photos": [jpeg(f"{n}.jpg") for n in "abcd"],
        },
    )
    assert four.status_code == 400
    other_building = city.wuchang_compound.buildings.first()
    foreign = client.post(
        url, {"category": category().pk, "description": "杂物", "building": other_building.pk}
    )
    assert foreign.status_code == 400 and "该楼栋不属于本小区" in foreign.content.decode()
    assert nothing_changes() == before


def test_the_portal_needs_a_household_session(client):
    response = client.get(reverse("stewardship-portal:report-new"))
    assert response.status_code == 302 and "/portal/sign-in/" in response["Location"]


def test_another_compounds_report_answers_404(jiangan_household, resident_of, wuchang_report):
    client = resident_of(jiangan_household)
    for name in ("stewardship-portal:report", "stewardship-portal:report-reopen"):
        method = client.get if name.endswith(":report") else client.post
        assert method(reverse(name, args=[wuchang_report.pk]), {"note": "x"}).status_code == 404
    photo_url = reverse("stewardship-portal:photo", args=[wuchang_report.pk, 1])
    assert client.get(photo_url).status_code == 404


def test_possible_duplicates_are_suggested_while_reporting(city, report, neighbour, resident_of):
    client = resident_of(neighbour)
    url = reverse("stewardship-portal:suggest")
    same = client.get(url, {"category": report.category_id}).content.decode()
    assert "楼道堆放杂物" in same and "这是同一个问题" in same
    assert reverse("stewardship-portal:report", args=[report.pk]) in same
    other = client.get(url, {"category": category("noise").pk}).content.decode()
    assert "楼道堆放杂物" not in other
    nonsense = client.get(url, {"category": "x", "longitude": "abc", "building": "9" * 30})
    assert nonsense.status_code == 200


def test_the_public_list_shows_the_problem_but_no_personal_data(
    city, report, neighbour, jiangan_household, resident_of
):
    client = resident_of(neighbour)
    page = client.get(reverse("stewardship-portal:public-list")).content.decode()
    assert "楼道堆放杂物" in page and report.number in page
    assert jiangan_household.room not in page
    detail = client.get(reverse("stewardship-portal:report", args=[report.pk])).content.decode()
    assert "楼道堆放杂物" in detail and "我家报告" not in detail


def test_only_the_reporter_sees_the_photos(city, jiangan_household, neighbour, resident_of):
    report = file_as(jiangan_household, city.jiangan_compound, photos=[jpeg()])
    photo = report.photos.get()
    url = reverse("stewardship-portal:photo", args=[report.pk, photo.pk])
    assert resident_of(neighbour).get(url).status_code == 404
    assert resident_of(jiangan_household).get(url).status_code == 200


def test_the_reporter_confirms_with_a_rating_after_the_fix(
    report, property_staff, jiangan_household, resident_of
):
    client = resident_of(jiangan_household)
    page = client.get(reverse("stewardship-portal:report", args=[report.pk])).content.decode()
    assert "问题解决了吗" not in page  # not resolved yet
    resolved(report, property_staff)
    page = client.get(reverse("stewardship-portal:report", args=[report.pk])).content.decode()
    assert "问题解决了吗" in page and "杂物已清理" in page and "问题没有解决" in page
    url = reverse("stewardship-portal:report-confirm", args=[report.pk])
    missing = client.post(url, {"rating_comment": "好"})
    assert missing.status_code == 400 and "请选择 1 到 5 颗星" in missing.content.decode()
    bad = client.post(url, {"rating": "9"})
    assert bad.status_code == 400
    assert ProblemReport.objects.get(pk=report.pk).status == Status.RESOLVED
    ok = client.post(url, {"rating": "4", "rating_comment": "处理及时"})
    assert ok.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.CONFIRMED and report.rating == 4
    page = client.get(ok["Location"]).content.decode()
    assert "报告人确认解决" in page and "★★★★☆" in page


def test_a_neighbour_reopens_with_a_reason_but_cannot_confirm(
    report, property_staff, neighbour, resident_of
):
    resolved(report, property_staff)
    client = resident_of(neighbour)
    page = client.get(reverse("stewardship-portal:report", args=[report.pk])).content.decode()
    assert "问题没有解决" in page and "问题解决了吗" not in page
    confirm = client.post(
        reverse("stewardship-portal:report-confirm", args=[report.pk]), {"rating": "5"}
    )
    assert confirm.status_code == 400
    assert ProblemReport.objects.get(pk=report.pk).status == Status.RESOLVED
    url = reverse("stewardship-portal:report-reopen", args=[report.pk])
    no_reason = client.post(url, {"note": ""})
    assert no_reason.status_code == 400 and "请说明为什么问题没有解决" in no_reason.content.decode()
    ok = client.post(url, {"note": "楼道里又堆满了"})
    assert ok.status_code == 302
    assert ProblemReport.objects.get(pk=report.pk).status == Status.REOPENED


def test_my_reports_lists_the_households_reports_only(
    city, report, neighbour, jiangan_household, resident_of
):
    file_as(neighbour, city.jiangan_compound, code="noise", description="邻居的噪声报告")
    page = resident_of(jiangan_household).get(reverse("stewardship-portal:home")).content.decode()
    assert report.number in page and "邻居的噪声报告" not in page
    assert reverse("stewardship-portal:report-new") in page


def test_the_portal_home_links_to_the_reports(jiangan_household, resident_of):
    page = resident_of(jiangan_household).get(reverse("portal:home")).content.decode()
    assert reverse("stewardship-portal:home") in page


# --- workbench ------------------------------------------------------------------------------


def test_a_property_company_lists_only_its_compounds_reports(
    client_as, report, wuchang_report, property_staff, other_property_staff
):
    page = client_as(property_staff).get(reverse("stewardship:report-list")).content.decode()
    assert report.number in page and wuchang_report.number not in page
    detail = reverse("stewardship:report-detail", args=[report.pk])
    assert client_as(other_property_staff).get(detail).status_code == 404


def test_the_list_filters_by_status_category_overdue_and_escalation(
    city, client_as, report, jiangan_household, jiangan_officer
):
    noise = file_as(jiangan_household, city.jiangan_compound, code="noise", description="噪声")
    ProblemReport.objects.filter(pk=noise.pk).update(due_on="2020-01-01", escalation=1)
    client = client_as(jiangan_officer)
    url = reverse("stewardship:report-list")

    def numbers(**params):
        text = client.get(url, params).content.decode()
        return {r.number for r in (report, noise) if r.number in text}

    assert numbers() == {report.number, noise.number}
    assert numbers(category=category("noise").pk) == {noise.number}
    assert numbers(overdue="on") == {noise.number}
    assert numbers(escalated="on") == {noise.number}
    assert numbers(status="accepted") == set()
    assert numbers(status="open") == {report.number, noise.number}
    assert client.get(url, {"status": "bogus", "category": "x", "page": "zz"}).status_code == 200


def test_the_report_page_offers_exactly_the_next_steps_of_the_viewer(
    client_as, report, property_staff, jiangan_community_worker
):
    url = reverse("stewardship:report-detail", args=[report.pk])
    handler_page = client_as(property_staff).get(url).content.decode()
    assert 'name="to_status" value="accepted"' in handler_page
    assert 'value="in_progress"' not in handler_page
    reader_page = client_as(jiangan_community_worker).get(url).content.decode()
    assert 'name="to_status"' not in reader_page


def test_the_company_handles_step_by_step_and_a_skip_is_refused(client_as, report, property_staff):
    client = client_as(property_staff)
    url = reverse("stewardship:report-advance", args=[report.pk])
    before = nothing_changes()
    skip = client.post(url, {"to_status": "resolved", "note": "直接办结"})
    assert skip.status_code == 400 and "已受理" in skip.content.decode()
    assert nothing_changes() == before
    assert client.post(url, {"to_status": "accepted"}).status_code == 302
    assert client.post(url, {"to_status": "in_progress"}).status_code == 302
    no_note = client.post(url, {"to_status": "resolved"})
    assert no_note.status_code == 400
    done = client.post(url, {"to_status": "resolved", "note": "已清理", "photos": [jpeg()]})
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.RESOLVED
    page = client.get(reverse("stewardship:report-detail", args=[report.pk])).content.decode()
    assert "已清理" in page and "property-staff" in page
    fix_photo = report.photos.get()
    photo_url = reverse("stewardship:report-photo", args=[report.pk, fix_photo.pk])
    assert photo_url in page and client.get(photo_url).status_code == 200


def test_someone_who_may_only_read_is_refused_a_step_with_403(
    client_as, report, jiangan_community_worker
):
    client = client_as(jiangan_community_worker)
    response = client.post(
        reverse("stewardship:report-advance", args=[report.pk]), {"to_status": "accepted"}
    )
    assert response.status_code == 403
    assert ProblemReport.objects.get(pk=report.pk).status == Status.SUBMITTED


def test_staff_file_for_a_caller_in_their_territory_only(
    city, client_as, jiangan_community_worker, jiangan_contract
):
    client = client_as(jiangan_community_worker)
    url = reverse("stewardship:report-file")
    assert city.jiangan_compound.code in client.get(url).content.decode()
    own = f"{url}?compound={city.jiangan_compound.code}"
    assert client.get(own).status_code == 200
    no_channel = client.post(own, {"category": category().pk, "description": "电话反映"})
    assert no_channel.status_code == 400 and ProblemReport.objects.count() == 0
    response = client.post(
        own,
        {
            "channel": Channel.HOTLINE,
            "caller_name": "王先生",
            "caller_phone": "13800001234",
            "category": category().pk,
            "description": "12345 转来：楼道堆放杂物",
        },
    )
    assert response.status_code == 302
    report = ProblemReport.objects.get()
    assert report.channel == Channel.HOTLINE and report.filed_by == jiangan_community_worker
    assert report.household is None and report.caller_phone == "13800001234"
    other = f"{url}?compound={city.wuchang_compound.code}"
    before = nothing_changes()
    assert client.get(other).status_code == 404
    assert client.post(other, {"channel": "phone", "description": "x"}).status_code == 404
    assert nothing_changes() == before


def test_the_callers_phone_is_masked_for_the_property_company(
    city, client_as, jiangan_community_worker, property_staff, jiangan_contract
):
    report = services.file_report(
        actor=jiangan_community_worker,
        scope=scope_for(jiangan_community_worker),
        compound=city.jiangan_compound,
        category=category(),
        description="电话反映杂物",
        channel=Channel.PHONE,
        caller_name="王先生",
        caller_phone="13800001234",
    )
    url = reverse("stewardship:report-detail", args=[report.pk])
    company = client_as(property_staff).get(url).content.decode()
    assert "13800001234" not in company and "138****1234" in company and "王先生" not in company
    community = client_as(jiangan_community_worker).get(url).content.decode()
    assert "13800001234" in community and "王先生" in community


def test_a_property_company_cannot_file_for_a_caller(city, client_as, property_staff):
    client = client_as(property_staff)
    url = f"{reverse('stewardship:report-file')}?compound={city.jiangan_compound.code}"
    response = client.post(
        url, {"channel": "phone", "category": category().pk, "description": "电话反映"}
    )
    assert response.status_code in (400, 403) and ProblemReport.objects.count() == 0


def test_the_district_reassigns_and_marks_a_duplicate(
    city, client_as, report, jiangan_household, jiangan_officer
):
    again = file_as(jiangan_household, city.jiangan_compound, description="楼道杂物又来了")
    client = client_as(jiangan_officer)
    reassign = reverse("stewardship:report-reassign", args=[report.pk])
    assert client.post(reassign, {"handler": "community", "note": ""}).status_code == 400
    assert (
        client.post(reassign, {"handler": "community", "note": "物业无法处理"}).status_code == 302
    )
    report.refresh_from_db()
    assert report.handler == "community" and report.handler_node == city.jiangan_community
    duplicate = reverse("stewardship:report-duplicate", args=[again.pk])
    unknown = client.post(duplicate, {"of": "WT-nope"})
    assert unknown.status_code == 400 and "找不到编号" in unknown.content.decode()
    assert client.post(duplicate, {"of": report.number}).status_code == 302
    assert ProblemReport.objects.get(pk=again.pk).duplicate_of == report


def test_routing_rules_city_office_and_district_each_their_own(
    city, client_as, city_officer, jiangan_officer
):
    url = reverse("stewardship:routing-rules")
    page = client_as(city_officer).get(url).content.decode()
    assert "全市" in page and "乱搭乱建" in page
    added = client_as(jiangan_officer).post(
        url, {"category": category("parking").pk, "node": city.jiangan.pk, "handler": "street"}
    )
    assert added.status_code == 302
    rule = RoutingRule.objects.get(node=city.jiangan)
    assert rule.handler == "street"
    foreign = client_as(jiangan_officer).post(url, {"node": city.wuchang.pk, "handler": "street"})
    assert foreign.status_code == 400 and not RoutingRule.objects.filter(node=city.wuchang).exists()
    city_wide = RoutingRule.objects.filter(node=None).first()
    delete_city_wide = reverse("stewardship:routing-rule-delete", args=[city_wide.pk])
    assert client_as(jiangan_officer).post(delete_city_wide).status_code == 403
    assert RoutingRule.objects.filter(pk=city_wide.pk).exists()
    delete_own = reverse("stewardship:routing-rule-delete", args=[rule.pk])
    assert client_as(jiangan_officer).post(delete_own).status_code == 302
    assert not RoutingRule.objects.filter(pk=rule.pk).exists()


def test_a_rule_in_another_district_answers_404(city, client_as, wuchang_officer, jiangan_officer):
    services.save_routing_rule(
        actor=wuchang_officer,
        scope=scope_for(wuchang_officer),
        category=None,
        node=city.wuchang,
        handler="street",
    )
    rule = RoutingRule.objects.get(node=city.wuchang)
    url = reverse("stewardship:routing-rule-delete", args=[rule.pk])
    assert client_as(jiangan_officer).post(url).status_code == 404
    assert (
        city.wuchang.name
        not in client_as(jiangan_officer).get(reverse("stewardship:routing-rules")).content.decode()
    )


@pytest.mark.usefixtures("wuchang_report")
def test_metrics_by_compound_company_and_district_and_their_xlsx(
    city, client_as, report, property_staff, jiangan_officer
):
    resolved(report, property_staff)
    jiangan_household = report.household
    services.advance_report(
        actor=None,
        scope=scope_for_household(jiangan_household),
        report=report,
        to_status=Status.CONFIRMED,
        rating=4,
    )
    client = client_as(jiangan_officer)
    url = reverse("stewardship:report-metrics")
    by_compound = client.get(url).content.decode()
    assert city.jiangan_compound.name in by_compound
    assert city.wuchang_compound.name not in by_compound
    assert "4.00" in by_compound
    assert "江岸红色物业公司" in client.get(url, {"by": "company"}).content.decode()
    assert "江岸区" in client.get(url, {"by": "district"}).content.decode()
    assert client.get(url, {"by": "nonsense"}).status_code == 200
    export = client.get(reverse("stewardship:report-metrics-export"))
    assert export.status_code == 200 and "attachment" in export["Content-Disposition"]
    sheet = next(iter(read_excel_bytes(export.content).sheets.values()))
    rows = [list(row) for row in sheet.rows]
    assert rows[1][1] == city.jiangan_compound.name and len(rows) == 2
    assert client_as(make_user("builder-x", Role.CONSTRUCTION_UNIT)).get(url).status_code == 404


def test_the_compound_panel_counts_and_lists_the_latest(city, client_as, report, jiangan_officer):
    ProblemReport.objects.filter(pk=report.pk).update(due_on="2020-01-01")
    client = client_as(jiangan_officer)
    panel = client.get(reverse("stewardship:compound-reports", args=[city.jiangan_compound.code]))
    text = panel.content.decode()
    assert panel.status_code == 200 and report.number in text and "已超期" in text
    other = reverse("stewardship:compound-reports", args=[city.wuchang_compound.code])
    assert client.get(other).status_code == 404


def test_the_menu_offers_reports_to_the_property_company(client_as, property_staff):
    page = client_as(property_staff).get(reverse("web:workbench")).content.decode()
    assert reverse("stewardship:report-list") in page


# --- demo -----------------------------------------------------------------------------------


def test_the_demo_files_reports_in_every_state_once(city, property_company, jiangan_contract):
    from anju.stewardship.management.commands.demo_stewardship import Command

    make_user("property", Role.PROPERTY_COMPANY, organisation=property_company)
    make_user("jiangan-community", Role.COMMUNITY_WORKER, node=city.jiangan_community)
    Command().reports()
    statuses = sorted(ProblemReport.objects.values_list("category__code", "status"))
    assert statuses == [
        ("clutter", Status.CONFIRMED),
        ("damaged_facility", Status.IN_PROGRESS),
        ("hygiene", Status.REOPENED),
        ("parking", Status.SUBMITTED),
        ("safety_hazard", Status.ACCEPTED),
    ]
    assert ProblemReport.objects.get(category__code="clutter").rating == 5
    hotline = ProblemReport.objects.get(category__code="safety_hazard")
    assert hotline.channel == Channel.HOTLINE and hotline.household is None
    before = nothing_changes()
    Command().reports()
    assert nothing_changes() == before

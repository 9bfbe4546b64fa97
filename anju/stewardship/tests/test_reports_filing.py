"""Filing a problem report: a resident in their own compound, staff for a caller; bad input is
refused with a clear message and nothing is written."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from anju.access.scope import scope_for, scope_for_household
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.models import AuditEvent
from anju.stewardship.models import (
    Channel,
    HandlerKind,
    ProblemReport,
    ReportCategory,
    ReportPhoto,
    ReportStep,
    Status,
)
from anju.stewardship.services import file_report
from anju.territory.models import Building

pytestmark = pytest.mark.django_db


def png(name="photo.png", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def category(code="clutter"):
    return ReportCategory.objects.get(code=code)


def nothing_written():
    return (
        ProblemReport.objects.count(),
        ReportStep.objects.count(),
        ReportPhoto.objects.count(),
        AuditEvent.objects.filter(verb__startswith="stewardship.report").count(),
    ) == (0, 0, 0, 0)


def resident_files(household, compound=None, **kwargs):
    values = {
        "actor": None,
        "scope": scope_for_household(household),
        "compound": compound or household.compound,
        "category": category(),
        "description": "3栋楼道堆满杂物，影响通行",
        "channel": Channel.PORTAL,
    }
    values.update(kwargs)
    return file_report(**values)


def test_a_resident_reports_a_problem_and_the_property_company_gets_it(
    city, jiangan_household, jiangan_contract
):
    report = resident_files(jiangan_household, photos=[png()], longitude=114.29, latitude=30.59)
    assert report.number.startswith("WT") and report.number.endswith("-000001")
    assert report.household == jiangan_household and report.channel == Channel.PORTAL
    assert report.status == Status.SUBMITTED
    assert (report.handler, report.handler_organisation) == (
        HandlerKind.PROPERTY_COMPANY,
        jiangan_contract.company,
    )
    assert report.due_on > report.submitted_at.date()
    step = report.steps.get()
    assert step.kind == ReportStep.Kind.SUBMITTED and step.household == jiangan_household
    assert step.photos.count() == 1
    assert AuditEvent.objects.filter(verb="stewardship.report_filed").count() == 1


def test_report_numbers_run_on_within_the_year(city, jiangan_household):
    first = resident_files(jiangan_household)
    second = resident_files(jiangan_household)
    assert second.number[:-6] == first.number[:-6]
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1


def test_a_resident_cannot_report_for_a_compound_they_do_not_live_in(city, jiangan_household):
    with pytest.raises(DomainError) as refused:
        resident_files(jiangan_household, compound=city.wuchang_compound)
    assert refused.value.code == "not_your_compound"
    assert refused.value.status == 400 and "compound" in refused.value.fields
    assert nothing_written()


def test_a_residents_report_is_always_logged_as_from_the_portal(city, jiangan_household):
    assert resident_files(jiangan_household, channel=Channel.HOTLINE).channel == Channel.PORTAL


def test_a_building_of_another_compound_is_refused(city, jiangan_household):
    elsewhere = Building.objects.get(compound=city.wuchang_compound)
    with pytest.raises(DomainError) as refused:
        resident_files(jiangan_household, building=elsewhere)
    assert refused.value.code == "building_not_in_compound" and "building" in refused.value.fields
    assert nothing_written()


@pytest.mark.parametrize(
    ("lon", "lat", "code"),
    [
        (116.40, 39.90, "point_outside_city"),
        (30.59, 114.29, "point_outside_city"),
        (114.29, None, "point_incomplete"),
    ],
)
def test_a_point_outside_wuhan_or_half_a_point_is_refused(city, jiangan_household, lon, lat, code):
    with pytest.raises(DomainError) as refused:
        resident_files(jiangan_household, longitude=lon, latitude=lat)
    assert refused.value.code == code and "longitude" in refused.value.fields
    assert nothing_written()


def test_an_empty_description_is_refused(city, jiangan_household):
    with pytest.raises(DomainError) as refused:
        resident_files(jiangan_household, description="   ")
    assert "description" in refused.value.fields
    assert nothing_written()


def test_an_oversized_upload_is_refused_and_nothing_is_written(city, jiangan_household):
    huge = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (5 * 1024 * 1024 + 10))
    with pytest.raises(DomainError) as refused:
        resident_files(jiangan_household, photos=[huge])
    assert refused.value.code == "photo_too_large" and "photos" in refused.value.fields
    assert nothing_written()


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_written(city, jiangan_household):
    fake = SimpleUploadedFile("wall.jpg", b"not a picture at all\n" * 20)
    with pytest.raises(DomainError) as refused:
        resident_files(jiangan_household, photos=[png(), fake])
    assert refused.value.code == "photo_not_an_image"
    assert nothing_written()


def test_more_than_three_photos_are_refused(city, jiangan_household):
    with pytest.raises(DomainError) as refused:
        resident_files(jiangan_household, photos=[png() for _ in range(4)])
    assert refused.value.code == "too_many_photos"
    assert nothing_written()


def staff_files(user, compound, **kwargs):
    values = {
        "actor": user,
        "scope": scope_for(user),
        "compound": compound,
        "category": category("noise"),
        "description": "夜间广场舞噪声",
        "channel": Channel.PHONE,
        "caller_name": "王女士",
        "caller_phone": "13900001111",
    }
    values.update(kwargs)
    return file_report(**values)


def test_the_community_files_for_a_caller_with_the_channel_logged(city, jiangan_community_worker):
    report = staff_files(jiangan_community_worker, city.jiangan_compound)
    assert report.channel == Channel.PHONE and report.household is None
    assert report.filed_by == jiangan_community_worker and report.caller_name == "王女士"
    # no property contract: the city rule falls through to the community
    assert (report.handler, report.handler_node) == (HandlerKind.COMMUNITY, city.jiangan_community)


def test_staff_filing_for_a_caller_must_say_how_the_caller_reached_them(
    city, jiangan_community_worker
):
    with pytest.raises(DomainError) as refused:
        staff_files(jiangan_community_worker, city.jiangan_compound, channel=Channel.PORTAL)
    assert refused.value.code == "channel_required" and "channel" in refused.value.fields
    assert nothing_written()


def test_staff_cannot_file_in_another_district(city, jiangan_officer):
    with pytest.raises(NotFound):
        staff_files(jiangan_officer, city.wuchang_compound)
    assert nothing_written()


def test_a_property_company_does_not_file_for_callers(city, property_staff):
    with pytest.raises(PermissionDenied):
        staff_files(property_staff, city.jiangan_compound)
    assert nothing_written()

"""The survey (摸底调查): who records findings where and when, photos checked and stripped like
residents' photos, every change audited, and the findings scored as hazards and gaps."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from anju.access.models import Organisation
from anju.access.scope import scope_for
from anju.catalogue.models import ChecklistItem
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.models import AuditEvent
from anju.design.models import FindingPhoto, ProjectAssignment, SurveyFinding
from anju.design.selectors.surveys import get_finding, survey_counts
from anju.design.services import surveys
from anju.design.tests.surveying import phone_photo, record, working_elsewhere
from anju.engine.scoring import DEFAULT_MODEL
from anju.planning import rounds
from anju.planning.models import Project, SurveyIndicators
from anju.territory.models import Building, Stage

pytestmark = pytest.mark.django_db


# --- helpers -----------------------------------------------------------------------------------


def hazard():
    return ChecklistItem.objects.get(code="W2")  # 供水管道老化漏损, a hazard


def shortfall():
    return ChecklistItem.objects.get(code="W1")  # 水压不足或水质浑浊, a shortfall


def other_building(city):
    return Building.objects.get(compound=city.wuchang_compound)


def own_building(city):
    return Building.objects.get(compound=city.jiangan_compound)


@pytest.fixture
def assigned_designer(designer, jiangan_project):
    ProjectAssignment.objects.create(
        project=jiangan_project,
        organisation=Organisation.objects.get(name="中南设计院"),
        role=ProjectAssignment.Role.DESIGNER,
    )
    return designer


def noticed(project):
    Project.objects.filter(pk=project.pk).update(stage=Stage.NOTICED)
    project.refresh_from_db()
    return project


# --- services ----------------------------------------------------------------------------------


def test_the_assigned_designer_records_a_finding_with_a_photo_stripped_of_its_exif(
    city, jiangan_project, assigned_designer
):
    finding = record(
        assigned_designer,
        jiangan_project,
        city.jiangan_compound,
        building=own_building(city),
        severity="critical",
        note="3单元立管锈蚀渗漏",
        photos=[phone_photo()],
    )
    assert finding.surveyor == assigned_designer
    photo = finding.photos.get()
    stored = default_storage.open(photo.image.name).read()
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert b"SecretPhone" not in stored and b"Exif" not in stored
    event = AuditEvent.objects.get(verb="survey.finding_recorded")
    assert event.after["item"] == "W2" and event.after["photos"] == 1
    assert event.territory_path == city.jiangan_compound.path


def test_community_staff_of_the_compound_record_findings_too(
    city, jiangan_project, jiangan_community_worker
):
    record(jiangan_community_worker, jiangan_project, city.jiangan_compound)
    assert SurveyFinding.objects.get().surveyor == jiangan_community_worker


def test_a_building_of_another_compound_is_refused_and_nothing_is_written(
    city, jiangan_project, jiangan_officer
):
    with pytest.raises(DomainError) as error:
        record(
            jiangan_officer,
            jiangan_project,
            city.jiangan_compound,
            building=other_building(city),
            photos=[phone_photo()],
        )
    assert error.value.status == 400 and "building" in error.value.fields
    assert "不属于小区" in error.value.message
    assert not SurveyFinding.objects.exists() and not FindingPhoto.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="survey.").exists()
    assert not SurveyIndicators.objects.exists()


def test_a_compound_outside_the_project_is_refused(city, jiangan_project, city_officer):
    with pytest.raises(DomainError) as error:
        record(city_officer, jiangan_project, city.wuchang_compound)
    assert error.value.code == "compound_not_in_project"
    assert not SurveyFinding.objects.exists()


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("wall.jpg", b"not a picture\n" * 20), "photo_not_an_image"),
        (SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (5 * 1024 * 1024)), "photo_too_large"),
    ],
)
def test_a_non_image_or_oversized_upload_is_refused_like_residents_photos(
    city, jiangan_project, jiangan_officer, upload, code
):
    with pytest.raises(DomainError) as error:
        record(jiangan_officer, jiangan_project, city.jiangan_compound, photos=[upload])
    assert error.value.code == code and "photos" in error.value.fields
    assert not SurveyFinding.objects.exists()


def test_more_than_three_photos_are_refused(city, jiangan_project, jiangan_officer):
    with pytest.raises(DomainError) as error:
        record(
            jiangan_officer,
            jiangan_project,
            city.jiangan_compound,
            photos=[phone_photo(f"{n}.jpg") for n in range(4)],
        )
    assert error.value.code == "too_many_photos"
    assert not SurveyFinding.objects.exists()


def test_the_city_office_reads_the_survey_but_does_not_make_it(city, jiangan_project, city_officer):
    with pytest.raises(PermissionDenied):
        record(city_officer, jiangan_project, city.jiangan_compound)


def test_a_designer_not_assigned_to_the_project_may_not_survey_it(city, jiangan_project, designer):
    """The firm holds the compound (so it sees the project) but not this commission."""
    with pytest.raises(PermissionDenied):
        record(designer, jiangan_project, city.jiangan_compound)


def test_another_districts_finding_is_not_found(
    city, wuchang_project, wuchang_officer, jiangan_officer
):
    finding = record(wuchang_officer, wuchang_project, city.wuchang_compound)
    with pytest.raises(NotFound):
        get_finding(scope_for(jiangan_officer), finding.pk)


def test_a_finding_is_corrected_and_deleted_while_designed_with_audit_and_recount(
    city, jiangan_project, jiangan_officer
):
    Project.objects.filter(pk=jiangan_project.pk).update(stage=Stage.DESIGNED)
    finding = record(jiangan_officer, jiangan_project, city.jiangan_compound, severity="minor")
    surveys.correct_finding(
        actor=jiangan_officer,
        scope=scope_for(jiangan_officer),
        finding=finding,
        severity="critical",
        note="复查：主管破裂",
        building=own_building(city),
    )
    corrected = AuditEvent.objects.get(verb="survey.finding_corrected")
    assert corrected.before["severity"] == "minor" and corrected.after["severity"] == "critical"
    indicators = SurveyIndicators.objects.get(compound=city.jiangan_compound)
    assert indicators.safety_hazards == {"critical": 1}
    surveys.delete_finding(actor=jiangan_officer, scope=scope_for(jiangan_officer), finding=finding)
    assert not SurveyFinding.objects.exists()
    assert AuditEvent.objects.get(verb="survey.finding_deleted").before["item"] == "W2"
    indicators.refresh_from_db()
    assert indicators.safety_hazards == {}


def test_a_building_of_another_compound_is_refused_on_correction_too(
    city, jiangan_project, jiangan_officer
):
    finding = record(jiangan_officer, jiangan_project, city.jiangan_compound)
    with pytest.raises(DomainError):
        surveys.correct_finding(
            actor=jiangan_officer,
            scope=scope_for(jiangan_officer),
            finding=finding,
            severity="major",
            building=other_building(city),
        )
    finding.refresh_from_db()
    assert finding.building is None


def test_after_the_notice_nothing_is_added_corrected_or_deleted(
    city, jiangan_project, jiangan_officer
):
    finding = record(jiangan_officer, jiangan_project, city.jiangan_compound)
    noticed(jiangan_project)
    scope = scope_for(jiangan_officer)
    attempts = [
        lambda: record(jiangan_officer, jiangan_project, city.jiangan_compound),
        lambda: surveys.correct_finding(
            actor=jiangan_officer, scope=scope, finding=finding, severity="critical"
        ),
        lambda: surveys.delete_finding(actor=jiangan_officer, scope=scope, finding=finding),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as error:
            attempt()
        assert error.value.code == "survey_closed"
        assert "方案公示" in error.value.message
    finding.refresh_from_db()
    assert finding.severity == "major" and SurveyFinding.objects.count() == 1


def test_findings_are_counted_by_kind_and_severity(city, jiangan_project, jiangan_officer):
    record(jiangan_officer, jiangan_project, city.jiangan_compound, severity="critical")
    record(jiangan_officer, jiangan_project, city.jiangan_compound, severity="minor")
    record(
        jiangan_officer,
        jiangan_project,
        city.jiangan_compound,
        checklist_item=shortfall(),
        severity="major",
    )
    counts = survey_counts(jiangan_project)
    assert counts.by_kind == {"hazard": {"critical": 1, "minor": 1}, "shortfall": {"major": 1}}
    assert counts.total == 3 and counts.compounds_surveyed == 1


def test_a_round_scored_after_the_survey_reads_its_hazards_and_gaps(
    city, jiangan_project, approved_plan, jiangan_officer, city_officer
):
    record(jiangan_officer, jiangan_project, city.jiangan_compound, severity="critical")
    record(jiangan_officer, jiangan_project, city.jiangan_compound, severity="minor")
    record(
        jiangan_officer,
        jiangan_project,
        city.jiangan_compound,
        checklist_item=shortfall(),
        severity="major",
    )
    scope = scope_for(city_officer)
    scoring_round = rounds.create_round(
        actor=city_officer,
        scope=scope,
        annual_plan=approved_plan,
        node=city.city,
        model=rounds.default_model_version(),
        name="摸底调查之后",
    )
    rounds.score_round(actor=city_officer, scope=scope, scoring_round=scoring_round)
    hazards, gaps = (
        DEFAULT_MODEL.keys.index("safety_hazards"),
        DEFAULT_MODEL.keys.index("facility_gaps"),
    )
    surveyed = scoring_round.entries.get(compound=city.jiangan_compound)
    assert surveyed.raw[hazards] == 5 + 1  # one critical, one minor
    assert surveyed.raw[gaps] == 3  # one major
    assert surveyed.contributions[hazards] > 0
    unsurveyed = scoring_round.entries.get(compound=city.wuchang_compound)
    assert unsurveyed.raw[hazards] is None and unsurveyed.raw[gaps] is None


# --- pages -------------------------------------------------------------------------------------


def test_the_survey_page_groups_the_checklist_by_area_with_the_findings_and_photos(
    city, jiangan_project, jiangan_officer, client_as
):
    finding = record(
        jiangan_officer, jiangan_project, city.jiangan_compound, photos=[phone_photo()]
    )
    client = client_as(jiangan_officer)
    page = client.get(reverse("design:survey", args=[jiangan_project.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-area="供水"' in html and 'data-area="排水"' in html
    photo = finding.photos.get()
    assert reverse("design:finding-photo", args=[photo.pk]) in html
    assert 'id="add-finding"' in html
    image = client.get(reverse("design:finding-photo", args=[photo.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"


def test_the_page_records_a_finding_with_its_photo(
    city, jiangan_project, assigned_designer, client_as
):
    response = client_as(assigned_designer).post(
        reverse("design:survey", args=[jiangan_project.pk]),
        {
            "compound": city.jiangan_compound.pk,
            "building": own_building(city).pk,
            "checklist_item": hazard().pk,
            "severity": "major",
            "note": "楼道电线私拉乱接",
            "photos": [phone_photo()],
        },
    )
    assert response.status_code == 302
    finding = SurveyFinding.objects.get()
    assert finding.surveyor == assigned_designer and finding.photos.count() == 1


def test_the_page_refuses_a_building_of_another_compound_with_400(
    city, jiangan_project, client_as, jiangan_officer
):
    """A package of two compounds: the form offers both compounds' buildings, and the service
    refuses a pair that does not match."""
    jiangan_project.compounds.add(city.wuchang_compound)
    response = client_as(jiangan_officer).post(
        reverse("design:survey", args=[jiangan_project.pk]),
        {
            "compound": city.jiangan_compound.pk,
            "building": other_building(city).pk,
            "checklist_item": hazard().pk,
            "severity": "major",
        },
    )
    assert response.status_code == 400
    assert "不属于小区" in response.content.decode()
    assert not SurveyFinding.objects.exists()


def test_the_page_refuses_a_text_file_as_a_photo_with_400(
    city, jiangan_project, jiangan_officer, client_as
):
    response = client_as(jiangan_officer).post(
        reverse("design:survey", args=[jiangan_project.pk]),
        {
            "compound": city.jiangan_compound.pk,
            "checklist_item": hazard().pk,
            "severity": "major",
            "photos": [SimpleUploadedFile("wall.jpg", b"not a picture\n" * 20)],
        },
    )
    assert response.status_code == 400
    assert "不是可识别的图片" in response.content.decode()
    assert not SurveyFinding.objects.exists()


def test_another_districts_survey_page_and_photo_are_not_found(
    city, wuchang_project, wuchang_officer, jiangan_officer, client_as
):
    finding = record(
        wuchang_officer, wuchang_project, city.wuchang_compound, photos=[phone_photo()]
    )
    client = client_as(jiangan_officer)
    assert client.get(reverse("design:survey", args=[wuchang_project.pk])).status_code == 404
    photo = finding.photos.get()
    assert client.get(reverse("design:finding-photo", args=[photo.pk])).status_code == 404
    delete = client.post(reverse("design:finding-delete", args=[finding.pk]))
    assert delete.status_code == 404 and SurveyFinding.objects.count() == 1


def test_a_company_not_assigned_gets_404(city, jiangan_project, unassigned_builder, client_as):
    client = client_as(working_elsewhere(unassigned_builder, city))
    assert client.get(reverse("design:survey", args=[jiangan_project.pk])).status_code == 404


def test_after_the_notice_the_page_is_read_only_and_refuses_deletion(
    city, jiangan_project, jiangan_officer, client_as
):
    finding = record(jiangan_officer, jiangan_project, city.jiangan_compound)
    noticed(jiangan_project)
    client = client_as(jiangan_officer)
    page = client.get(reverse("design:survey", args=[jiangan_project.pk]))
    assert 'id="add-finding"' not in page.content.decode()
    delete = client.post(reverse("design:finding-delete", args=[finding.pk]))
    assert delete.status_code == 400 and SurveyFinding.objects.count() == 1


def test_the_project_page_shows_the_counts_and_links_the_survey(
    city, jiangan_project, jiangan_officer, client_as
):
    record(jiangan_officer, jiangan_project, city.jiangan_compound, severity="critical")
    page = client_as(jiangan_officer).get(
        reverse("design:project-detail", args=[jiangan_project.pk])
    )
    html = page.content.decode()
    assert 'id="project-survey"' in html and 'id="survey-counts"' in html
    assert reverse("design:survey", args=[jiangan_project.pk]) in html


def test_the_survey_page_and_the_api_list_cost_the_same_queries_for_one_or_many_findings(
    city, jiangan_project, jiangan_officer, client_as
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(jiangan_officer)
    urls = [
        reverse("design:survey", args=[jiangan_project.pk]),
        reverse("api-project-findings", args=[jiangan_project.pk]),
    ]

    def queries():
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    record(jiangan_officer, jiangan_project, city.jiangan_compound, photos=[phone_photo()])
    one = queries()
    for severity in ("minor", "critical", "major"):
        record(
            jiangan_officer,
            jiangan_project,
            city.jiangan_compound,
            checklist_item=shortfall(),
            severity=severity,
            building=own_building(city),
            photos=[phone_photo(), phone_photo("b.jpg")],
        )
    assert queries() == one

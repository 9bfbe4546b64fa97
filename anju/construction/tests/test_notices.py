"""The construction notice's rules: the district publishes it once the construction and
supervision units are named, republishes edits (audited), and a household of the project's
compound complains through it — a problem report handled by the supervision unit, seen by the
district, listed publicly without personal data. Anyone else is refused and nothing is written.
"""

from __future__ import annotations

import pytest

from anju.access.scope import scope_for, scope_for_household
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.models import AuditEvent
from anju.stewardship.models import ProblemReport, ReportCategory
from anju.stewardship.selectors.reports import my_reports, reports_for
from anju.territory.models import Stage

from ..models import ConstructionNotice
from ..selectors import notices as selectors
from ..services import notices as services
from .accepting import approve_plan
from .delivering import district_scope, name_parties
from .noticing import NOTICE_TEXT, complain, publish

pytestmark = pytest.mark.django_db


def test_the_district_publishes_the_notice_of_a_project_with_its_parties(named_project):
    notice = publish(named_project)
    assert notice.published_at is not None
    assert notice.complaint_phone == "027-82881234"
    event = AuditEvent.objects.filter(verb="construction.notice_published").get()
    assert event.after["scope_summary"].startswith("屋面修缮")
    assert event.territory_path == named_project.path


def test_republishing_replaces_the_text_and_records_what_changed(named_project):
    publish(named_project)
    publish(named_project, working_hours="每日 7:30–11:30")
    assert ConstructionNotice.objects.filter(project=named_project).count() == 1
    event = AuditEvent.objects.filter(verb="construction.notice_republished").get()
    assert event.before == {"working_hours": NOTICE_TEXT["working_hours"]}
    assert event.after == {"working_hours": "每日 7:30–11:30"}


def test_no_notice_before_the_construction_and_supervision_units_are_named(approved_project):
    with pytest.raises(DomainError) as refused:
        publish(approved_project)
    assert refused.value.code == "parties_missing"
    assert "施工单位" in str(refused.value.message)
    assert not ConstructionNotice.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="construction.notice").exists()


def test_no_notice_once_the_project_is_accepted(named_project):
    named_project.stage = Stage.ACCEPTED
    named_project.save(update_fields=["stage"])
    with pytest.raises(DomainError) as refused:
        publish(named_project)
    assert refused.value.code == "wrong_stage"


def test_another_district_and_the_builder_may_not_publish(named_project, wuchang_officer, builder):
    for user in (wuchang_officer, builder):
        with pytest.raises(PermissionDenied):
            services.publish_notice(
                actor=user, scope=scope_for(user), project=named_project, **NOTICE_TEXT
            )
    assert not ConstructionNotice.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"), [("scope_summary", "   "), ("complaint_phone", "call us")]
)
def test_a_blank_scope_or_an_undiallable_phone_is_refused_with_the_field(
    named_project, field, value
):
    with pytest.raises(DomainError) as refused:
        publish(named_project, **{field: value})
    assert field in refused.value.fields
    assert not ConstructionNotice.objects.exists()


def test_the_default_scope_of_works_lists_the_approved_plans_items(named_project):
    assert selectors.default_scope_summary(named_project) == ""
    approve_plan(named_project)
    lines = selectors.default_scope_summary(named_project).splitlines()
    assert len(lines) == 2
    assert "（420" in lines[0]
    assert "（1200" in lines[1]


def test_the_public_content_names_responsible_persons_but_not_contract_sums(named_project):
    notice = publish(named_project)
    content = selectors.notice_content(named_project, notice)
    roles = [party.role for party in content.parties]
    assert roles == ["construction", "supervision", "design"]
    assert content.parties[0].responsible_phone == "13807100001"
    assert not hasattr(content.parties[0], "contract_sum")
    assert [m.name for m in content.milestones] == ["主体完工", "竣工"]
    assert content.scope_lines == ["屋面修缮（420m²）", "外墙修缮（1200m²）"]


def test_a_residents_complaint_goes_to_the_supervision_unit_and_the_district(
    named_project, project_household, supervisor, jiangan_officer, supervisor_firm
):
    publish(named_project)
    report = complain(named_project, project_household)
    assert report.channel == "construction_notice"
    assert report.project_id == named_project.pk
    assert report.household_id == project_household.pk
    assert report.handler == "organisation"
    assert report.handler_organisation_id == supervisor_firm.pk
    assert reports_for(scope_for(supervisor)).filter(pk=report.pk).exists()
    assert reports_for(scope_for(jiangan_officer)).filter(pk=report.pk).exists()
    assert list(my_reports(project_household)) == [report]


def test_the_public_list_shows_status_but_nobody(named_project, project_household):
    publish(named_project)
    report = complain(named_project, project_household)
    [shown] = selectors.public_complaints(named_project)
    assert shown.number == report.number
    assert shown.status == "submitted"
    fields = set(shown.__dataclass_fields__)
    assert not fields & {"household", "description", "caller_name", "caller_phone"}


def test_a_household_of_another_compound_is_refused_and_nothing_is_written(named_project, city):
    publish(named_project)
    outsider = city.wuchang_compound.households.first()
    with pytest.raises(PermissionDenied) as refused:
        complain(named_project, outsider)
    assert refused.value.code == "not_in_project"
    assert not ProblemReport.objects.exists()


def test_no_complaint_without_a_published_notice(named_project, project_household):
    with pytest.raises(NotFound):
        complain(named_project, project_household)
    assert not ProblemReport.objects.exists()


def test_staff_cannot_complain_as_a_household(named_project, jiangan_officer):
    publish(named_project)
    with pytest.raises(PermissionDenied):
        services.file_complaint(
            actor=jiangan_officer,
            scope=scope_for(jiangan_officer),
            project=named_project,
            category=ReportCategory.objects.get(code="noise"),
            description="x",
        )
    assert not ProblemReport.objects.exists()


def test_only_published_notices_are_public(named_project, wuchang_approved_project):
    with pytest.raises(NotFound):
        selectors.get_public_project(named_project.pk)
    publish(named_project)
    assert selectors.get_public_project(named_project.pk) == named_project
    with pytest.raises(NotFound):
        selectors.get_public_project(wuchang_approved_project.pk)


def test_a_complaint_without_a_description_changes_nothing(named_project, project_household):
    publish(named_project)
    with pytest.raises(DomainError):
        services.file_complaint(
            actor=None,
            scope=scope_for_household(project_household),
            project=named_project,
            category=ReportCategory.objects.get(code="noise"),
            description="  ",
        )
    assert not ProblemReport.objects.exists()


def test_district_scope_helper_matches_the_project(named_project):
    # the builders publish as the district: the rule the pages ask says the same
    from .. import rules

    assert rules.may_publish_notice(district_scope(named_project), named_project)
    assert name_parties  # imported for other chapters' tests

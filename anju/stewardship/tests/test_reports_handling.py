"""Handling a report to the end: one step at a time, each by whom the rules name; the reporter
confirms and rates; anyone in the compound may reopen with a reason."""

import pytest

from anju.access.models import Organisation
from anju.access.scope import scope_for, scope_for_household
from anju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from anju.core.models import AuditEvent
from anju.stewardship.models import Channel, HandlerKind, ProblemReport, ReportCategory, Status
from anju.stewardship.selectors.reports import get_report, next_steps, reports_for, steps_for
from anju.stewardship.services import (
    advance_report,
    file_report,
    mark_duplicate,
    reassign_report,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(city, jiangan_household, jiangan_contract):
    return file_report(
        actor=None,
        scope=scope_for_household(jiangan_household),
        compound=city.jiangan_compound,
        category=ReportCategory.objects.get(code="clutter"),
        description="楼道堆放杂物",
        channel=Channel.PORTAL,
    )


@pytest.fixture
def neighbour(city, jiangan_household):
    return city.jiangan_compound.households.exclude(pk=jiangan_household.pk).first()


def step(user_or_household, report, to_status, **kwargs):
    if hasattr(user_or_household, "get_username"):
        actor, scope = user_or_household, scope_for(user_or_household)
    else:
        actor, scope = None, scope_for_household(user_or_household)
    return advance_report(actor=actor, scope=scope, report=report, to_status=to_status, **kwargs)


def snapshot(report):
    row = ProblemReport.objects.get(pk=report.pk)
    return (row.status, row.steps.count(), AuditEvent.objects.count())


def test_the_company_handles_and_the_resident_confirms_with_a_rating(
    report, property_staff, jiangan_household
):
    step(property_staff, report, Status.ACCEPTED)
    step(property_staff, report, Status.IN_PROGRESS, note="已安排保洁")
    step(property_staff, report, Status.RESOLVED, note="杂物已清理")
    done = step(jiangan_household, report, Status.CONFIRMED, rating=5, rating_comment="很及时")
    assert done.status == Status.CONFIRMED and done.rating == 5 and done.confirmed_at
    kinds = [(s.kind, s.to_status) for s in steps_for(done)]
    assert kinds == [
        ("submitted", "submitted"),
        ("status", "accepted"),
        ("status", "in_progress"),
        ("status", "resolved"),
        ("status", "confirmed"),
        ("rated", ""),
    ]
    assert AuditEvent.objects.filter(verb="stewardship.report_advanced").count() == 4


def test_a_status_jump_that_skips_a_step_is_refused_and_changes_nothing(report, property_staff):
    before = snapshot(report)
    with pytest.raises(Conflict) as refused:
        step(property_staff, report, Status.RESOLVED, note="直接办结")
    assert refused.value.code == "status_skip" and refused.value.status == 409
    assert "已受理" in refused.value.message  # names the allowed next step
    assert snapshot(report) == before


def test_only_the_handler_accepts(report, other_property_staff, jiangan_household):
    with pytest.raises(PermissionDenied):
        step(jiangan_household, report, Status.ACCEPTED)
    with pytest.raises(NotFound):
        step(other_property_staff, report, Status.ACCEPTED)
    assert ProblemReport.objects.get(pk=report.pk).status == Status.SUBMITTED


def test_the_district_may_act_for_the_handler(report, jiangan_officer):
    assert step(jiangan_officer, report, Status.ACCEPTED).status == Status.ACCEPTED


def test_resolving_needs_a_note_saying_what_was_done(report, property_staff):
    step(property_staff, report, Status.ACCEPTED)
    step(property_staff, report, Status.IN_PROGRESS)
    before = snapshot(report)
    with pytest.raises(DomainError) as refused:
        step(property_staff, report, Status.RESOLVED)
    assert "note" in refused.value.fields
    assert snapshot(report) == before


@pytest.fixture
def resolved(report, property_staff):
    step(property_staff, report, Status.ACCEPTED)
    step(property_staff, report, Status.IN_PROGRESS)
    return step(property_staff, report, Status.RESOLVED, note="已清理")


def test_only_the_reporting_household_confirms(resolved, neighbour, property_staff):
    with pytest.raises(PermissionDenied):
        step(neighbour, resolved, Status.CONFIRMED)
    with pytest.raises(PermissionDenied):
        step(property_staff, resolved, Status.CONFIRMED)


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_a_rating_outside_one_to_five_is_refused(resolved, jiangan_household, rating):
    before = snapshot(resolved)
    with pytest.raises(DomainError) as refused:
        step(jiangan_household, resolved, Status.CONFIRMED, rating=rating)
    assert refused.value.code == "rating_out_of_range" and "rating" in refused.value.fields
    assert snapshot(resolved) == before


def test_a_neighbour_reopens_a_resolved_report_with_a_reason(resolved, neighbour, property_staff):
    reopened = step(neighbour, resolved, Status.REOPENED, note="杂物又堆回来了")
    assert reopened.status == Status.REOPENED and reopened.reopen_count == 1
    assert steps_for(reopened).last().household == neighbour
    assert next_steps(reopened, scope_for(property_staff)) == [Status.IN_PROGRESS]


def test_a_reasonless_reopen_is_refused_and_changes_nothing(resolved, neighbour):
    before = snapshot(resolved)
    with pytest.raises(DomainError) as refused:
        step(neighbour, resolved, Status.REOPENED, note="  ")
    assert refused.value.code == "reason_required" and "note" in refused.value.fields
    assert snapshot(resolved) == before


def test_a_resident_of_another_compound_cannot_reopen(resolved, city):
    stranger = city.wuchang_compound.households.first()
    with pytest.raises(NotFound):
        step(stranger, resolved, Status.REOPENED, note="x")


def test_next_steps_offer_what_the_viewer_may_do(
    resolved, jiangan_household, neighbour, property_staff
):
    assert next_steps(resolved, scope_for_household(jiangan_household)) == [
        Status.CONFIRMED,
        Status.REOPENED,
    ]
    assert next_steps(resolved, scope_for_household(neighbour)) == [Status.REOPENED]
    assert next_steps(resolved, scope_for(property_staff)) == []


def test_a_property_company_sees_only_its_compounds_reports(
    report, city, property_staff, other_property_staff, wuchang_officer
):
    other = file_report(
        actor=wuchang_officer,
        scope=scope_for(wuchang_officer),
        compound=city.wuchang_compound,
        category=ReportCategory.objects.get(code="parking"),
        description="乱停车",
        channel=Channel.VISIT,
    )
    assert list(reports_for(scope_for(property_staff))) == [report]
    assert list(reports_for(scope_for(other_property_staff))) == [other]
    with pytest.raises(Exception) as missing:
        get_report(scope_for(property_staff), other.pk)
    assert missing.value.status == 404


def test_the_street_reassigns_to_a_named_unit(report, city, jiangan_officer):
    bureau = Organisation.objects.create(name="江岸区城管执法局", kind=Organisation.Kind.GOVERNMENT)
    moved = reassign_report(
        actor=jiangan_officer,
        scope=scope_for(jiangan_officer),
        report=report,
        handler=HandlerKind.ORGANISATION,
        organisation=bureau,
        note="属于违建执法",
    )
    assert (moved.handler, moved.handler_organisation, moved.handler_node) == (
        HandlerKind.ORGANISATION,
        bureau,
        None,
    )
    assert steps_for(moved).last().kind == "reassigned"


def test_a_property_company_cannot_reassign(report, property_staff):
    with pytest.raises(PermissionDenied):
        reassign_report(
            actor=property_staff,
            scope=scope_for(property_staff),
            report=report,
            handler=HandlerKind.COMMUNITY,
            note="不归我们",
        )


def test_a_duplicate_points_to_the_original_in_the_same_compound(
    report, city, jiangan_household, property_staff, wuchang_officer
):
    again = file_report(
        actor=None,
        scope=scope_for_household(jiangan_household),
        compound=city.jiangan_compound,
        category=report.category,
        description="楼道杂物没人管",
        channel=Channel.PORTAL,
    )
    marked = mark_duplicate(
        actor=property_staff, scope=scope_for(property_staff), report=again, of=report
    )
    assert marked.duplicate_of == report
    assert report.number in steps_for(marked).last().note
    elsewhere = file_report(
        actor=wuchang_officer,
        scope=scope_for(wuchang_officer),
        compound=city.wuchang_compound,
        category=report.category,
        description="杂物",
        channel=Channel.VISIT,
    )
    with pytest.raises(DomainError) as refused:
        mark_duplicate(
            actor=wuchang_officer, scope=scope_for(wuchang_officer), report=elsewhere, of=report
        )
    assert refused.value.code == "not_a_duplicate"

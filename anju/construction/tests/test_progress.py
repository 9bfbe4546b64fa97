"""Weekly progress: reported by the construction unit, confirmed or disputed by the
supervision unit; the S-curve and the behind-schedule flag."""

import datetime as dt
from decimal import Decimal

import pytest

from anju.access.scope import scope_for
from anju.construction.models import ProgressReport, TaskProgress
from anju.construction.selectors.schedule import behind_schedule, progress_of
from anju.construction.services import confirm_progress, dispute_progress, submit_progress
from anju.construction.tests.delivering import (
    on_day,
    report_week,
)
from anju.core.errors import Conflict, DomainError, PermissionDenied

pytestmark = pytest.mark.django_db

APRIL = dt.date(2027, 4, 4)  # a Sunday


@pytest.fixture
def in_april(monkeypatch):
    on_day(monkeypatch, dt.date(2027, 4, 5))


def submit(project, user, percents, **kwargs):
    tasks = {task.name: task for task in project.tasks.all()}
    return submit_progress(
        actor=user,
        scope=scope_for(user),
        project=project,
        percents={tasks[name]: value for name, value in percents.items()},
        week_ending=kwargs.pop("week_ending", APRIL),
        **kwargs,
    )


def test_progress_over_100_percent_is_refused_and_nothing_is_written(
    building_project, builder, in_april
):
    with pytest.raises(DomainError) as refused:
        submit(building_project, builder, {"屋面防水": 120, "外墙保温": 10})
    assert refused.value.code == "invalid_progress"
    assert not ProgressReport.objects.exists()
    assert not TaskProgress.objects.exists()


def test_the_supervisor_cannot_submit_progress(building_project, supervisor, in_april):
    with pytest.raises(PermissionDenied):
        submit(building_project, supervisor, {"屋面防水": 10})
    assert not ProgressReport.objects.exists()


def test_the_builder_cannot_confirm_its_own_report(building_project, builder, in_april):
    report = submit(building_project, builder, {"屋面防水": 10})
    with pytest.raises(PermissionDenied):
        confirm_progress(actor=builder, scope=scope_for(builder), report=report)
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED


def test_one_report_a_week(building_project, builder, in_april):
    submit(building_project, builder, {"屋面防水": 10})
    with pytest.raises(Conflict):
        submit(building_project, builder, {"屋面防水": 12}, week_ending=dt.date(2027, 3, 31))


def test_a_disputed_report_is_corrected_and_submitted_again(
    building_project, builder, supervisor, in_april
):
    report = submit(building_project, builder, {"屋面防水": 60})
    with pytest.raises(DomainError):
        dispute_progress(actor=supervisor, scope=scope_for(supervisor), report=report, reason=" ")
    dispute_progress(
        actor=supervisor, scope=scope_for(supervisor), report=report, reason="屋面未完成一半"
    )
    again = submit(building_project, builder, {"屋面防水": 30})
    assert again.pk == report.pk
    assert again.status == ProgressReport.Status.SUBMITTED
    assert [line.percent for line in again.lines.all()] == [Decimal("30.0")]


def test_a_percent_below_the_last_confirmed_needs_a_note(
    building_project, builder, supervisor, monkeypatch
):
    on_day(monkeypatch, dt.date(2027, 4, 12))
    report_week(
        building_project,
        builder=builder,
        week_ending=APRIL,
        percents={"屋面防水": 40},
        confirm_by=supervisor,
    )
    with pytest.raises(DomainError) as refused:
        submit(building_project, builder, {"屋面防水": 35}, week_ending=dt.date(2027, 4, 11))
    assert "note" in refused.value.fields
    submit(
        building_project,
        builder,
        {"屋面防水": 35},
        week_ending=dt.date(2027, 4, 11),
        note="返工：防水层鼓包",
    )


def test_future_weeks_cannot_be_reported(building_project, builder, in_april):
    with pytest.raises(DomainError):
        submit(building_project, builder, {"屋面防水": 10}, week_ending=dt.date(2027, 5, 2))


def test_the_s_curve_counts_only_confirmed_reports(
    building_project, builder, supervisor, monkeypatch
):
    on_day(monkeypatch, dt.date(2027, 4, 12))
    report_week(
        building_project,
        builder=builder,
        week_ending=APRIL,
        percents={"屋面防水": 50},
        confirm_by=supervisor,
    )
    submit(building_project, builder, {"屋面防水": 90}, week_ending=dt.date(2027, 4, 11))
    progress = progress_of(building_project)
    # 屋面防水 weighs 30 of 100: 50% of it is 15 points; the unconfirmed 90% does not count.
    assert progress.actual == Decimal("15.0")
    april_4 = next(p for p in progress.points if p.week_ending == APRIL)
    # planned on 4 April: 屋面防水 35/92 days × 30 + 外墙保温 4/153 days × 50 = 12.7
    assert april_4.planned == Decimal("12.7")
    assert april_4.actual == Decimal("15.0")
    assert progress.points[0].week_ending == dt.date(2027, 3, 7)
    assert progress.points[-1].week_ending == dt.date(2027, 10, 31)
    assert progress.points[-1].planned == Decimal("100.0")


def test_a_project_behind_by_more_than_the_margin_is_flagged_to_its_district(  # noqa: PLR0917
    building_project, builder, supervisor, jiangan_officer, wuchang_officer, monkeypatch, settings
):
    settings.ANJU_PROGRESS_BEHIND_MARGIN = 10
    on_day(monkeypatch, dt.date(2027, 5, 3))
    report_week(
        building_project,
        builder=builder,
        week_ending=dt.date(2027, 5, 2),
        percents={"屋面防水": 20},
        confirm_by=supervisor,
    )
    # planned on 3 May ≈ 28.5%, actual 6%: behind by more than 10 points.
    assert list(behind_schedule(scope_for(jiangan_officer))) == [building_project]
    assert not behind_schedule(scope_for(wuchang_officer)).exists()
    settings.ANJU_PROGRESS_BEHIND_MARGIN = 30
    assert not behind_schedule(scope_for(jiangan_officer)).exists()


def test_a_project_on_schedule_is_not_flagged(
    building_project, builder, supervisor, jiangan_officer, monkeypatch
):
    on_day(monkeypatch, dt.date(2027, 4, 5))
    report_week(
        building_project,
        builder=builder,
        week_ending=APRIL,
        percents={"屋面防水": 40, "外墙保温": 5},
        confirm_by=supervisor,
    )
    assert not behind_schedule(scope_for(jiangan_officer)).exists()

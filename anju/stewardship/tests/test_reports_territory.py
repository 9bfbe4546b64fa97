"""A street handed to another district takes its compounds' reports along: the new district's
staff see them, the old district's no longer do."""

import datetime as dt

import pytest

from anju.access.scope import scope_for, scope_for_household
from anju.stewardship.models import Channel, ProblemReport, ReportCategory
from anju.stewardship.selectors.reports import reports_for
from anju.stewardship.services import file_report
from anju.territory.services import move_node

pytestmark = pytest.mark.django_db


def test_reports_follow_their_street_to_another_district(
    city, jiangan_household, city_officer, jiangan_officer, wuchang_officer
):
    report = file_report(
        actor=None,
        scope=scope_for_household(jiangan_household),
        compound=city.jiangan_compound,
        category=ReportCategory.objects.get(code="parking"),
        description="消防通道被占",
        channel=Channel.PORTAL,
    )
    move_node(
        actor=city_officer,
        scope=scope_for(city_officer),
        node=city.jiangan_street,
        new_parent=city.wuchang,
        effective_on=dt.date(2026, 1, 1),
    )
    report = ProblemReport.objects.get(pk=report.pk)
    assert report.path.startswith(city.wuchang.path)
    assert list(reports_for(scope_for(wuchang_officer))) == [report]
    assert list(reports_for(scope_for(jiangan_officer))) == []

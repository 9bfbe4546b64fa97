"""The workbench's 需要关注 list: what needs a territorial official's attention, counted in the
viewer's territory and linked to the list behind it; nothing to count, no line."""

import datetime as dt

import pytest
from django.urls import reverse

from anju.construction.tests.conftest import (  # noqa: F401 (fixtures)
    approved_project,
    builder,
    builder_firm,
    design_firm,
    supervisor,
    supervisor_firm,
)
from anju.construction.tests.delivering import (  # noqa: F401 (fixtures)
    building_project,
    named_project,
    on_day,
    report_week,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lagging_project(building_project, builder, supervisor, monkeypatch):  # noqa: F811
    """Confirmed at 6 % on 3 May 2027 while the plan expects about 28 %."""
    on_day(monkeypatch, dt.date(2027, 5, 3))
    report_week(
        building_project,
        builder=builder,
        week_ending=dt.date(2027, 5, 2),
        percents={"屋面防水": 20},
        confirm_by=supervisor,
    )
    return building_project


def test_the_district_is_told_of_a_project_behind_schedule(
    client_as, lagging_project, jiangan_officer
):
    page = client_as(jiangan_officer).get(reverse("web:workbench"))
    [line] = [line for line in page.context["attention"] if line.label == "进度滞后的施工项目"]
    assert line.count == 1
    assert line.url == reverse("construction:project-list") + "?behind=1"
    assert 'id="attention"' in page.content.decode()
    listed = client_as(jiangan_officer).get(line.url)
    assert [row[0] for row in listed.context["rows"]] == [lagging_project]
    assert 'id="id_behind" name="behind" value="1" checked' in listed.content.decode()


def test_another_district_has_nothing_to_look_at(client_as, lagging_project, wuchang_officer):
    page = client_as(wuchang_officer).get(reverse("web:workbench"))
    assert page.context["attention"] == []
    assert 'id="attention"' not in page.content.decode()
    listed = client_as(wuchang_officer).get(reverse("construction:project-list") + "?behind=1")
    assert listed.context["rows"] == []


def test_a_project_on_schedule_is_not_in_the_behind_list(
    client_as,
    building_project,  # noqa: F811 (the fixture imported above)
    jiangan_officer,
    monkeypatch,
):
    on_day(monkeypatch, dt.date(2027, 3, 20))
    listed = client_as(jiangan_officer).get(reverse("construction:project-list") + "?behind=1")
    assert listed.context["rows"] == []
    everything = client_as(jiangan_officer).get(reverse("construction:project-list"))
    assert [row[0] for row in everything.context["rows"]] == [building_project]


def test_the_list_costs_a_fixed_number_of_queries(lagging_project, jiangan_officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from anju.access.scope import scope_for
    from anju.web.attention import attention_for

    scope = scope_for(jiangan_officer)
    with CaptureQueriesContext(connection) as queries:
        attention_for(scope)
    assert len(queries) <= 12

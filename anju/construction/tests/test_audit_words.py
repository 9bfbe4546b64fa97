"""Construction's audit events are recorded against their project but read in the words of
the record they describe: a party's role and terms, a task's dates and weight, a week's
percent by task, not field codes."""

import datetime as dt

import pytest

from anju.core.audit import describe_changes
from anju.core.models import AuditEvent

from .delivering import on_day, report_week

pytestmark = pytest.mark.django_db


def words(verb) -> dict:
    event = AuditEvent.objects.filter(verb=verb).order_by("pk").first()
    return {change.label: change.after for change in describe_changes(event)}


def test_parties_tasks_and_progress_read_in_words(building_project, builder, monkeypatch):
    on_day(monkeypatch, dt.date(2027, 4, 5))
    report_week(
        building_project,
        builder=builder,
        week_ending=dt.date(2027, 4, 4),
        percents={"屋面防水": 40},
    )
    party = words("construction.party_named")
    assert party["参建角色"] in {"施工单位", "监理单位", "设计单位"}
    assert "项目负责人" in party and "统一社会信用代码" in party
    task = words("construction.task_saved")
    assert {"施工任务", "计划开始", "计划结束", "权重"} <= set(task)
    progress = words("construction.progress_submitted")
    assert progress["各任务完成(%)"] == "屋面防水：40.0"
    assert progress["状态"] != "submitted"
    assert not any(label.isascii() for label in {**party, **task, **progress})

"""Joint governance meetings: the compound's keepers record a held meeting with its follow-up
tasks (all or nothing, audited), add tasks and mark them done once; tasks past their due date
and not done are overdue on the compound and across the viewer's territory only."""

import datetime as dt
from datetime import timedelta

import pytest

from anju.access.scope import scope_for
from anju.core.calendar import today
from anju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from anju.core.models import AuditEvent
from anju.stewardship import services
from anju.stewardship.models import Body, FollowUpTask, GovernanceMeeting
from anju.stewardship.selectors import governance as selectors

pytestmark = pytest.mark.django_db


def task(title="清理楼道堆物", due_in=7, **kwargs):
    return {
        "title": title,
        "owner": "物业 李经理",
        "owner_body": Body.PROPERTY_COMPANY,
        "due_on": today() + timedelta(days=due_in),
        **kwargs,
    }


def record(user, compound, *, held_ago=10, tasks=(), **kwargs):
    values = {
        "held_on": today() - timedelta(days=held_ago),
        "subject": "楼道堆物整治",
        "bodies": [Body.RESIDENTS_COMMITTEE, Body.PROPERTY_COMPANY],
        "attendees": "居委会 王主任\n物业 李经理",
        "decisions": "两周内清理完毕",
        "tasks": list(tasks),
    }
    values.update(kwargs)
    return services.record_meeting(actor=user, scope=scope_for(user), compound=compound, **values)


def test_a_community_worker_records_a_meeting_with_its_tasks_audited(
    city, jiangan_community_worker
):
    meeting = record(
        jiangan_community_worker, city.jiangan_compound, tasks=[task(), task("划车位")]
    )
    assert list(meeting.tasks.values_list("title", flat=True)) == ["清理楼道堆物", "划车位"]
    event = AuditEvent.objects.get(verb="stewardship.meeting_recorded")
    assert event.after["tasks"] == ["清理楼道堆物", "划车位"]
    assert event.territory_path == city.jiangan_compound.path


def test_a_meeting_needs_a_body_present(city, jiangan_officer):
    with pytest.raises(DomainError) as refused:
        record(jiangan_officer, city.jiangan_compound, bodies=[])
    assert "bodies" in refused.value.fields
    assert not GovernanceMeeting.objects.exists()


def test_a_meeting_is_recorded_after_it_is_held(city, jiangan_officer):
    with pytest.raises(DomainError) as refused:
        record(jiangan_officer, city.jiangan_compound, held_ago=-1)
    assert "held_on" in refused.value.fields


def test_one_bad_task_writes_neither_the_meeting_nor_its_tasks(city, jiangan_officer):
    with pytest.raises(DomainError) as refused:
        record(jiangan_officer, city.jiangan_compound, tasks=[task(), task(due_in=-30)])
    assert "第2项任务" in refused.value.fields["tasks"][0]
    assert not GovernanceMeeting.objects.exists() and not FollowUpTask.objects.exists()


def test_only_the_compounds_keepers_record(city, property_staff, wuchang_officer):
    with pytest.raises(PermissionDenied):
        record(property_staff, city.jiangan_compound)
    with pytest.raises(NotFound):
        record(wuchang_officer, city.jiangan_compound)
    assert not GovernanceMeeting.objects.exists()


def test_a_task_is_done_once_between_the_meeting_and_today(city, jiangan_officer):
    meeting = record(jiangan_officer, city.jiangan_compound, tasks=[task()])
    follow_up = meeting.tasks.get()
    scope = scope_for(jiangan_officer)
    for day in (today() + timedelta(days=1), meeting.held_on - timedelta(days=1)):
        with pytest.raises(DomainError) as refused:
            services.complete_follow_up_task(
                actor=jiangan_officer, scope=scope, task=follow_up, done_on=day
            )
        assert "done_on" in refused.value.fields
    done = services.complete_follow_up_task(
        actor=jiangan_officer, scope=scope, task=follow_up, done_on=today(), note="已清理"
    )
    assert done.done_on == today() and done.done_note == "已清理"
    with pytest.raises(Conflict):
        services.complete_follow_up_task(
            actor=jiangan_officer, scope=scope, task=follow_up, done_on=today()
        )
    assert AuditEvent.objects.filter(verb="stewardship.task_done").count() == 1


def test_another_districts_task_is_not_found(city, jiangan_officer, wuchang_officer):
    meeting = record(jiangan_officer, city.jiangan_compound, tasks=[task()])
    follow_up = meeting.tasks.get()
    with pytest.raises(NotFound):
        selectors.get_task(scope_for(wuchang_officer), follow_up.pk)
    with pytest.raises(NotFound):
        services.complete_follow_up_task(
            actor=wuchang_officer, scope=scope_for(wuchang_officer), task=follow_up, done_on=today()
        )
    follow_up.refresh_from_db()
    assert follow_up.done_on is None


def test_a_task_added_later_is_due_on_or_after_the_meeting(city, jiangan_officer):
    meeting = record(jiangan_officer, city.jiangan_compound)
    scope = scope_for(jiangan_officer)
    with pytest.raises(DomainError) as refused:
        services.add_follow_up_task(
            actor=jiangan_officer, scope=scope, meeting=meeting, **task(due_in=-30)
        )
    assert "due_on" in refused.value.fields
    services.add_follow_up_task(actor=jiangan_officer, scope=scope, meeting=meeting, **task())
    assert AuditEvent.objects.filter(verb="stewardship.task_added").count() == 1


def test_overdue_tasks_are_not_done_and_past_due_in_the_viewers_territory(
    city, jiangan_officer, wuchang_officer
):
    meeting = record(
        jiangan_officer,
        city.jiangan_compound,
        held_ago=30,
        tasks=[task("逾期", due_in=-5), task("今天到期", due_in=0), task("已完成", due_in=-10)],
    )
    services.complete_follow_up_task(
        actor=jiangan_officer,
        scope=scope_for(jiangan_officer),
        task=meeting.tasks.get(title="已完成"),
        done_on=today() - timedelta(days=12),
    )
    record(wuchang_officer, city.wuchang_compound, held_ago=30, tasks=[task("武昌逾期", due_in=-5)])
    assert [t.title for t in selectors.overdue_tasks(scope_for(jiangan_officer))] == ["逾期"]
    assert [t.title for t in selectors.overdue_tasks_of(city.jiangan_compound)] == ["逾期"]
    later = today() + dt.timedelta(days=1)
    assert [t.title for t in selectors.overdue_tasks_of(city.jiangan_compound, later)] == [
        "逾期",
        "今天到期",
    ]

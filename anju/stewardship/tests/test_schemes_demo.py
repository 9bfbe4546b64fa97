"""`anju demo` gives 江岸区's second and third demo compounds a management scheme with budget
lines and a joint governance meeting with tasks (one done, one overdue), leaves the compound
the household codes are printed for without a scheme (the visitor fills it before the notice),
and a second run changes nothing."""

import pytest

from anju.access.tests.test_demo_command import run_demo, small_city
from anju.core.calendar import today
from anju.core.models import AuditEvent
from anju.stewardship.models import (
    BudgetLine,
    FollowUpTask,
    GovernanceMeeting,
    ManagementModel,
    ManagementScheme,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    small_city()
    run_demo()


def test_the_demo_compound_keeps_an_empty_scheme_and_the_others_get_one(demo):
    schemes = {s.compound.name: s for s in ManagementScheme.objects.select_related("compound")}
    assert "铭新街小区" not in schemes  # the compound whose household codes the demo prints
    assert schemes["保成宿舍"].management_model == ManagementModel.RED_PROPERTY
    assert schemes["保成宿舍"].property_company.name == "江岸红色物业服务有限公司（演示）"
    assert schemes["黄浦里"].management_model == ManagementModel.BUNDLED
    assert schemes["黄浦里"].bundle_name
    assert BudgetLine.objects.filter(scheme=schemes["保成宿舍"]).count() == 2
    assert BudgetLine.objects.filter(scheme=schemes["黄浦里"]).count() == 1


def test_the_demo_meeting_has_a_done_an_overdue_and_an_open_task(demo):
    meeting = GovernanceMeeting.objects.get()
    assert meeting.compound.name == "保成宿舍"
    tasks = list(meeting.tasks.order_by("due_on"))
    assert [t.done_on is not None for t in tasks] == [True, False, False]
    assert tasks[1].is_overdue(today())


def test_a_second_demo_run_changes_nothing(demo):
    counts = (
        ManagementScheme.objects.count(),
        BudgetLine.objects.count(),
        GovernanceMeeting.objects.count(),
        FollowUpTask.objects.count(),
        AuditEvent.objects.filter(verb__startswith="stewardship.").count(),
    )
    run_demo()
    assert counts == (
        ManagementScheme.objects.count(),
        BudgetLine.objects.count(),
        GovernanceMeeting.objects.count(),
        FollowUpTask.objects.count(),
        AuditEvent.objects.filter(verb__startswith="stewardship.").count(),
    )

"""Publishing a plan for public notice (方案公示), the residents' objections and the staff's
public answers: the rules of `services.notices`."""

from __future__ import annotations

import datetime as dt

import pytest

from anju.access.scope import scope_for
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.models import AuditEvent, Holiday
from anju.design.models import Notice, Objection, PlanVersion
from anju.design.selectors.notices import notice_blockers
from anju.design.services.notices import answer_objection, publish_notice, submit_objection
from anju.territory.models import Stage

from .noticing import draft_version, on_day

pytestmark = pytest.mark.django_db

THURSDAY = dt.date(2027, 9, 30)


def publish(officer, version, **kwargs):
    return publish_notice(actor=officer, scope=scope_for(officer), version=version, **kwargs)


def national_day_2027():
    """1–7 October off (Friday to Thursday), Saturday 9 October a make-up working day."""
    Holiday.objects.filter(date__year=2027, date__month=10).delete()
    for day in range(1, 8):
        Holiday.objects.create(date=dt.date(2027, 10, day), name="国庆节")
    Holiday.objects.create(date=dt.date(2027, 10, 9), is_working_day=True, name="国庆节调休")


def test_publishing_opens_a_notice_freezes_the_version_and_moves_the_project(
    monkeypatch, jiangan_project, jiangan_officer
):
    on_day(monkeypatch, THURSDAY)
    version = draft_version(jiangan_project)
    notice = publish(jiangan_officer, version)
    version.refresh_from_db()
    jiangan_project.refresh_from_db()
    assert notice.opens_on == THURSDAY
    assert version.status == PlanVersion.Status.NOTICED
    assert jiangan_project.stage == Stage.NOTICED
    assert jiangan_project.compounds.get().stage == Stage.NOTICED
    event = AuditEvent.objects.get(verb="notice.published")
    assert event.actor == jiangan_officer
    assert event.after["closes_on"] == notice.closes_on.isoformat()


def test_the_period_counts_seven_working_days_across_a_holiday(
    monkeypatch, jiangan_project, jiangan_officer
):
    national_day_2027()
    on_day(monkeypatch, THURSDAY)
    notice = publish(jiangan_officer, draft_version(jiangan_project))
    # 8 Oct (Fri), 9 Oct (make-up Saturday), 11–15 Oct: the seventh working day is 15 October.
    assert notice.closes_on == dt.date(2027, 10, 15)


def test_the_publisher_may_lengthen_the_period_but_not_shorten_it(
    monkeypatch, jiangan_project, jiangan_officer
):
    on_day(monkeypatch, THURSDAY)
    version = draft_version(jiangan_project)
    with pytest.raises(DomainError) as refused:
        publish(jiangan_officer, version, closes_on=dt.date(2027, 10, 8))
    assert "不得短于 7 个工作日" in str(refused.value.message)
    assert not Notice.objects.exists()
    notice = publish(jiangan_officer, version, closes_on=dt.date(2027, 10, 29))
    assert notice.closes_on == dt.date(2027, 10, 29)


def test_publishing_without_a_management_scheme_is_refused_and_writes_nothing(
    jiangan_project, jiangan_officer
):
    version = draft_version(jiangan_project, scheme=False)
    events_before = AuditEvent.objects.count()
    with pytest.raises(DomainError) as refused:
        publish(jiangan_officer, version)
    assert refused.value.status == 400
    assert "长效管理方案" in str(refused.value.message)
    version.refresh_from_db()
    jiangan_project.refresh_from_db()
    assert version.status == PlanVersion.Status.DRAFT
    assert jiangan_project.stage == Stage.DESIGNED
    assert not Notice.objects.exists()
    assert AuditEvent.objects.count() == events_before


def test_a_project_not_yet_designed_cannot_be_noticed(jiangan_project, jiangan_officer):
    version = draft_version(jiangan_project)
    jiangan_project.__class__.objects.filter(pk=jiangan_project.pk).update(stage=Stage.PLANNED)
    with pytest.raises(DomainError, match="须先完成方案设计"):
        publish(jiangan_officer, version)


def test_only_the_projects_district_publishes(
    jiangan_project, designer, jiangan_community_worker, wuchang_officer
):
    version = draft_version(jiangan_project)
    for persona in (designer, jiangan_community_worker, wuchang_officer):
        with pytest.raises(PermissionDenied):
            publish(persona, version)
    assert not Notice.objects.exists()


def test_a_noticed_version_is_not_published_twice(jiangan_project, jiangan_officer):
    version = draft_version(jiangan_project)
    publish(jiangan_officer, version)
    with pytest.raises(DomainError, match="不能再次公示"):
        publish(jiangan_officer, version)


def test_a_changed_plan_is_noticed_again_and_supersedes_the_one_before(
    monkeypatch, city, jiangan_project, jiangan_officer
):
    on_day(monkeypatch, THURSDAY)
    first = draft_version(jiangan_project, number=1)
    old_notice = publish(jiangan_officer, first)
    household = city.jiangan_compound.households.first()
    objection = submit_objection(
        actor=None, notice=old_notice, household=household, kind="objection", text="不同意"
    )
    second = draft_version(jiangan_project, number=2)
    new_notice = publish(jiangan_officer, second)
    first.refresh_from_db()
    jiangan_project.refresh_from_db()
    assert first.status == PlanVersion.Status.SUPERSEDED
    assert new_notice.version == second
    assert jiangan_project.stage == Stage.NOTICED
    objection.refresh_from_db()
    assert objection.notice == old_notice  # objections belong to their notice
    (only_blocker,) = notice_blockers(second)  # the old notice's objection is not counted
    assert "尚未届满" in only_blocker
    with pytest.raises(DomainError, match="重新公示"):
        submit_objection(
            actor=None, notice=old_notice, household=household, kind="objection", text="再次"
        )


# --- residents' objections -------------------------------------------------------------------


@pytest.fixture
def notice(monkeypatch, jiangan_project, jiangan_officer):
    on_day(monkeypatch, THURSDAY)
    return publish(jiangan_officer, draft_version(jiangan_project))


def test_a_household_of_the_compound_may_post_several_times(city, notice):
    household = city.jiangan_compound.households.first()
    for kind in ("comment", "objection", "objection"):
        submit_objection(actor=None, notice=notice, household=household, kind=kind, text="意见")
    assert notice.objections.count() == 3
    assert AuditEvent.objects.filter(verb="objection.submitted").count() == 3


def test_a_household_of_another_compound_is_not_found(city, notice):
    stranger = city.wuchang_compound.households.first()
    with pytest.raises(NotFound):
        submit_objection(actor=None, notice=notice, household=stranger, kind="objection", text="x")
    assert not Objection.objects.exists()


def test_no_objection_after_the_period_closes(monkeypatch, city, notice):
    on_day(monkeypatch, notice.closes_on + dt.timedelta(days=1))
    household = city.jiangan_compound.households.first()
    with pytest.raises(DomainError) as refused:
        submit_objection(actor=None, notice=notice, household=household, kind="objection", text="x")
    assert refused.value.status == 400
    assert "公示期已于" in str(refused.value.message)
    assert not Objection.objects.exists()


def test_the_closing_day_itself_still_takes_objections(monkeypatch, city, notice):
    on_day(monkeypatch, notice.closes_on)
    household = city.jiangan_compound.households.first()
    submit_objection(actor=None, notice=notice, household=household, kind="objection", text="x")
    assert notice.objections.count() == 1


@pytest.mark.parametrize("text", ["", "   ", "长" * 2001])
def test_empty_or_overlong_text_is_refused(city, notice, text):
    household = city.jiangan_compound.households.first()
    with pytest.raises(DomainError):
        submit_objection(
            actor=None, notice=notice, household=household, kind="objection", text=text
        )
    assert not Objection.objects.exists()


# --- answers and blockers --------------------------------------------------------------------


@pytest.fixture
def objection(city, notice):
    household = city.jiangan_compound.households.first()
    return submit_objection(
        actor=None, notice=notice, household=household, kind="objection", text="电梯挡光"
    )


def test_community_staff_answer_publicly_and_may_amend(objection, jiangan_community_worker):
    scope = scope_for(jiangan_community_worker)
    answer_objection(
        actor=jiangan_community_worker, scope=scope, objection=objection, answer="已调整井道位置"
    )
    answer_objection(
        actor=jiangan_community_worker, scope=scope, objection=objection, answer="井道移至北侧"
    )
    objection.refresh_from_db()
    assert objection.answer == "井道移至北侧"
    assert objection.answered_by == jiangan_community_worker
    amended = AuditEvent.objects.get(verb="objection.answer_amended")
    assert amended.before == {"answer": "已调整井道位置"}
    assert AuditEvent.objects.filter(verb="objection.answered").count() == 1


def test_an_answer_cannot_be_removed(objection, jiangan_officer):
    scope = scope_for(jiangan_officer)
    answer_objection(actor=jiangan_officer, scope=scope, objection=objection, answer="已答复")
    with pytest.raises(DomainError, match="不能删除"):
        answer_objection(actor=jiangan_officer, scope=scope, objection=objection, answer="  ")
    objection.refresh_from_db()
    assert objection.answer == "已答复"


def test_designers_and_other_districts_do_not_answer(objection, designer, wuchang_officer):
    for persona in (designer, wuchang_officer):
        with pytest.raises(PermissionDenied):
            answer_objection(
                actor=persona, scope=scope_for(persona), objection=objection, answer="x"
            )
    objection.refresh_from_db()
    assert objection.answer == ""


def test_blockers_name_the_open_period_and_the_unanswered_objections(
    monkeypatch, notice, objection, jiangan_officer
):
    blockers = notice_blockers(notice.version)
    assert len(blockers) == 2
    assert "尚未届满" in blockers[0]
    assert "1 条异议未答复" in blockers[1]
    on_day(monkeypatch, notice.closes_on + dt.timedelta(days=1))
    assert notice_blockers(notice.version) == ["尚有 1 条异议未答复。"]
    answer_objection(
        actor=jiangan_officer, scope=scope_for(jiangan_officer), objection=objection, answer="好"
    )
    assert notice_blockers(notice.version) == []


def test_an_unanswered_comment_does_not_block(monkeypatch, city, notice):
    household = city.jiangan_compound.households.first()
    submit_objection(actor=None, notice=notice, household=household, kind="comment", text="好")
    on_day(monkeypatch, notice.closes_on + dt.timedelta(days=1))
    assert notice_blockers(notice.version) == []


def test_a_version_never_noticed_is_blocked(jiangan_project):
    assert notice_blockers(draft_version(jiangan_project)) == ["方案尚未公示。"]

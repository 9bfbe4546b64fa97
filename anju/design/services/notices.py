"""Public notice (方案公示): a version published for the residents, their comments and
objections, and the staff's public answers.

Rules:
- The project's district publishes (`rules.may_publish_notice`) a draft version of a project
  that is `designed` (first notice) or already `noticed` (a changed plan is noticed again),
  once the version is ready (`selectors.plans.readiness_for_notice`: priced items, every
  compound's management scheme …).
- The period opens today and runs at least anju's default of 7 working days from the holiday
  table (DOMAIN.md: no national period); the publisher may lengthen it, never shorten it.
- Publishing freezes the version (noticed), supersedes the version noticed before it, and
  moves the project to `noticed`. Objections stay with the notice they were made on.
- A household of one of the project's compounds comments or objects while the period runs;
  one household may post several times.
- District, street or community staff answer publicly (`rules.may_answer_objections`); an
  answer may be amended, never removed. Review waits for every objection's answer
  (`selectors.notices.notice_blockers`).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from anju.core.calendar import today
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.scope import Scope
from anju.planning.models import Project
from anju.territory.models import Household, Stage

from .. import events, rules
from ..models import Notice, Objection, PlanVersion
from ..selectors.notices import DEFAULT_NOTICE_WORKING_DAYS, default_closing_date, is_open
from ..selectors.plans import readiness_for_notice
from .projects import move_project_stage

MAX_TEXT = 2000


class NoticeRefused(DomainError):
    code = "notice_refused"


# --- publish ---------------------------------------------------------------------------------


def publish_notice(
    *,
    actor,
    scope: Scope,
    version: PlanVersion,
    closes_on: dt.date | None = None,
    how_to_object: str = "",
) -> Notice:
    """Open the notice of `version` (today until `closes_on`, default 7 working days)."""
    with transaction.atomic(durable=True):
        # The project first: two versions published at once must not both supersede the
        # noticed one and leave two notices current.
        Project.objects.select_for_update().filter(pk=version.project_id).first()
        version = (
            PlanVersion.objects.select_for_update()
            .select_related("project", "project__district")
            .get(pk=version.pk)
        )
        project = version.project
        if not rules.may_publish_notice(scope, project):
            raise PermissionDenied(_("只有项目所在区的改造专班可以发布方案公示。"))
        if project.stage not in (Stage.DESIGNED, Stage.NOTICED):
            raise NoticeRefused(
                _("项目处于“%(stage)s”阶段，不能发布方案公示：须先完成方案设计。")
                % {"stage": project.get_stage_display()},
                code="wrong_stage",
            )
        if version.status != PlanVersion.Status.DRAFT:
            raise NoticeRefused(
                _("该方案版本已是“%(status)s”，不能再次公示；修改方案请新建版本。")
                % {"status": version.get_status_display()},
                code="not_draft",
            )
        if project.plan_versions.filter(status=PlanVersion.Status.IN_REVIEW).exists():
            raise NoticeRefused(
                _("本项目有方案正在联合审查，审查结束前不能公示新版本。"), code="in_review"
            )
        missing = readiness_for_notice(version)
        if missing:
            raise NoticeRefused(
                _("方案尚不能公示：%(missing)s") % {"missing": "；".join(str(m) for m in missing)},
                code="not_ready",
            )
        opens_on = today()
        earliest = default_closing_date(opens_on)
        closes_on = closes_on or earliest
        if closes_on < earliest:
            raise NoticeRefused(
                _("公示期不得短于 %(days)s 个工作日，最早 %(date)s 结束。")
                % {"days": DEFAULT_NOTICE_WORKING_DAYS, "date": date_format(earliest)},
                code="period_too_short",
                fields={"closes_on": [_("最早 %(date)s。") % {"date": date_format(earliest)}]},
            )
        notice = Notice(
            version=version,
            opens_on=opens_on,
            closes_on=closes_on,
            how_to_object=how_to_object.strip(),
            published_by=actor if getattr(actor, "pk", None) else None,
        )
        _clean(notice)
        notice.save()
        superseded = list(
            project.plan_versions.filter(
                status__in=[PlanVersion.Status.NOTICED, PlanVersion.Status.RETURNED]
            )
            .exclude(pk=version.pk)
            .values_list("number", flat=True)
        )
        project.plan_versions.filter(number__in=superseded).update(
            status=PlanVersion.Status.SUPERSEDED
        )
        version.status = PlanVersion.Status.NOTICED
        version.save(update_fields=["status"])
        if project.stage != Stage.NOTICED:
            move_project_stage(
                actor=actor,
                project=project,
                to_stage=Stage.NOTICED,
                reason=_("第 %(number)s 版方案公示") % {"number": version.number},
            )
        events.notice_published(actor=actor, notice=notice, superseded=superseded)
    return notice


# --- residents' comments and objections ------------------------------------------------------


def submit_objection(
    *, actor, notice: Notice, household: Household, kind: str, text: str
) -> Objection:
    """A household's comment or objection on a notice of its own compound's project, while
    the period runs (`actor` is None for a resident online, like engagement's answers)."""
    text = (text or "").strip()
    if kind not in Objection.Kind.values:
        message = _("请选择意见建议或异议。")
        raise DomainError(message, code="invalid_kind", fields={"kind": [message]})
    if not text:
        raise DomainError(
            _("请填写内容。"), code="empty_text", fields={"text": [_("请填写内容。")]}
        )
    if len(text) > MAX_TEXT:
        raise DomainError(
            _("内容不能超过 %(max)s 个字。") % {"max": MAX_TEXT},
            code="text_too_long",
            fields={"text": [_("内容不能超过 %(max)s 个字。") % {"max": MAX_TEXT}]},
        )
    with transaction.atomic(durable=True):
        notice = Notice.objects.select_related("version__project").get(pk=notice.pk)
        project = notice.version.project
        if not project.compounds.filter(pk=household.compound_id).exists():
            raise NotFound()
        newest = Notice.objects.filter(version__project=project).order_by("-published_at", "-pk")
        if newest.values_list("pk", flat=True).first() != notice.pk:
            raise NoticeRefused(
                _("方案已修改并重新公示，请对最新的公示提出意见。"), code="notice_superseded"
            )
        if not is_open(notice):
            raise NoticeRefused(
                _("公示期已于 %(date)s 结束，不能再提出意见。")
                % {"date": date_format(notice.closes_on)},
                code="notice_closed",
            )
        objection = Objection(notice=notice, household=household, kind=kind, text=text)
        _clean(objection)
        objection.save()
        events.objection_submitted(actor=actor, objection=objection, compound=household.compound)
    return objection


# --- staff's answers -------------------------------------------------------------------------


def answer_objection(*, actor, scope: Scope, objection: Objection, answer: str) -> Objection:
    """Answer (or amend the answer to) a comment or objection; the answer is public."""
    answer = (answer or "").strip()
    with transaction.atomic(durable=True):
        objection = (
            Objection.objects.select_for_update()
            .select_related("notice__version__project__district")
            .get(pk=objection.pk)
        )
        if not rules.may_answer_objections(scope, objection.notice.version.project):
            raise PermissionDenied(_("只有区、街道和社区工作人员可以答复公示意见。"))
        if not answer:
            message = (
                _("答复已公开，可以修改，不能删除。") if objection.answer else _("请填写答复内容。")
            )
            raise DomainError(message, code="empty_answer", fields={"answer": [message]})
        if len(answer) > MAX_TEXT:
            message = _("答复不能超过 %(max)s 个字。") % {"max": MAX_TEXT}
            raise DomainError(message, code="answer_too_long", fields={"answer": [message]})
        previous = objection.answer
        if answer == previous:
            return objection
        objection.answer = answer
        objection.answered_by = actor if getattr(actor, "pk", None) else None
        objection.answered_at = timezone.now()
        _clean(objection)
        objection.save(update_fields=["answer", "answered_by", "answered_at"])
        events.objection_answered(actor=actor, objection=objection, previous_answer=previous)
    return objection


def _clean(instance) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        raise DomainError(
            _("输入有误：%(errors)s") % {"errors": "；".join(error.messages)},
            fields=getattr(error, "message_dict", {}),
        ) from error

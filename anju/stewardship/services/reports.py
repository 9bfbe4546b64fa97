"""Writes of residents' problem reports (共同维护改造成果): filing, handling step by step,
reassigning, marking duplicates, the overdue duty, and the routing rules.

Rules, in the order they are checked (nothing is written when one refuses):
- Filing. A resident (household session) reports only in the compound they live in
  (`not_your_compound`), through the portal, or through a project's construction notice. Staff
  file for a caller — phone, visit or 12345 hotline, the channel required — when they are the
  compound's district, street or community (`rules.may_file_for_caller`); a complaint from a
  construction notice names its project, which must cover the compound. The category must be
  active; the building must be the compound's; a point must be complete and lie within Wuhan
  (`settings.ANJU_CITY_EXTENT`). At most three photos, each checked by content and re-encoded
  (`engagement.photos.prepare_photo`) before the transaction.
- Routing and deadline: `selectors.route_for`; due `category.deadline_days` working days
  after the day of filing (holiday table).
- Number: "WT" + year + "-" + a six-digit sequence per year. The next number is read from the
  year's highest and inserted under a savepoint; the unique constraint refuses a number taken
  by a concurrent filing, and the insert is retried with the next one.
- Steps: one at a time (`TRANSITIONS`, else `status_skip`, 409, naming the allowed steps); the
  report row is locked (`select_for_update`) so two concurrent steps never both apply.
  Accepted / in progress / resolved: the handler (`rules.is_handler_of`); resolving says what
  was done. Confirmed: the reporting household (a rating 1–5 optional), or for a caller the
  compound's staff. Reopened: anyone living in the compound or its staff, with a reason; the
  handler gets a fresh deadline and the escalation starts again.
- Every change writes a `ReportStep` (the reporter sees them all) and an audit event.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.access.models import Organisation
from anju.core.actors import WORKER
from anju.core.audit import snapshot
from anju.core.calendar import SHANGHAI, WorkingCalendar
from anju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from anju.core.scope import Scope
from anju.engagement.photos import MAX_PHOTOS, PreparedPhoto, prepare_photo
from anju.engine import geo
from anju.planning.models import Project
from anju.territory.models import Building, Compound, Household, Node
from anju.territory.paths import rewrite_path_prefix

from .. import events, rules
from ..models import (
    OPEN_STATUSES,
    TRANSITIONS,
    Channel,
    Escalation,
    HandlerKind,
    ProblemReport,
    ReportCategory,
    ReportPhoto,
    ReportStep,
    RoutingRule,
    Status,
)
from ..selectors import reports as selectors

STAFF_CHANNELS = (Channel.PHONE, Channel.VISIT, Channel.HOTLINE)
NUMBER_PREFIX = "WT"
NUMBER_ATTEMPTS = 50
REPORT_FIELDS = [
    "status",
    "handler",
    "handler_organisation_id",
    "handler_node_id",
    "due_on",
    "resolved_at",
    "confirmed_at",
    "reopen_count",
    "rating",
    "rating_comment",
    "escalation",
    "duplicate_of_id",
]


# --- filing ---------------------------------------------------------------------------------


def file_report(
    *,
    actor,
    scope: Scope,
    compound: Compound,
    category: ReportCategory,
    description: str,
    channel: str,
    photos: Sequence = (),
    building: Building | None = None,
    longitude: float | None = None,
    latitude: float | None = None,
    caller_name: str = "",
    caller_phone: str = "",
    project: Project | None = None,
    route: selectors.Route | None = None,
) -> ProblemReport:
    """File a report in `compound`; returns it submitted, routed and due. `route` (a calling
    service's choice, e.g. construction's supervision unit for complaints from its notice)
    replaces the routing rules."""
    household, channel = _check_reporter(scope, compound, channel, project)
    _check_content(
        category=category,
        description=description,
        building=building,
        compound=compound,
        longitude=longitude,
        latitude=latitude,
    )
    prepared = check_photos(photos)
    now = timezone.now()
    calendar = WorkingCalendar.from_database()
    route = route or selectors.route_for(compound, category, _local_date(now))
    if route.handler not in HandlerKind.values or not (route.organisation or route.node):
        raise ValueError(f"incomplete route {route!r}")
    person = _person(actor)
    saved: list[ReportPhoto] = []
    try:
        with transaction.atomic(durable=True):
            report = ProblemReport(
                compound=compound,
                project=project,
                household=household,
                filed_by=None if household else person,
                channel=channel,
                caller_name="" if household else caller_name.strip(),
                caller_phone="" if household else caller_phone.strip(),
                category=category,
                description=description.strip(),
                building=building,
                longitude=longitude,
                latitude=latitude,
                status=Status.SUBMITTED,
                handler=route.handler,
                handler_organisation=route.organisation,
                handler_node=route.node,
                submitted_at=now,
                due_on=calendar.add_working_days(_local_date(now), category.deadline_days),
            )
            _insert_numbered(report, now)
            step = _step(
                report, ReportStep.Kind.SUBMITTED, now, person, household, to=Status.SUBMITTED
            )
            _store_photos(report, step, prepared, saved)
            events.report_filed(actor=actor, report=report)
    except Exception:
        _delete_files(saved)
        raise
    return report


def _check_reporter(scope, compound, channel, project):
    """The household reporting (None for staff) and the channel the report is logged under."""
    if project is not None and not project.compounds.filter(pk=compound.pk).exists():
        message = _("该小区不属于这个项目。")
        raise DomainError(message, code="compound_not_in_project", fields={"compound": [message]})
    if channel == Channel.CONSTRUCTION_NOTICE and project is None:
        message = _("来自施工公示的问题需要注明项目。")
        raise DomainError(message, code="project_required", fields={"project": [message]})
    if scope.is_resident:
        household = Household.objects.filter(pk=scope.household_id).first()
        if household is None or household.compound_id != compound.pk:
            message = _("您只能为自己居住的小区报告问题。")
            raise DomainError(message, code="not_your_compound", fields={"compound": [message]})
        if channel == Channel.CONSTRUCTION_NOTICE:
            return household, channel
        return household, Channel.PORTAL
    if not scope.is_staff or not (
        scope.covers_path(compound.path) or compound.pk in scope.compound_ids
    ):
        raise NotFound()
    if channel == Channel.CONSTRUCTION_NOTICE:
        return None, channel
    if channel not in STAFF_CHANNELS:
        message = _("代为登记时请选择来电、来访或 12345 热线渠道。")
        raise DomainError(message, code="channel_required", fields={"channel": [message]})
    if not rules.may_file_for_caller(scope, compound):
        raise PermissionDenied(_("只有小区所在的区、街道或社区可以代居民登记问题。"))
    return None, channel


def _check_content(*, category, description, building, compound, longitude, latitude) -> None:
    if not category.is_active:
        message = _("问题类别“%(category)s”已停用。") % {"category": category.label}
        raise DomainError(message, code="category_inactive", fields={"category": [message]})
    text = (description or "").strip()
    if not text:
        message = _("请描述遇到的问题。")
        raise DomainError(message, code="description_required", fields={"description": [message]})
    if len(text) > 2000:
        message = _("问题描述不能超过 2000 字。")
        raise DomainError(message, code="description_too_long", fields={"description": [message]})
    if building is not None and building.compound_id != compound.pk:
        message = _("楼栋“%(building)s”不属于小区“%(compound)s”。") % {
            "building": building.number,
            "compound": compound.name,
        }
        raise DomainError(message, code="building_not_in_compound", fields={"building": [message]})
    check_point(longitude, latitude)


def check_point(longitude, latitude) -> None:
    """A point on the compound's map: both coordinates or neither, WGS84, within Wuhan."""
    if longitude is None and latitude is None:
        return
    if longitude is None or latitude is None:
        message = _("位置需要同时填写经度和纬度。")
        raise DomainError(
            message, code="point_incomplete", fields={"longitude": [message], "latitude": [message]}
        )
    if not geo.Extent(*settings.ANJU_CITY_EXTENT).contains(longitude, latitude):
        message = _("位置（经度 %(lon)s，纬度 %(lat)s）不在武汉市范围内。") % {
            "lon": longitude,
            "lat": latitude,
        }
        raise DomainError(
            message,
            code="point_outside_city",
            fields={"longitude": [message], "latitude": [message]},
        )


def check_photos(uploads: Sequence) -> list[PreparedPhoto]:
    """Check and re-encode the uploads (no database); a refusal names the `photos` field."""
    uploads = [upload for upload in uploads if upload]
    if len(uploads) > MAX_PHOTOS:
        message = _("最多上传 3 张照片。")
        raise DomainError(message, code="too_many_photos", fields={"photos": [message]})
    prepared = []
    for upload in uploads:
        try:
            prepared.append(prepare_photo(upload))
        except ValidationError as error:
            raise DomainError(
                error.messages[0], code=error.code or "invalid", fields={"photos": error.messages}
            ) from error
    return prepared


def _insert_numbered(report: ProblemReport, now: dt.datetime) -> None:
    """Give the report the year's next number and insert it; a number taken meanwhile by a
    concurrent filing (the unique constraint) is retried with the next one."""
    prefix = f"{NUMBER_PREFIX}{_local_date(now).year}-"
    _full_clean(report, exclude=["number", "path"])
    for _attempt in range(NUMBER_ATTEMPTS):
        last = (
            ProblemReport.objects.filter(number__startswith=prefix)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        report.number = f"{prefix}{int(last[len(prefix) :]) + 1 if last else 1:06d}"
        try:
            with transaction.atomic():
                report.save()
            return
        except IntegrityError:
            if not ProblemReport.objects.filter(number=report.number).exists():
                raise
            report.pk = None
    raise Conflict(_("报告编号分配繁忙，请稍后重试。"))


# --- handling -------------------------------------------------------------------------------


def advance_report(
    *,
    actor,
    scope: Scope,
    report: ProblemReport,
    to_status: str,
    note: str = "",
    photos: Sequence = (),
    rating: int | None = None,
    rating_comment: str = "",
) -> ProblemReport:
    """Move the report one step on (accept, start, resolve, confirm or reopen)."""
    if to_status not in Status.values:
        message = _("未知的状态。")
        raise DomainError(message, code="invalid_status", fields={"to_status": [message]})
    note = (note or "").strip()
    rating_comment = (rating_comment or "").strip()
    _check_rating(to_status, rating, rating_comment)
    prepared = check_photos(photos)
    now = timezone.now()
    person = _person(actor)
    saved: list[ReportPhoto] = []
    try:
        with transaction.atomic(durable=True):
            report = _lock(report, scope)
            _check_step(scope, report, to_status, note)
            before = snapshot(report, REPORT_FIELDS)
            from_status = report.status
            report.status = to_status
            if to_status == Status.RESOLVED:
                report.resolved_at = now
            elif to_status == Status.CONFIRMED:
                report.confirmed_at = now
                report.rating = rating
                report.rating_comment = rating_comment
            elif to_status == Status.REOPENED:
                report.reopen_count += 1
                report.due_on = WorkingCalendar.from_database().add_working_days(
                    _local_date(now), report.category.deadline_days
                )
                report.reminded_on = None
                report.escalation = Escalation.NONE
                report.escalated_at = None
            _full_clean(report)
            report.save()
            household = _household(scope)
            step = _step(
                report,
                ReportStep.Kind.STATUS,
                now,
                person,
                household,
                frm=from_status,
                to=to_status,
                note=note,
            )
            if rating is not None:
                _step(
                    report,
                    ReportStep.Kind.RATED,
                    now,
                    person,
                    household,
                    note=_rating_note(rating, rating_comment),
                )
            _store_photos(report, step, prepared, saved)
            events.report_advanced(
                actor=actor, report=report, before=before, after=snapshot(report, REPORT_FIELDS)
            )
    except Exception:
        _delete_files(saved)
        raise
    return report


def _check_rating(to_status, rating, rating_comment) -> None:
    if rating is None:
        if rating_comment:
            message = _("请先选择满意度评分。")
            raise DomainError(message, code="rating_required", fields={"rating": [message]})
        return
    if to_status != Status.CONFIRMED:
        message = _("只有确认办结时可以评价。")
        raise DomainError(message, code="rating_not_allowed", fields={"rating": [message]})
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        message = _("满意度评分应为 1 到 5 分。")
        raise DomainError(message, code="rating_out_of_range", fields={"rating": [message]})
    if len(rating_comment) > 300:
        message = _("评价意见不能超过 300 字。")
        raise DomainError(
            message, code="rating_comment_too_long", fields={"rating_comment": [message]}
        )


def _check_step(scope, report, to_status, note) -> None:
    if not report.may_move_to(to_status):
        allowed = [Status(s).label for s in Status.values if s in TRANSITIONS[report.status]]
        if allowed:
            message = _("报告目前为“%(status)s”，下一步只能是：%(allowed)s。") % {
                "status": report.get_status_display(),
                "allowed": "、".join(str(label) for label in allowed),
            }
        else:
            message = _("报告已“%(status)s”，不能再变更状态。") % {
                "status": report.get_status_display()
            }
        raise Conflict(message, code="status_skip", fields={"to_status": [message]})
    if not selectors.may_take_step(scope, report, to_status):
        raise PermissionDenied(_permission_message(to_status))
    if to_status == Status.RESOLVED and not note:
        message = _("办结时请说明处理情况。")
        raise DomainError(message, code="note_required", fields={"note": [message]})
    if to_status == Status.REOPENED and not note:
        message = _("重新打开时请说明原因。")
        raise DomainError(message, code="reason_required", fields={"note": [message]})
    if len(note) > 1000:
        message = _("说明不能超过 1000 字。")
        raise DomainError(message, code="note_too_long", fields={"note": [message]})


def _permission_message(to_status) -> str:
    if to_status == Status.CONFIRMED:
        return _("只有报告问题的住户可以确认办结。")
    if to_status == Status.REOPENED:
        return _("只有本小区的住户或小区所在的区、街道、社区可以重新打开报告。")
    return _("只有承办方可以受理、处理和办结这份报告。")


def _rating_note(rating: int, comment: str) -> str:
    text = _("评价 %(rating)s 分") % {"rating": rating}
    return text + ("：" + comment if comment else "")


def reassign_report(
    *,
    actor,
    scope: Scope,
    report: ProblemReport,
    handler: str,
    organisation: Organisation | None = None,
    node: Node | None = None,
    note: str,
) -> ProblemReport:
    """Give an open report to another handler (a wrong routing, a company that left)."""
    note = (note or "").strip()
    if not note:
        message = _("改派时请说明原因。")
        raise DomainError(message, code="reason_required", fields={"note": [message]})
    now = timezone.now()
    with transaction.atomic(durable=True):
        report = _lock(report, scope)
        if not rules.may_reassign_report(scope, report):
            raise PermissionDenied(_("只有小区所在的区、街道、社区或市改造办可以改派报告。"))
        if not report.is_open:
            message = _("报告已“%(status)s”，不能改派。") % {"status": report.get_status_display()}
            raise DomainError(message, code="report_closed")
        route = _check_handler(report.compound, handler, organisation, node)
        before = snapshot(report, REPORT_FIELDS)
        report.handler = route.handler
        report.handler_organisation = route.organisation
        report.handler_node = route.node
        _full_clean(report)
        report.save()
        _step(report, ReportStep.Kind.REASSIGNED, now, _person(actor), None, note=note)
        events.report_reassigned(
            actor=actor, report=report, before=before, after=snapshot(report, REPORT_FIELDS)
        )
    return report


def _check_handler(compound, handler, organisation, node) -> selectors.Route:
    if handler not in HandlerKind.values:
        message = _("未知的承办方类型。")
        raise DomainError(message, code="invalid_handler", fields={"handler": [message]})
    if handler == HandlerKind.PROPERTY_COMPANY and organisation is not None:
        if organisation.kind != Organisation.Kind.PROPERTY:
            message = _("请选择物业企业。")
            raise DomainError(
                message, code="not_a_property_company", fields={"organisation": [message]}
            )
    if handler in (HandlerKind.COMMUNITY, HandlerKind.STREET) and node is not None:
        wanted = Node.Kind.COMMUNITY if handler == HandlerKind.COMMUNITY else Node.Kind.STREET
        if node.kind != wanted or not compound.path.startswith(node.path):
            message = _("所选辖区不是该小区所在的社区或街道。")
            raise DomainError(message, code="node_not_of_compound", fields={"node": [message]})
    route = selectors.resolve_handler(handler, compound, organisation=organisation, node=node)
    if route is None:
        message = (
            _("该小区目前没有物业服务合同，请选择物业企业。")
            if handler == HandlerKind.PROPERTY_COMPANY
            else _("请选择承办单位。")
        )
        raise DomainError(message, code="organisation_required", fields={"organisation": [message]})
    return route


def mark_duplicate(
    *, actor, scope: Scope, report: ProblemReport, of: ProblemReport
) -> ProblemReport:
    """Mark an open report as a duplicate of another report of the same compound; it then no
    longer counts as overdue nor in the figures, and its reporter sees which report to follow."""
    now = timezone.now()
    with transaction.atomic(durable=True):
        report = _lock(report, scope)
        of = ProblemReport.objects.get(pk=of.pk)
        original = of.duplicate_of or of
        if not rules.may_mark_duplicate(scope, report):
            raise PermissionDenied(_("只有承办方或小区所在的区、街道、社区可以标记重复。"))
        if original.compound_id != report.compound_id or original.pk == report.pk:
            message = _("只能标记为同一小区另一份报告的重复。")
            raise DomainError(message, code="not_a_duplicate", fields={"of": [message]})
        if report.duplicate_of_id:
            message = _("该报告已标记为重复。")
            raise DomainError(message, code="already_duplicate", fields={"of": [message]})
        if not report.is_open:
            message = _("报告已“%(status)s”，不能标记重复。") % {
                "status": report.get_status_display()
            }
            raise DomainError(message, code="report_closed")
        report.duplicate_of = original
        report.save(update_fields=["duplicate_of", "updated_at"])
        note = _("与报告 %(number)s 重复，请关注该报告的办理。") % {"number": original.number}
        _step(report, ReportStep.Kind.DUPLICATE, now, _person(actor), None, note=note)
        events.report_marked_duplicate(actor=actor, report=report, of=original)
    return report


# --- reminders and escalation (a periodic duty) ---------------------------------------------


def escalate_overdue_reports(now: dt.datetime) -> dict:
    """The duty: remind the handler `ANJU_REPORT_REMIND_DAYS_BEFORE` working days before the
    due date; the day after the due date an open report goes to the district (督办), and
    `ANJU_REPORT_CITY_ESCALATION_DAYS` working days after it to the city. Idempotent: each
    report is claimed with a conditional UPDATE, so a second run (or a second worker) changes
    nothing. Duplicates are left alone."""
    today = _local_date(now)
    calendar = WorkingCalendar.from_database()
    counts = {"reminded": 0, "district": 0, "city": 0}
    open_reports = ProblemReport.objects.filter(
        status__in=OPEN_STATUSES, duplicate_of__isnull=True
    ).select_related("compound")
    remind_before = settings.ANJU_REPORT_REMIND_DAYS_BEFORE
    city_after = settings.ANJU_REPORT_CITY_ESCALATION_DAYS
    for report in open_reports.filter(due_on__gte=today, reminded_on__isnull=True):
        if calendar.add_working_days(report.due_on, -remind_before) <= today:
            counts["reminded"] += _remind(report, now, today)
    for report in open_reports.filter(due_on__lt=today, escalation__lt=Escalation.CITY):
        level = Escalation.DISTRICT
        if calendar.add_working_days(report.due_on, city_after) <= today:
            level = Escalation.CITY
        if report.escalation < level:
            counts["district" if level == Escalation.DISTRICT else "city"] += _escalate(
                report, level, now
            )
    return counts


def _remind(report, now, today) -> int:
    with transaction.atomic(durable=True):
        claimed = ProblemReport.objects.filter(
            pk=report.pk, reminded_on__isnull=True, status__in=OPEN_STATUSES
        ).update(reminded_on=today)
        if not claimed:
            return 0
        report.reminded_on = today
        note = _("将于 %(due)s 到期，请及时办理。") % {"due": report.due_on.isoformat()}
        _step(report, ReportStep.Kind.REMINDER, now, None, None, note=note)
        events.report_reminded(actor=WORKER, report=report)
    return 1


def _escalate(report, level, now) -> int:
    with transaction.atomic(durable=True):
        before_level = report.escalation
        claimed = ProblemReport.objects.filter(
            pk=report.pk, escalation__lt=level, status__in=OPEN_STATUSES
        ).update(escalation=level, escalated_at=now)
        if not claimed:
            return 0
        report.escalation, report.escalated_at = level, now
        if level == Escalation.CITY:
            note = _("超过办理期限 %(due)s 仍未办结，已转市级督办。")
        else:
            note = _("超过办理期限 %(due)s，已转区级督办。")
        _step(
            report,
            ReportStep.Kind.ESCALATED,
            now,
            None,
            None,
            note=note % {"due": report.due_on.isoformat()},
        )
        events.report_escalated(actor=WORKER, report=report, before_level=before_level, level=level)
    return 1


# --- routing rules --------------------------------------------------------------------------

RULE_FIELDS = ["category_id", "node_id", "handler", "organisation_id"]


def save_routing_rule(
    *,
    actor,
    scope: Scope,
    category: ReportCategory | None,
    node: Node | None,
    handler: str,
    organisation: Organisation | None = None,
) -> RoutingRule:
    """Create or change the rule for (category or every category, node or the whole city)."""
    if not rules.may_manage_routing_rule(scope, node):
        raise PermissionDenied(_permission_message_for_rule(node))
    if handler not in HandlerKind.values:
        message = _("未知的承办方类型。")
        raise DomainError(message, code="invalid_handler", fields={"handler": [message]})
    if handler == HandlerKind.ORGANISATION and organisation is None:
        message = _("请选择承办单位。")
        raise DomainError(message, code="organisation_required", fields={"organisation": [message]})
    if handler != HandlerKind.ORGANISATION and organisation is not None:
        message = _("只有“指定单位”需要选择承办单位。")
        raise DomainError(
            message, code="organisation_not_needed", fields={"organisation": [message]}
        )
    try:
        with transaction.atomic(durable=True):
            rule = (
                RoutingRule.objects.select_for_update().filter(category=category, node=node).first()
            )
            before = snapshot(rule, RULE_FIELDS) if rule else {}
            rule = rule or RoutingRule(category=category, node=node, created_by=_person(actor))
            rule.handler = handler
            rule.organisation = organisation
            try:
                rule.full_clean(validate_constraints=False)
            except ValidationError as error:
                raise DomainError(_("分派规则填写有误。"), fields=error.message_dict) from error
            rule.save()
            events.routing_rule_saved(
                actor=actor, rule=rule, before=before, after=snapshot(rule, RULE_FIELDS)
            )
    except IntegrityError as error:  # the same rule created meanwhile
        raise Conflict() from error
    return rule


def delete_routing_rule(*, actor, scope: Scope, rule: RoutingRule) -> None:
    if not rules.may_manage_routing_rule(scope, rule.node):
        raise PermissionDenied(_permission_message_for_rule(rule.node))
    with transaction.atomic(durable=True):
        locked = RoutingRule.objects.select_for_update().filter(pk=rule.pk).first()
        if locked is None:
            raise NotFound()
        before = snapshot(locked, RULE_FIELDS)
        events.routing_rule_deleted(actor=actor, rule=locked, before=before)
        locked.delete()


def _permission_message_for_rule(node) -> str:
    if node is None:
        return _("全市的分派规则由市改造办维护。")
    return _("只有市改造办或该辖区所在区的工作专班可以维护这条分派规则。")


# --- territory moves -----------------------------------------------------------------------


def follow_territory_move(sender, *, old_prefix, new_prefix, **kwargs):
    """A node moved (`territory.services.move_node`, in its transaction): reports keep a copy
    of their compound's path, so they take the new one and the new district's staff see them.
    One UPDATE, no history rows (the move is recorded where it happened)."""
    rewrite_path_prefix(ProblemReport.objects.all(), "path", old_prefix, new_prefix)


# --- shared steps ---------------------------------------------------------------------------


def _lock(report: ProblemReport, scope: Scope) -> ProblemReport:
    """The report's row locked, re-read; NotFound when it is gone or outside the scope."""
    assert transaction.get_connection().in_atomic_block
    locked = ProblemReport.objects.select_for_update().filter(pk=report.pk).first()
    if locked is None or not selectors.reports_for(scope).filter(pk=locked.pk).exists():
        raise NotFound()
    return ProblemReport.objects.select_related(
        "compound", "category", "handler_organisation", "handler_node"
    ).get(pk=locked.pk)


def _step(report, kind, at, actor, household, *, frm="", to="", note="") -> ReportStep:
    assert transaction.get_connection().in_atomic_block
    step = ReportStep(
        report=report,
        kind=kind,
        from_status=frm,
        to_status=to,
        note=note[:1000],
        actor=actor,
        household=household,
        at=at,
    )
    step.save()
    return step


def _store_photos(report, step, prepared: list[PreparedPhoto], saved: list) -> None:
    for item in prepared:
        photo = ReportPhoto(report=report, step=step, width=item.width, height=item.height)
        photo.image.save(uuid.uuid4().hex + ".jpg", ContentFile(item.content), save=False)
        saved.append(photo)
        photo.save()


def _delete_files(photos) -> None:
    for photo in photos:
        if photo.image.name:
            photo.image.storage.delete(photo.image.name)


def _full_clean(report: ProblemReport, exclude=None) -> None:
    try:
        report.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise DomainError(
            _("问题报告填写有误。"), code="invalid", fields=error.message_dict
        ) from error


def _person(actor):
    return actor if getattr(actor, "pk", None) and hasattr(actor, "get_username") else None


def _household(scope: Scope):
    if scope.is_resident:
        return Household.objects.filter(pk=scope.household_id).first()
    return None


def _local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(SHANGHAI).date()

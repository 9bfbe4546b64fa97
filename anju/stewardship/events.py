"""Named constructors for stewardship's audit events, a section per chapter."""

from django.utils.translation import gettext_lazy as _

from anju.core.audit import changed_fields, record_event, register_verbs

# --- schemes ---

register_verbs({"stewardship.scheme_saved": _("保存长效管理方案")})


def scheme_saved(*, actor, scheme, before, after):
    before, after = changed_fields(before, after)
    return record_event(
        actor=actor,
        verb="stewardship.scheme_saved",
        target=scheme,
        territory_path=scheme.compound.path,
        summary=scheme.compound.code,
        before=before,
        after=after,
    )


register_verbs(
    {
        "stewardship.budget_line_added": _("登记长效管理预算安排"),
        "stewardship.budget_line_changed": _("修改长效管理预算安排"),
        "stewardship.budget_line_removed": _("删除长效管理预算安排"),
    }
)


def _line_event(verb, *, actor, line, before=None, after=None):
    compound = line.scheme.compound
    return record_event(
        actor=actor,
        verb=verb,
        target=line.scheme,
        territory_path=compound.path,
        summary=f"{compound.code} {line.year}",
        before=before or {},
        after=after or {},
    )


def budget_line_added(*, actor, line):
    after = {"year": line.year, "amount": str(line.amount), "reference": line.reference}
    return _line_event("stewardship.budget_line_added", actor=actor, line=line, after=after)


def budget_line_changed(*, actor, line, before, after):
    before, after = changed_fields(before, after)
    return _line_event(
        "stewardship.budget_line_changed", actor=actor, line=line, before=before, after=after
    )


def budget_line_removed(*, actor, line, before):
    return _line_event("stewardship.budget_line_removed", actor=actor, line=line, before=before)


# --- end of schemes ---

# --- coverage ---

register_verbs(
    {
        "stewardship.contract_recorded": _("登记物业服务合同"),
        "stewardship.contract_ended": _("提前终止物业服务合同"),
        "stewardship.coverage_changed": _("更新小区物业和党组织覆盖情况"),
        "stewardship.governance_profile_saved": _("保存小区治理信息"),
        "stewardship.committee_member_added": _("登记业委会成员"),
        "stewardship.committee_member_removed": _("移除业委会成员"),
        "stewardship.party_member_registered": _("登记下沉党员"),
        "stewardship.party_member_left": _("登记下沉党员离开"),
        "stewardship.service_recorded": _("登记党员服务记录"),
    }
)


def _contract_facts(contract) -> dict:
    return {
        "company": contract.company.name,
        "service_kind": contract.service_kind,
        "starts_on": contract.starts_on,
        "ends_on": contract.ends_on,
        "ended_early_on": contract.ended_early_on,
    }


def contract_recorded(*, actor, contract):
    return record_event(
        actor=actor,
        verb="stewardship.contract_recorded",
        target=contract,
        territory_path=contract.compound.path,
        summary=contract.compound.code,
        after=_contract_facts(contract),
    )


def contract_ended(*, actor, contract, note=""):
    return record_event(
        actor=actor,
        verb="stewardship.contract_ended",
        target=contract,
        territory_path=contract.compound.path,
        summary=contract.compound.code,
        before={"ended_early_on": None},
        after={"ended_early_on": contract.ended_early_on, "note": note},
    )


def coverage_changed(*, actor, compound, before, after, reason: str = ""):
    """The registry's three coverage fields of the compound changed (history kept too);
    `reason` says why when a duty, not a person, changed them."""
    before, after = changed_fields(before, after)
    if reason:
        after = {**after, "reason": reason}
    return record_event(
        actor=actor,
        verb="stewardship.coverage_changed",
        target=compound,
        territory_path=compound.path,
        summary=compound.code,
        before=before,
        after=after,
    )


def governance_profile_saved(*, actor, profile, before, after):
    before, after = changed_fields(before, after)
    return record_event(
        actor=actor,
        verb="stewardship.governance_profile_saved",
        target=profile,
        territory_path=profile.compound.path,
        summary=profile.compound.code,
        before=before,
        after=after,
    )


def committee_member_added(*, actor, member):
    compound = member.profile.compound
    return record_event(
        actor=actor,
        verb="stewardship.committee_member_added",
        target=member,
        territory_path=compound.path,
        summary=compound.code,
        after={"name": member.name, "position": member.position},
    )


def committee_member_removed(*, actor, member):
    compound = member.profile.compound
    return record_event(
        actor=actor,
        verb="stewardship.committee_member_removed",
        target=compound,
        territory_path=compound.path,
        summary=compound.code,
        before={"name": member.name, "position": member.position},
    )


def party_member_registered(*, actor, member):
    return record_event(
        actor=actor,
        verb="stewardship.party_member_registered",
        target=member,
        territory_path=member.compound.path,
        summary=member.compound.code,
        after={
            "name": member.name,
            "home_organisation": member.home_organisation,
            "registered_on": member.registered_on,
        },
    )


def party_member_left(*, actor, member):
    return record_event(
        actor=actor,
        verb="stewardship.party_member_left",
        target=member,
        territory_path=member.compound.path,
        summary=member.compound.code,
        before={"left_on": None},
        after={"left_on": member.left_on},
    )


def service_recorded(*, actor, record):
    compound = record.member.compound
    return record_event(
        actor=actor,
        verb="stewardship.service_recorded",
        target=record,
        territory_path=compound.path,
        summary=compound.code,
        after={
            "member": record.member.name,
            "served_on": record.served_on,
            "hours": record.hours,
            "activity": record.activity,
        },
    )


# --- end of coverage ---

# --- governance ---

register_verbs(
    {
        "stewardship.meeting_recorded": _("记录联席会议"),
        "stewardship.task_added": _("布置会议任务"),
        "stewardship.task_done": _("会议任务完成"),
    }
)


def meeting_recorded(*, actor, meeting, tasks):
    return record_event(
        actor=actor,
        verb="stewardship.meeting_recorded",
        target=meeting,
        territory_path=meeting.compound.path,
        summary=f"{meeting.compound.code} {meeting.held_on.isoformat()} {meeting.subject}",
        after={
            "held_on": meeting.held_on.isoformat(),
            "subject": meeting.subject,
            "bodies": list(meeting.bodies),
            "tasks": [task.title for task in tasks],
        },
    )


def task_added(*, actor, task):
    meeting = task.meeting
    return record_event(
        actor=actor,
        verb="stewardship.task_added",
        target=meeting,
        territory_path=meeting.compound.path,
        summary=f"{meeting.compound.code} {task.title}",
        after={"title": task.title, "owner": task.owner, "due_on": task.due_on.isoformat()},
    )


def task_done(*, actor, task):
    meeting = task.meeting
    return record_event(
        actor=actor,
        verb="stewardship.task_done",
        target=meeting,
        territory_path=meeting.compound.path,
        summary=f"{meeting.compound.code} {task.title}",
        before={"done_on": None},
        after={"done_on": task.done_on.isoformat(), "done_note": task.done_note},
    )


# --- end of governance ---

# --- reports ---

register_verbs(
    {
        "stewardship.report_filed": _("提交问题报告"),
        "stewardship.report_advanced": _("办理问题报告"),
        "stewardship.report_reassigned": _("改派问题报告"),
        "stewardship.report_marked_duplicate": _("标记重复问题报告"),
        "stewardship.report_reminded": _("问题报告到期提醒"),
        "stewardship.report_escalated": _("问题报告超期督办"),
        "stewardship.routing_rule_saved": _("保存分派规则"),
        "stewardship.routing_rule_deleted": _("删除分派规则"),
        "stewardship.report_category_added": _("添加问题类别"),
        "stewardship.report_category_changed": _("修改问题类别"),
    }
)


def _report_event(verb, *, actor, report, before=None, after=None):
    return record_event(
        actor=actor,
        verb=verb,
        target=report,
        territory_path=report.path,
        summary=report.number,
        before=before,
        after=after,
    )


def report_filed(*, actor, report):
    return _report_event(
        "stewardship.report_filed",
        actor=actor,
        report=report,
        after={
            "compound": report.compound.code,
            "category": report.category.code,
            "channel": report.channel,
            "handler": report.handler,
            "handler_organisation": report.handler_organisation_id,
            "handler_node": report.handler_node_id,
            "due_on": report.due_on,
        },
    )


def report_advanced(*, actor, report, before, after):
    before, after = changed_fields(before, after)
    return _report_event(
        "stewardship.report_advanced", actor=actor, report=report, before=before, after=after
    )


def report_reassigned(*, actor, report, before, after):
    before, after = changed_fields(before, after)
    return _report_event(
        "stewardship.report_reassigned", actor=actor, report=report, before=before, after=after
    )


def report_marked_duplicate(*, actor, report, of):
    return _report_event(
        "stewardship.report_marked_duplicate",
        actor=actor,
        report=report,
        after={"duplicate_of": of.number},
    )


def report_reminded(*, actor, report):
    return _report_event(
        "stewardship.report_reminded", actor=actor, report=report, after={"due_on": report.due_on}
    )


def report_escalated(*, actor, report, before_level, level):
    return _report_event(
        "stewardship.report_escalated",
        actor=actor,
        report=report,
        before={"escalation": before_level},
        after={"escalation": level},
    )


def _rule_path(rule) -> str:
    return rule.node.path if rule.node_id else ""


def routing_rule_saved(*, actor, rule, before, after):
    before, after = changed_fields(before, after)
    return record_event(
        actor=actor,
        verb="stewardship.routing_rule_saved",
        target=rule,
        territory_path=_rule_path(rule),
        summary=str(rule),
        before=before,
        after=after,
    )


def routing_rule_deleted(*, actor, rule, before):
    return record_event(
        actor=actor,
        verb="stewardship.routing_rule_deleted",
        territory_path=_rule_path(rule),
        summary=str(rule),
        before=before,
    )


def report_category_added(*, actor, category, after):
    return record_event(
        actor=actor,
        verb="stewardship.report_category_added",
        target=category,
        summary=category.code,
        after=after,
    )


def report_category_changed(*, actor, category, before, after):
    before, after = changed_fields(before, after)
    return record_event(
        actor=actor,
        verb="stewardship.report_category_changed",
        target=category,
        summary=category.code,
        before=before,
        after=after,
    )


# --- end of reports ---

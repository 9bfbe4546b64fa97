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


# --- end of schemes ---

# --- coverage ---

# --- end of coverage ---

# --- governance ---

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


# --- end of reports ---

"""Named constructors for funding's audit events, a section per chapter."""

from django.utils.translation import gettext_lazy as _  # noqa: F401

from anju.core.audit import changed_fields, record_event, register_verbs  # noqa: F401

# --- ledger ---

register_verbs(
    {
        "funding_plan.saved": _("保存资金筹措方案"),
        "funding_plan.confirmed": _("确认资金筹措方案"),
        "funding_plan.reopened": _("资金筹措方案退回编制"),
        "ledger.posted": _("资金记账"),
        "ledger.reversed": _("冲正凭证"),
        "ledger.progress_overridden": _("超进度拨付"),
        "funding_source.toggled": _("启用或停用资金来源"),
    }
)


def _plan_lines(plan) -> list:
    return [
        {
            "source": line.source.code,
            "payer": line.payer.name if line.payer_id else "",
            "amount": str(line.amount),
            "note": line.note,
        }
        for line in plan.lines.select_related("source", "payer").order_by("source__position", "pk")
    ]


def funding_plan_saved(*, actor, plan, before_lines):
    return record_event(
        actor=actor,
        verb="funding_plan.saved",
        target=plan.project,
        territory_path=plan.project.path,
        summary=plan.project.code,
        before={"lines": before_lines},
        after={"lines": _plan_lines(plan), "status": plan.status},
    )


def funding_plan_confirmed(*, actor, plan):
    return record_event(
        actor=actor,
        verb="funding_plan.confirmed",
        target=plan.project,
        territory_path=plan.project.path,
        summary=plan.project.code,
        after={"status": plan.status, "total": str(plan.confirmed_total)},
    )


def funding_plan_reopened(*, actor, plan, old_total):
    return record_event(
        actor=actor,
        verb="funding_plan.reopened",
        target=plan.project,
        territory_path=plan.project.path,
        summary=plan.project.code,
        before={"status": "confirmed", "total": str(old_total)},
        after={"status": plan.status},
    )


def entry_snapshot(entry) -> dict:
    return {
        "number": entry.number,
        "kind": entry.kind,
        "source": entry.source.code,
        "amount": str(entry.amount),
        "entry_date": entry.entry_date.isoformat(),
        "payer": entry.payer.name if entry.payer_id else "",
        "payee": entry.payee,
        "milestone": entry.milestone.name if entry.milestone_id else "",
        "document": entry.document,
        "note": entry.note,
        "override_reason": entry.override_reason,
    }


def ledger_posted(*, actor, entry):
    return record_event(
        actor=actor,
        verb="ledger.posted",
        target=entry.project,
        territory_path=entry.project.path,
        summary=entry.number,
        after=entry_snapshot(entry),
    )


def ledger_reversed(*, actor, reversal):
    return record_event(
        actor=actor,
        verb="ledger.reversed",
        target=reversal.project,
        territory_path=reversal.project.path,
        summary=reversal.number,
        before={"number": reversal.reverses.number, "amount": str(reversal.reverses.amount)},
        after=entry_snapshot(reversal),
    )


def progress_overridden(*, actor, entry, justified, disbursed_after):
    return record_event(
        actor=actor,
        verb="ledger.progress_overridden",
        target=entry.project,
        territory_path=entry.project.path,
        summary=entry.number,
        before={"justified": str(justified)},
        after={"disbursed": str(disbursed_after), "reason": entry.override_reason},
    )


def source_toggled(*, actor, source):
    return record_event(
        actor=actor,
        verb="funding_source.toggled",
        target=source,
        summary=source.code,
        after={"is_active": source.is_active},
    )


# --- end of ledger ---

# --- sharing ---

# --- end of sharing ---

# --- contracts ---

# --- end of contracts ---

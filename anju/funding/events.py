"""Named constructors for funding's audit events, a section per chapter."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from anju.core.audit import (
    changed_fields,
    record_event,
    register_described_model,
    register_field_labels,
    register_value_display,
    register_verbs,
)
from anju.core.money import format_yuan

from .models import CostShare, FundingSource, LedgerEntry

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


_SOURCE_NAMES: dict[str, FundingSource] = {}


def source_name(code: str) -> str:
    """A funding source's name in the reader's language (its code if it is gone). Sources are
    reference data that services never rename, so the audit log reads them once per process
    (again when a code is new to it), not once per event shown."""
    if code not in _SOURCE_NAMES:
        _SOURCE_NAMES.update({source.code: source for source in FundingSource.objects.all()})
    found = _SOURCE_NAMES.get(code)
    return found.label if found is not None else code


def plan_lines_in_words(lines: list) -> str:
    """A plan's recorded lines as the reader says them: "市级专项资金 10.00万元；专营单位出资
    （国网武汉供电公司）10.00万元"."""
    return "；".join(
        source_name(line.get("source", ""))
        + (f"（{line['payer']}）" if line.get("payer") else "")
        + " "
        + format_yuan(Decimal(line.get("amount") or "0"))
        for line in lines
    )


register_value_display("ledger.", "source", source_name)
register_value_display("funding_plan.", "lines", plan_lines_in_words)
register_described_model("ledger.", LedgerEntry)
register_described_model("cost_share.", CostShare)
register_field_labels(
    {
        "lines": _("筹资明细"),
        "source": _("资金来源"),
        "justified": _("按确认进度可拨付(元)"),
        "disbursed": _("拨付后累计(元)"),
        "documents": _("附件"),
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


def ledger_posted(*, actor, entry, documents=()):
    """`documents`: the attached files' original names, listed when there are any."""
    after = entry_snapshot(entry)
    if documents:
        after["documents"] = list(documents)
    return record_event(
        actor=actor,
        verb="ledger.posted",
        target=entry.project,
        territory_path=entry.project.path,
        summary=entry.number,
        after=after,
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

register_verbs(
    {
        "cost_share.computed": _("计算费用分摊"),
        "coefficient_table.created": _("新建楼层系数表"),
        "coefficient_table.deactivated": _("停用楼层系数表"),
    }
)


def cost_share_computed(*, actor, share, before):
    from .selectors.sharing import share_snapshot

    return record_event(
        actor=actor,
        verb="cost_share.computed",
        target=share.project,
        territory_path=share.project.path,
        summary=str(share.plan_item.item),
        before=before,
        after=share_snapshot(share),
    )


def _table_snapshot(table) -> dict:
    return {
        "code": table.code,
        "name": table.name,
        "multiply_by_area": table.multiply_by_area,
        "is_active": table.is_active,
        "floors": {str(row.floor): str(row.coefficient) for row in table.floors.all()},
    }


def coefficient_table_created(*, actor, table):
    return record_event(
        actor=actor,
        verb="coefficient_table.created",
        target=table,
        summary=table.code,
        after=_table_snapshot(table),
    )


def coefficient_table_deactivated(*, actor, table):
    return record_event(
        actor=actor,
        verb="coefficient_table.deactivated",
        target=table,
        summary=table.code,
        before={"is_active": True},
        after={"is_active": False},
    )


# --- end of sharing ---

# --- contracts ---

register_verbs(
    {
        "contract.recorded": _("登记投资运营合同"),
        "contract.changed": _("修改投资运营合同"),
        "contract.right_added": _("增加收益权"),
        "contract.right_changed": _("修改收益权"),
        "contract.right_removed": _("删除收益权"),
        "contract.flow_recorded": _("记录年度投资或收益"),
        "contract.flow_removed": _("删除年度投资或收益"),
        "loan.recorded": _("登记贷款"),
        "loan.changed": _("修改贷款"),
    }
)


def contract_snapshot(contract) -> dict:
    return {
        "number": contract.number,
        "name": contract.name,
        "kind": contract.kind,
        "enterprise": contract.enterprise.name,
        "district": contract.district.name,
        "projects": sorted(contract.projects.values_list("code", flat=True)),
        "investment_committed": str(contract.investment_committed),
        "signed_on": contract.signed_on.isoformat(),
        "term_years": contract.term_years,
        "obligations": contract.obligations,
    }


def contract_recorded(*, actor, contract):
    return record_event(
        actor=actor,
        verb="contract.recorded",
        target=contract,
        territory_path=contract.path,
        summary=contract.number,
        after=contract_snapshot(contract),
    )


def contract_changed(*, actor, contract, before):
    old, new = changed_fields(before, contract_snapshot(contract))
    return record_event(
        actor=actor,
        verb="contract.changed",
        target=contract,
        territory_path=contract.path,
        summary=contract.number,
        before=old,
        after=new,
    )


def right_snapshot(right) -> dict:
    return {
        "kind": right.kind,
        "expected_yearly_revenue": str(right.expected_yearly_revenue),
        "note": right.note,
    }


def right_added(*, actor, right):
    return record_event(
        actor=actor,
        verb="contract.right_added",
        target=right.contract,
        territory_path=right.contract.path,
        summary=right.get_kind_display(),
        after=right_snapshot(right),
    )


def right_changed(*, actor, right, before):
    old, new = changed_fields(before, right_snapshot(right))
    return record_event(
        actor=actor,
        verb="contract.right_changed",
        target=right.contract,
        territory_path=right.contract.path,
        summary=right.get_kind_display(),
        before=old,
        after=new,
    )


def right_removed(*, actor, contract, snapshot):
    return record_event(
        actor=actor,
        verb="contract.right_removed",
        target=contract,
        territory_path=contract.path,
        summary=snapshot["kind"],
        before=snapshot,
    )


def flow_recorded(*, actor, flow, before_amount):
    return record_event(
        actor=actor,
        verb="contract.flow_recorded",
        target=flow.contract,
        territory_path=flow.contract.path,
        summary=f"{flow.year} {flow.kind}",
        before={"amount": before_amount} if before_amount is not None else {},
        after={"year": flow.year, "kind": flow.kind, "amount": str(flow.amount)},
    )


def flow_removed(*, actor, contract, snapshot):
    return record_event(
        actor=actor,
        verb="contract.flow_removed",
        target=contract,
        territory_path=contract.path,
        summary=f"{snapshot['year']} {snapshot['kind']}",
        before=snapshot,
    )


def loan_snapshot(loan) -> dict:
    return {
        "lender": loan.lender,
        "kind": loan.kind,
        "borrower": loan.borrower.name if loan.borrower_id else "",
        "district": loan.district.name,
        "amount": str(loan.amount),
        "annual_rate": str(loan.annual_rate),
        "term_months": loan.term_months,
        "starts_on": loan.starts_on.isoformat(),
        "projects": sorted(loan.projects.values_list("code", flat=True)),
    }


def loan_recorded(*, actor, loan):
    return record_event(
        actor=actor,
        verb="loan.recorded",
        target=loan,
        territory_path=loan.path,
        summary=loan.lender,
        after=loan_snapshot(loan),
    )


def loan_changed(*, actor, loan, before):
    old, new = changed_fields(before, loan_snapshot(loan))
    return record_event(
        actor=actor,
        verb="loan.changed",
        target=loan,
        territory_path=loan.path,
        summary=loan.lender,
        before=old,
        after=new,
    )


# --- end of contracts ---

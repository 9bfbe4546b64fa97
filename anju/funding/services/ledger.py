"""The funding plan and the ledger of a project: the only place they change.

Decisions (issue 12, "Sources and the ledger"):
- A project has a funding plan and postings from its joint review on (stage approved or
  later); before that every write answers 400 `project_not_approved`.
- The plan is confirmed only when its lines add up to the approved plan total to the fen; the
  refusal names the difference in 元/万元. Saving lines of a confirmed plan sends it back to
  draft (audited as `funding_plan.reopened`): the totals change, so it must be confirmed again.
- A commitment or receipt needs the source in the funding plan and may not take the source's
  commitments or receipts beyond its planned amount (`beyond_plan`): money that does not fit
  the plan means the plan is changed first.
- A disbursement needs a confirmed plan, money received and not yet paid out on that source
  (`overspending_source`; the SourceAccount CHECK is the last word under concurrency), and may
  not take the project's net disbursements beyond confirmed progress × confirmed plan total
  (`beyond_progress`) unless the city office overrides with a reason (audited).
- Saving the plan may not plan a source below what it has already committed or received on
  the project (`plan_below_postings`); reverse the postings first.
- `reverse_entry` posts the negated line once (a second reversal answers 409).
- A posting may carry up to three files (PDF, JPEG or PNG by content, 10 MB each; see
  `anju.funding.documents`), stored in the posting's transaction; a refusal writes no row and
  leaves no file in storage. The reversal points at the line and its files, it copies none.

Every posting locks the project × source account row (created safely inside the transaction)
and updates its totals in the same transaction, so concurrent postings never overspend.
"""

from __future__ import annotations

import datetime as dt
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from anju.access.models import Organisation
from anju.construction.models import Milestone
from anju.core.calendar import today
from anju.core.errors import Conflict, DomainError, PermissionDenied
from anju.core.money import format_yuan
from anju.core.scope import Scope
from anju.planning.models import Project

from .. import documents as ledger_documents
from .. import events, rules
from ..models import (
    FundingPlan,
    FundingPlanLine,
    FundingSource,
    LedgerEntry,
    SourceAccount,
    SourceGroup,
)
from ..selectors import ledger as ledger_selectors
from ..selectors import projects as project_selectors

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
# Groups whose plan line names the paying organisation (who benefits pays).
PAYER_REQUIRED = frozenset(
    {SourceGroup.UTILITY, SourceGroup.ORIGINAL_UNIT, SourceGroup.SOCIAL_CAPITAL}
)


@dataclass(frozen=True)
class PlanLineInput:
    source: FundingSource
    amount: Decimal
    payer: Organisation | None = None
    note: str = ""


# --- checks ---------------------------------------------------------------------------------


def _check_keeper(scope: Scope, project: Project) -> None:
    if not rules.may_keep_books(scope, project.path or project.district.path):
        raise PermissionDenied(_("只有项目所在区工作专班或市改造办可以管理项目资金。"))


def _check_fundable(project: Project) -> None:
    if not project_selectors.is_fundable(project):
        raise DomainError(
            _("项目尚未通过联合审查（当前阶段：%(stage)s），不能编制资金方案或记账。")
            % {"stage": project.get_stage_display()},
            code="project_not_approved",
        )


def _approved_total(project: Project) -> Decimal:
    total = project_selectors.approved_total(project)
    if total is None:
        raise DomainError(
            _("项目没有审查通过的方案版本，无法核对资金方案总额。"), code="no_approved_plan"
        )
    return total


def difference_in_words(planned: Decimal, approved: Decimal) -> str:
    """ "还差 12.00万元" / "超出 500.00元" / "" when they match."""
    difference = approved - planned
    if difference > 0:
        return _("比审查通过的方案总额%(approved)s还差%(amount)s") % {
            "approved": format_yuan(approved),
            "amount": format_yuan(difference),
        }
    if difference < 0:
        return _("比审查通过的方案总额%(approved)s超出%(amount)s") % {
            "approved": format_yuan(approved),
            "amount": format_yuan(-difference),
        }
    return ""


def _check_amount(amount) -> Decimal:
    if not isinstance(amount, Decimal):
        amount = Decimal(str(amount))
    if amount <= 0:
        raise DomainError(
            _("金额必须大于零；更正已记账的凭证请用冲正。"),
            code="amount_not_positive",
            fields={"amount": [_("必须大于零")]},
        )
    if amount != amount.quantize(CENT):
        raise DomainError(
            _("金额最多精确到分。"), code="amount_precision", fields={"amount": [_("最多两位小数")]}
        )
    return amount


def check_plan_lines(lines: list[PlanLineInput]) -> None:
    seen = set()
    for index, line in enumerate(lines):
        _check_amount(line.amount)
        if line.source.group in PAYER_REQUIRED and line.payer is None:
            raise DomainError(
                _("%(source)s须注明出资单位。") % {"source": line.source.label},
                code="payer_required",
                fields={"lines": [_("第%(row)s行缺出资单位") % {"row": index + 1}]},
            )
        if not line.source.is_active:
            raise DomainError(
                _("资金来源“%(source)s”已停用。") % {"source": line.source.label},
                code="source_inactive",
            )
        key = (line.source.pk, line.payer.pk if line.payer else None)
        if key in seen:
            raise DomainError(
                _("同一资金来源和出资单位只能有一行。"),
                code="duplicate_line",
                fields={"lines": [_("第%(row)s行重复") % {"row": index + 1}]},
            )
        seen.add(key)


# --- the funding plan -----------------------------------------------------------------------


def _lock_plan(project: Project) -> FundingPlan:
    """The project's plan row, created if absent, locked for this transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("_lock_plan runs inside the caller's transaction")
    FundingPlan.objects.get_or_create(project=project)
    return FundingPlan.objects.select_for_update().get(project=project)


def save_funding_plan(
    *, actor, scope: Scope, project: Project, lines: list[PlanLineInput]
) -> FundingPlan:
    """Replace the plan's lines. A confirmed plan goes back to draft (audited)."""
    _check_keeper(scope, project)
    _check_fundable(project)
    check_plan_lines(lines)
    with transaction.atomic(durable=True):
        plan = _lock_plan(project)
        _check_lines_hold_postings(project, lines)
        before = events._plan_lines(plan)
        if plan.status == FundingPlan.Status.CONFIRMED:
            old_total = plan.confirmed_total
            plan.status = FundingPlan.Status.DRAFT
            plan.confirmed_total = None
            plan.confirmed_by = None
            plan.confirmed_at = None
            plan.full_clean()
            plan.save()
            events.funding_plan_reopened(actor=actor, plan=plan, old_total=old_total)
        plan.lines.all().delete()
        for line in lines:
            row = FundingPlanLine(
                plan=plan, source=line.source, payer=line.payer, amount=line.amount, note=line.note
            )
            row.full_clean()
            row.save()
        plan.save(update_fields=["updated_at"])
        events.funding_plan_saved(actor=actor, plan=plan, before_lines=before)
    return plan


def _check_lines_hold_postings(project: Project, lines: list[PlanLineInput]) -> None:
    """A source may not be planned below what it has already committed or received on the
    project (`plan_below_postings`): money in the ledger stays inside the plan, as `beyond_plan`
    keeps it there when posting. Runs under the plan's lock, which every posting also takes."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("_check_lines_hold_postings runs inside the caller's transaction")
    planned: dict[int, Decimal] = {}
    for line in lines:
        planned[line.source.pk] = planned.get(line.source.pk, ZERO) + line.amount
    for account in SourceAccount.objects.filter(project=project).select_related("source"):
        posted = max(account.committed, account.received)
        if posted > planned.get(account.source_id, ZERO):
            raise DomainError(
                _(
                    "%(source)s已承诺%(committed)s、已到位%(received)s，"
                    "资金筹措方案中该来源不能少于%(posted)s；请先冲销多余的记账。"
                )
                % {
                    "source": account.source.label,
                    "committed": format_yuan(account.committed),
                    "received": format_yuan(account.received),
                    "posted": format_yuan(posted),
                },
                code="plan_below_postings",
                fields={
                    "lines": [_("%(source)s不能少于已记账金额") % {"source": account.source.label}]
                },
            )


def confirm_funding_plan(*, actor, scope: Scope, project: Project) -> FundingPlan:
    """Confirm the plan: only when Σ lines equals the approved plan total exactly."""
    _check_keeper(scope, project)
    _check_fundable(project)
    approved = _approved_total(project)
    with transaction.atomic(durable=True):
        plan = _lock_plan(project)
        if plan.status == FundingPlan.Status.CONFIRMED:
            raise Conflict(_("资金筹措方案已确认。"), code="already_confirmed")
        planned = ledger_selectors.planned_total(plan)
        if planned != approved:
            raise DomainError(
                _("资金筹措方案合计%(planned)s，%(difference)s，不能确认。")
                % {
                    "planned": format_yuan(planned),
                    "difference": difference_in_words(planned, approved),
                },
                code="plan_does_not_add_up",
                fields={"lines": [difference_in_words(planned, approved)]},
            )
        plan.status = FundingPlan.Status.CONFIRMED
        plan.confirmed_total = approved
        plan.confirmed_by = actor if getattr(actor, "pk", None) else None
        from django.utils import timezone

        plan.confirmed_at = timezone.now()
        plan.full_clean()
        plan.save()
        events.funding_plan_confirmed(actor=actor, plan=plan)
    return plan


# --- postings -------------------------------------------------------------------------------


def _lock_account(project: Project, source: FundingSource) -> SourceAccount:
    """The project × source account, created if absent (a concurrent creator's row is found
    again: get_or_create retries the read after the unique constraint refuses), then locked."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("_lock_account runs inside the caller's transaction")
    account, _created = SourceAccount.objects.get_or_create(project=project, source=source)
    return SourceAccount.objects.select_for_update().get(pk=account.pk)


def _new_number(day: dt.date) -> str:
    return f"LJ{day:%Y%m%d}-{uuid.uuid4().hex[:10].upper()}"


def _planned_for_source(project: Project, source: FundingSource) -> Decimal | None:
    plan = FundingPlan.objects.filter(project=project).first()
    if plan is None:
        return None
    lines = plan.lines.filter(source=source)
    if not lines.exists():
        return None
    return sum((line.amount for line in lines), ZERO)


def _apply(account: SourceAccount, kind: str, amount: Decimal) -> None:
    if kind == LedgerEntry.Kind.COMMITMENT:
        account.committed += amount
    elif kind == LedgerEntry.Kind.RECEIPT:
        account.received += amount
    else:
        account.disbursed += amount


def _overspending(account: SourceAccount, amount: Decimal) -> DomainError:
    return DomainError(
        _("超支：%(source)s已到位%(received)s，已拨付%(disbursed)s，可拨付余额%(available)s。")
        % {
            "source": account.source.label,
            "received": format_yuan(account.received),
            "disbursed": format_yuan(account.disbursed),
            "available": format_yuan(account.available),
        },
        code="overspending_source",
        fields={"amount": [_("超过该来源可拨付余额")]},
    )


def _save_account(account: SourceAccount) -> None:
    try:
        with transaction.atomic():
            account.save(update_fields=["committed", "received", "disbursed"])
    except IntegrityError as error:  # the CHECK: disbursed ≤ received, totals ≥ 0
        raise DomainError(
            _("超支：该来源拨付不能超过到位资金。"), code="overspending_source"
        ) from error


def justified_disbursement(project: Project, plan: FundingPlan) -> tuple[Decimal, Decimal]:
    """(confirmed progress %, what it justifies in yuan: progress × confirmed plan total)."""
    from anju.construction.selectors import schedule

    percent = schedule.progress_of(project).actual
    justified = (Decimal(plan.confirmed_total or 0) * percent / Decimal(100)).quantize(CENT)
    return percent, justified


def post_entry(
    *,
    actor,
    scope: Scope,
    project: Project,
    kind: str,
    source: FundingSource,
    amount,
    entry_date: dt.date | None = None,
    payer: Organisation | None = None,
    payee: str = "",
    milestone: Milestone | None = None,
    document: str = "",
    note: str = "",
    override_reason: str = "",
    documents=(),
) -> LedgerEntry:
    """Post a commitment, receipt or disbursement with its uploaded `documents`; the account
    row is locked and updated in the same transaction. Nothing is written, and no file stays
    in storage, when a rule refuses."""
    _check_keeper(scope, project)
    _check_fundable(project)
    prepared = ledger_documents.prepare_documents(documents)
    amount = _check_amount(amount)
    if kind not in LedgerEntry.Kind.values:
        raise DomainError(_("未知的记账类型。"), code="unknown_kind", fields={"kind": [_("未知")]})
    if milestone is not None and milestone.project_id != project.pk:
        raise DomainError(
            _("进度节点不属于本项目。"),
            code="foreign_milestone",
            fields={"milestone": [_("不属于本项目")]},
        )
    if kind == LedgerEntry.Kind.COMMITMENT and not document.strip():
        raise DomainError(
            _("资金承诺须注明依据文件。"),
            code="document_required",
            fields={"document": [_("必填")]},
        )
    if kind == LedgerEntry.Kind.DISBURSEMENT and not payee.strip():
        raise DomainError(
            _("拨付须注明收款单位。"), code="payee_required", fields={"payee": [_("必填")]}
        )
    override_reason = override_reason.strip()
    if override_reason and not rules.may_override_progress(scope):
        raise PermissionDenied(_("只有市改造办可以批准超进度拨付。"))
    entry_date = entry_date or today()
    stored: list = []
    with _files_removed_on_failure(stored), transaction.atomic(durable=True):
        plan = _lock_plan(project)
        planned = _planned_for_source(project, source)
        if planned is None:
            raise DomainError(
                _("资金来源“%(source)s”不在本项目的资金筹措方案中。") % {"source": source.label},
                code="source_not_planned",
                fields={"source": [_("不在资金筹措方案中")]},
            )
        account = _lock_account(project, source)
        justified = None
        if kind == LedgerEntry.Kind.DISBURSEMENT:
            if plan.status != FundingPlan.Status.CONFIRMED:
                raise DomainError(_("资金筹措方案尚未确认，不能拨付。"), code="plan_not_confirmed")
            if amount > account.available:
                raise _overspending(account, amount)
            percent, justified = justified_disbursement(project, plan)
            disbursed_after = ledger_selectors.disbursed_total(project) + amount
            if disbursed_after > justified:
                if not override_reason:
                    raise DomainError(
                        _(
                            "超进度拨付：已确认进度%(percent)s%%对应可拨付%(justified)s，"
                            "本次拨付后累计%(after)s。须由市改造办说明理由后拨付。"
                        )
                        % {
                            "percent": percent,
                            "justified": format_yuan(justified),
                            "after": format_yuan(disbursed_after),
                        },
                        code="beyond_progress",
                        fields={"override_reason": [_("超出已确认进度，须说明理由")]},
                    )
            else:
                override_reason = ""  # nothing to override: keep the line honest
        else:
            done = account.committed if kind == LedgerEntry.Kind.COMMITMENT else account.received
            if done + amount > planned:
                raise DomainError(
                    _("超出资金筹措方案：%(source)s计划%(planned)s，本次后累计%(after)s。")
                    % {
                        "source": source.label,
                        "planned": format_yuan(planned),
                        "after": format_yuan(done + amount),
                    },
                    code="beyond_plan",
                    fields={"amount": [_("超出该来源计划金额")]},
                )
            override_reason = ""
        _apply(account, kind, amount)
        _save_account(account)
        entry = LedgerEntry(
            number=_new_number(entry_date),
            project=project,
            account=account,
            source=source,
            kind=kind,
            amount=amount,
            entry_date=entry_date,
            payer=payer,
            payee=payee.strip(),
            milestone=milestone,
            document=document.strip(),
            note=note.strip(),
            override_reason=override_reason,
            posted_by=actor if getattr(actor, "pk", None) else None,
        )
        try:
            entry.full_clean(exclude=["posted_by"])  # None for a system actor
        except ValidationError as error:
            raise DomainError(
                _("凭证内容有误。"), code="invalid_entry", fields=error.message_dict
            ) from error
        entry.save()
        ledger_documents.store_documents(entry, prepared, stored)
        events.ledger_posted(
            actor=actor, entry=entry, documents=[document.original_name for document in stored]
        )
        if override_reason:
            events.progress_overridden(
                actor=actor, entry=entry, justified=justified, disbursed_after=disbursed_after
            )
    return entry


@contextmanager
def _files_removed_on_failure(stored: list):
    """Delete the files stored so far when the transaction around them fails (the rows go
    with the rollback; storage has no rollback)."""
    try:
        yield
    except BaseException:
        ledger_documents.delete_files(stored)
        raise


def reverse_entry(*, actor, scope: Scope, entry: LedgerEntry, reason: str) -> LedgerEntry:
    """Post the negated line of `entry` once; its account is corrected in the same transaction."""
    project = entry.project
    _check_keeper(scope, project)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("冲正须说明理由。"), code="reason_required", fields={"reason": [_("必填")]}
        )
    if entry.is_reversal:
        raise DomainError(_("冲正凭证不能再冲正。"), code="reversal_of_reversal")
    with transaction.atomic(durable=True):
        account = SourceAccount.objects.select_for_update().get(pk=entry.account_id)
        if LedgerEntry.objects.filter(reverses=entry).exists():
            raise Conflict(_("该凭证已冲正。"), code="already_reversed")
        _apply(account, entry.kind, -entry.amount)
        if account.disbursed > account.received:
            raise DomainError(
                _("不能冲正：该来源已拨付%(disbursed)s，冲正后到位资金将少于已拨付。")
                % {"disbursed": format_yuan(account.disbursed)},
                code="overspending_source",
            )
        _save_account(account)
        day = today()
        reversal = LedgerEntry(
            number=_new_number(day),
            project=project,
            account=account,
            source=entry.source,
            kind=entry.kind,
            amount=-entry.amount,
            reverses=entry,
            entry_date=day,
            payer=entry.payer,
            payee=entry.payee,
            milestone=entry.milestone,
            document=entry.document,
            note=reason[:300],
            posted_by=actor if getattr(actor, "pk", None) else None,
        )
        try:
            with transaction.atomic():
                reversal.save()
        except IntegrityError as error:  # a concurrent reversal won the OneToOne
            raise Conflict(_("该凭证已冲正。"), code="already_reversed") from error
        events.ledger_reversed(actor=actor, reversal=reversal)
    return reversal


# --- sources --------------------------------------------------------------------------------


def set_source_active(*, actor, scope: Scope, source: FundingSource, is_active: bool):
    if not rules.may_toggle_sources(scope):
        raise PermissionDenied()
    with transaction.atomic(durable=True):
        locked = FundingSource.objects.select_for_update().get(pk=source.pk)
        if locked.is_active == is_active:
            return locked
        locked.is_active = is_active
        locked.full_clean()
        locked.save(update_fields=["is_active"])
        events.source_toggled(actor=actor, source=locked)
    return locked

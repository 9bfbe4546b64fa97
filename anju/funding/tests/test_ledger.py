"""The funding plan and the ledger's rules: a plan confirmed only when it adds up to the
approved total, postings that never overspend a source, disbursements held to confirmed
progress unless the city office overrides with a reason, and reversals once."""

from decimal import Decimal

import pytest

from anju.core.errors import Conflict, DomainError, PermissionDenied
from anju.core.models import AuditEvent
from anju.funding.models import FundingPlan, LedgerEntry, SourceAccount
from anju.funding.services import ledger as services
from anju.funding.services.ledger import PlanLineInput
from anju.territory.models import Stage

from .ledgering import (
    city_scope,
    confirm_progress,
    confirmed_plan,
    district_scope,
    matching_lines,
    post,
    source,
)

pytestmark = pytest.mark.django_db


def account(project, code):
    return SourceAccount.objects.get(project=project, source=source(code))


# --- the funding plan -------------------------------------------------------------------------


def test_a_plan_that_adds_up_is_confirmed_with_the_approved_total(
    jiangan_funded_project, power_company, jiangan_officer
):
    plan = confirmed_plan(jiangan_funded_project, power_company, actor=jiangan_officer)
    assert plan.status == FundingPlan.Status.CONFIRMED
    assert plan.confirmed_total == Decimal("550000.00")
    assert AuditEvent.objects.filter(verb="funding_plan.confirmed").count() == 1


def test_a_plan_that_does_not_add_up_is_refused_with_the_difference_in_words(
    jiangan_funded_project, power_company
):
    project = jiangan_funded_project
    lines = matching_lines(power_company)[:-1]  # the residents' 300,000.00 missing
    services.save_funding_plan(
        actor=None, scope=district_scope(project), project=project, lines=lines
    )
    with pytest.raises(DomainError) as refused:
        services.confirm_funding_plan(actor=None, scope=district_scope(project), project=project)
    assert refused.value.code == "plan_does_not_add_up"
    assert "还差30.00万元" in str(refused.value.message)
    assert FundingPlan.objects.get(project=project).status == FundingPlan.Status.DRAFT
    assert not AuditEvent.objects.filter(verb="funding_plan.confirmed").exists()


def test_a_plan_beyond_the_approved_total_is_refused_as_an_excess(
    jiangan_funded_project, power_company
):
    project = jiangan_funded_project
    lines = [*matching_lines(power_company), PlanLineInput(source("greening"), Decimal("500"))]
    services.save_funding_plan(
        actor=None, scope=district_scope(project), project=project, lines=lines
    )
    with pytest.raises(DomainError, match=r"超出500\.00元"):
        services.confirm_funding_plan(actor=None, scope=district_scope(project), project=project)


def test_editing_a_confirmed_plan_sends_it_back_to_draft(jiangan_funded_project, power_company):
    project = jiangan_funded_project
    confirmed_plan(project, power_company)
    services.save_funding_plan(
        actor=None,
        scope=district_scope(project),
        project=project,
        lines=matching_lines(power_company)[:2],
    )
    plan = FundingPlan.objects.get(project=project)
    assert plan.status == FundingPlan.Status.DRAFT and plan.confirmed_total is None
    assert AuditEvent.objects.filter(verb="funding_plan.reopened").count() == 1


def test_a_utility_line_must_name_the_paying_company(jiangan_funded_project):
    project = jiangan_funded_project
    with pytest.raises(DomainError) as refused:
        services.save_funding_plan(
            actor=None,
            scope=district_scope(project),
            project=project,
            lines=[PlanLineInput(source("utility"), Decimal("100000.00"))],
        )
    assert refused.value.code == "payer_required"
    assert not FundingPlan.objects.exists()


def test_an_unapproved_project_has_no_plan_and_no_postings(jiangan_funded_project, power_company):
    project = jiangan_funded_project
    project.stage = Stage.NOTICED
    project.save(update_fields=["stage"])
    with pytest.raises(DomainError) as refused:
        services.save_funding_plan(
            actor=None,
            scope=district_scope(project),
            project=project,
            lines=matching_lines(power_company),
        )
    assert refused.value.code == "project_not_approved"
    with pytest.raises(DomainError, match="联合审查"):
        post(project, "receipt", "city_special", "100")
    assert not FundingPlan.objects.exists() and not LedgerEntry.objects.exists()


def test_another_district_may_not_keep_the_books(jiangan_funded_project, power_company, city):
    from anju.core.scope import Scope

    wuchang = Scope(roles=frozenset({"district_task_force"}), node_paths=(city.wuchang.path,))
    with pytest.raises(PermissionDenied):
        services.save_funding_plan(
            actor=None,
            scope=wuchang,
            project=jiangan_funded_project,
            lines=matching_lines(power_company),
        )


# --- postings -------------------------------------------------------------------------------


def test_receipts_and_disbursements_update_the_source_account(
    jiangan_funded_project, power_company
):
    project = jiangan_funded_project
    confirmed_plan(project, power_company)
    confirm_progress(project, "50")
    post(project, "commitment", "city_special", "100000.00")
    post(project, "receipt", "city_special", "80000.00")
    entry = post(project, "disbursement", "city_special", "30000.00")
    found = account(project, "city_special")
    assert (found.committed, found.received, found.disbursed) == (
        Decimal("100000.00"),
        Decimal("80000.00"),
        Decimal("30000.00"),
    )
    assert entry.account == found and entry.payee == "武汉建工集团"
    assert AuditEvent.objects.filter(verb="ledger.posted").count() == 3


@pytest.mark.parametrize("amount", ["0", "-100.00", "0.001"])
def test_a_posting_must_be_a_positive_amount_to_the_fen(
    jiangan_funded_project, power_company, amount
):
    project = jiangan_funded_project
    confirmed_plan(project, power_company)
    with pytest.raises(DomainError) as refused:
        post(project, "receipt", "city_special", amount)
    assert refused.value.code in {"amount_not_positive", "amount_precision"}
    assert not LedgerEntry.objects.exists()


def test_a_source_never_pays_out_more_than_it_received(jiangan_funded_project, power_company):
    project = jiangan_funded_project
    confirmed_plan(project, power_company)
    confirm_progress(project, "100")
    post(project, "receipt", "city_special", "20000.00")
    with pytest.raises(DomainError) as refused:
        post(project, "disbursement", "city_special", "20000.01")
    assert refused.value.code == "overspending_source"
    assert "可拨付余额2.00万元" in str(refused.value.message)
    assert account(project, "city_special").disbursed == Decimal("0.00")
    assert LedgerEntry.objects.filter(kind="disbursement").count() == 0


def test_a_receipt_beyond_the_sources_planned_amount_is_refused(
    jiangan_funded_project, power_company
):
    project = jiangan_funded_project
    confirmed_plan(project, power_company)
    with pytest.raises(DomainError) as refused:
        post(project, "receipt", "district_fiscal", "50000.01")
    assert refused.value.code == "beyond_plan"


def test_a_plan_may_not_cut_a_source_below_what_it_already_received(
    jiangan_funded_project, power_company
):
    """A re-saved plan that plans 城市专项 at 50,000 after 80,000 arrived (or drops it) would
    leave money in the ledger outside the plan: refused, and the plan stays as it was."""
    project = jiangan_funded_project
    confirmed_plan(project, power_company)
    post(project, "commitment", "city_special", "60000.00")
    post(project, "receipt", "city_special", "80000.00")
    events = AuditEvent.objects.count()
    cut = matching_lines(power_company)
    cut[0] = PlanLineInput(source=source("city_special"), amount=Decimal("79999.99"))
    for lines in (cut, matching_lines(power_company)[1:]):
        with pytest.raises(DomainError) as refused:
            services.save_funding_plan(
                actor=None, scope=district_scope(project), project=project, lines=lines
            )
        assert refused.value.code == "plan_below_postings"
        assert "已到位8.00万元" in str(refused.value.message)
    plan = FundingPlan.objects.get(project=project)
    assert plan.status == FundingPlan.Status.CONFIRMED
    assert plan.lines.get(source__code="city_special").amount == Decimal("100000.00")
    assert AuditEvent.objects.count() == events
    cut[0] = PlanLineInput(source=source("city_special"), amount=Decimal("80000.00"))
    services.save_funding_plan(
        actor=None, scope=district_scope(project), project=project, lines=cut
    )
    assert FundingPlan.objects.get(project=project).status == FundingPlan.Status.DRAFT


def test_a_source_outside_the_plan_takes_no_postings(jiangan_funded_project, power_company):
    project = jiangan_funded_project
    confirmed_plan(project, power_company)
    with pytest.raises(DomainError) as refused:
        post(project, "receipt", "greening", "10.00")
    assert refused.value.code == "source_not_planned"


def test_no_disbursement_before_the_plan_is_confirmed(jiangan_funded_project, power_company):
    project = jiangan_funded_project
    services.save_funding_plan(
        actor=None,
        scope=district_scope(project),
        project=project,
        lines=matching_lines(power_company),
    )
    post(project, "receipt", "city_special", "1000.00")
    with pytest.raises(DomainError) as refused:
        post(project, "disbursement", "city_special", "10.00")
    assert refused.value.code == "plan_not_confirmed"


def test_a_disbursement_beyond_confirmed_progress_is_refused(jiangan_funded_project, power_company):
    project = jiangan_funded_project
    confirmed_plan(project, power_company)
    confirm_progress(project, "10")  # 10 % of 550,000.00 → 55,000.00 justified
    post(project, "receipt", "city_special", "100000.00")
    post(project, "disbursement", "city_special", "55000.00")
    with pytest.raises(DomainError) as refused:
        post(project, "disbursement", "city_special", "0.01")
    assert refused.value.code == "beyond_progress"
    assert "5.50万元" in str(refused.value.message)
    assert account(project, "city_special").disbursed == Decimal("55000.00")


def test_the_city_office_overrides_confirmed_progress_with_a_reason_audited(
    jiangan_funded_project, power_company, city, city_officer
):
    project = jiangan_funded_project
    confirmed_plan(project, power_company)
    post(project, "receipt", "city_special", "100000.00")
    entry = post(
        project,
        "disbursement",
        "city_special",
        "30000.00",
        actor=city_officer,
        scope=city_scope(city),
        override_reason="预付材料款，合同约定30%",
    )
    assert entry.override_reason == "预付材料款，合同约定30%"
    event = AuditEvent.objects.get(verb="ledger.progress_overridden")
    assert event.after["reason"] == "预付材料款，合同约定30%"


def test_the_district_cannot_override_confirmed_progress(jiangan_funded_project, power_company):
    project = jiangan_funded_project
    confirmed_plan(project, power_company)
    post(project, "receipt", "city_special", "100000.00")
    with pytest.raises(PermissionDenied):
        post(project, "disbursement", "city_special", "1.00", override_reason="急需")
    assert account(project, "city_special").disbursed == Decimal("0.00")


# --- reversals ------------------------------------------------------------------------------


def test_a_reversal_posts_the_negated_line_once(jiangan_funded_project, power_company):
    project = jiangan_funded_project
    confirmed_plan(project, power_company)
    receipt = post(project, "receipt", "city_special", "40000.00")
    reversal = services.reverse_entry(
        actor=None, scope=district_scope(project), entry=receipt, reason="误录金额"
    )
    assert reversal.amount == Decimal("-40000.00") and reversal.reverses == receipt
    assert account(project, "city_special").received == Decimal("0.00")
    with pytest.raises(Conflict):
        services.reverse_entry(
            actor=None, scope=district_scope(project), entry=receipt, reason="再冲一次"
        )
    with pytest.raises(DomainError, match="冲正凭证不能再冲正"):
        services.reverse_entry(
            actor=None, scope=district_scope(project), entry=reversal, reason="x"
        )
    assert LedgerEntry.objects.count() == 2
    assert AuditEvent.objects.filter(verb="ledger.reversed").count() == 1


def test_a_receipt_already_paid_out_cannot_be_reversed(jiangan_funded_project, power_company):
    project = jiangan_funded_project
    confirmed_plan(project, power_company)
    confirm_progress(project, "100")
    receipt = post(project, "receipt", "city_special", "40000.00")
    post(project, "disbursement", "city_special", "30000.00")
    with pytest.raises(DomainError) as refused:
        services.reverse_entry(
            actor=None, scope=district_scope(project), entry=receipt, reason="误录"
        )
    assert refused.value.code == "overspending_source"
    assert account(project, "city_special").received == Decimal("40000.00")


def test_posted_lines_are_immutable(jiangan_funded_project, power_company):
    from django.core.exceptions import ValidationError

    project = jiangan_funded_project
    confirmed_plan(project, power_company)
    receipt = post(project, "receipt", "city_special", "40000.00")
    receipt.amount = Decimal("1.00")
    with pytest.raises(ValidationError):
        receipt.save()
    with pytest.raises(ValidationError):
        receipt.delete()


def test_the_audit_log_reads_sources_and_plan_lines_by_name(jiangan_funded_project, power_company):
    from anju.core.audit import describe_changes

    project = jiangan_funded_project
    confirmed_plan(project, power_company)
    post(project, "receipt", "city_special", "80000.00")
    posted = describe_changes(AuditEvent.objects.get(verb="ledger.posted"))
    assert [(c.label, c.after) for c in posted if c.key == "source"] == [
        ("资金来源", "市级专项资金")
    ]
    saved = describe_changes(AuditEvent.objects.filter(verb="funding_plan.saved").latest("pk"))
    [lines] = [change for change in saved if change.key == "lines"]
    assert lines.label == "筹资明细"
    assert lines.after.startswith("市级专项资金 10.00万元；区级财政资金 5.00万元；")
    assert "专营单位出资（" + power_company.name + "） 10.00万元" in lines.after


def test_the_audit_log_reads_source_names_without_a_query_per_event(
    jiangan_funded_project, power_company, django_assert_max_num_queries
):
    from anju.core.audit import describe_changes

    project = jiangan_funded_project
    confirmed_plan(project, power_company)
    for _ in range(3):
        post(project, "receipt", "city_special", "1000.00")
    events = list(AuditEvent.objects.filter(verb="ledger.posted"))
    describe_changes(events[0])  # the names are read once
    with django_assert_max_num_queries(0):
        for event in events:
            describe_changes(event)

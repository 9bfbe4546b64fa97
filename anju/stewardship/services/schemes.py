"""Writes of stewardship: the management scheme each compound needs before its plan is noticed.

改管并重: a plan may not go to public notice until every compound it covers has a management
scheme (the management model after renovation and the yearly upkeep budget). The compound's
own district, street and community staff keep it (`rules.may_save_management_scheme`);
design asks for it through `save_management_scheme`, whose caller's scope decides.

The scheme also says which property company looks after the compound (a company of kind
"property"; for the company models it must be named once the scheme has a start date — while
the scheme is still planned the company may be chosen later, by tender), the bundle's name for
a bundled package, who pays the upkeep, and the start date. The budget lines record whether
and where the upkeep is entered in the district's annual budget: one line a year.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from anju.access.models import Organisation
from anju.core.audit import snapshot
from anju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from anju.core.scope import Scope
from anju.territory.models import Compound

from .. import events
from ..models import COMPANY_MODELS, BudgetLine, ManagementModel, ManagementScheme
from ..rules import may_save_management_scheme

SCHEME_FIELDS = [
    "management_model",
    "property_company_id",
    "bundle_name",
    "upkeep_sources",
    "yearly_upkeep_budget",
    "starts_on",
    "note",
]
BUDGET_LINE_FIELDS = ["year", "amount", "reference"]


class _Unchanged:
    """A keyword the caller left out: the scheme keeps what it has (design's form asks only
    for the model, the budget and a note)."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED = _Unchanged()


def check_scheme_keeper(*, scope: Scope, compound: Compound) -> None:
    """Not found outside the viewer's territory; refused to anyone but the compound's keepers."""
    if not scope.covers_path(compound.path) and compound.pk not in scope.compound_ids:
        raise NotFound()
    if not may_save_management_scheme(scope, compound):
        raise PermissionDenied(_("只有小区所在的区、街道或社区可以填写长效管理方案。"))


def save_management_scheme(
    *,
    actor,
    scope: Scope,
    compound: Compound,
    management_model: str,
    yearly_upkeep_budget: Decimal,
    note: str = "",
    property_company: Organisation | _Unchanged | None = UNCHANGED,
    bundle_name: str | _Unchanged = UNCHANGED,
    upkeep_sources: list[str] | _Unchanged = UNCHANGED,
    starts_on=UNCHANGED,
) -> ManagementScheme:
    """Create or change the compound's scheme (one per compound), audited with its changes.

    Keywords left out keep their value. A model without a company (self-management, the
    street's fallback) drops the company; a model other than a bundle drops the bundle name."""
    check_scheme_keeper(scope=scope, compound=compound)
    values = {
        "management_model": management_model,
        "yearly_upkeep_budget": yearly_upkeep_budget,
        "note": note,
        "property_company": property_company,
        "bundle_name": bundle_name,
        "upkeep_sources": upkeep_sources,
        "starts_on": starts_on,
    }
    try:
        return _save(actor, compound, values)
    except IntegrityError as exc:  # another keeper created the compound's scheme meanwhile
        raise Conflict() from exc


def _save(actor, compound, values) -> ManagementScheme:
    with transaction.atomic(durable=True):
        scheme = ManagementScheme.objects.select_for_update().filter(compound=compound).first()
        before = snapshot(scheme, SCHEME_FIELDS) if scheme else {}
        scheme = scheme or ManagementScheme(compound=compound)
        for name, value in values.items():
            if value is not UNCHANGED:
                setattr(scheme, name, value)
        if scheme.upkeep_sources is None:
            scheme.upkeep_sources = []
        if scheme.management_model not in COMPANY_MODELS:
            scheme.property_company = None
        if scheme.management_model != ManagementModel.BUNDLED:
            scheme.bundle_name = ""
        scheme.updated_by = actor if getattr(actor, "pk", None) else None
        _validate(scheme)
        scheme.save()
        events.scheme_saved(
            actor=actor, scheme=scheme, before=before, after=snapshot(scheme, SCHEME_FIELDS)
        )
    return scheme


def _validate(scheme: ManagementScheme) -> None:
    problems: dict[str, list] = {}
    try:
        scheme.full_clean()
    except ValidationError as exc:
        problems.update(exc.message_dict)
    if (
        scheme.management_model in COMPANY_MODELS
        and scheme.starts_on is not None
        and scheme.property_company_id is None
        and "property_company" not in problems
    ):
        problems["property_company"] = [_("方案实施前须确定物业企业。")]
    if problems:
        # the message names each problem too: design's form shows only the model and budget
        details = "；".join(str(m) for messages in problems.values() for m in messages)
        raise DomainError(
            _("长效管理方案有误：%(problems)s") % {"problems": details}, fields=problems
        )


# --- budget lines ---------------------------------------------------------------------------


def add_budget_line(
    *, actor, scope: Scope, scheme: ManagementScheme, year: int, amount: Decimal, reference: str
) -> BudgetLine:
    """Record that the scheme's upkeep is entered in the district's budget for `year`."""
    check_scheme_keeper(scope=scope, compound=scheme.compound)
    try:
        with transaction.atomic(durable=True):
            ManagementScheme.objects.select_for_update().filter(pk=scheme.pk).first()
            line = BudgetLine(
                scheme=scheme,
                year=year,
                amount=amount,
                reference=reference,
                recorded_by=actor if getattr(actor, "pk", None) else None,
            )
            _validate_line(line)
            line.save()
            events.budget_line_added(actor=actor, line=line)
    except IntegrityError as exc:  # the same year recorded meanwhile
        raise Conflict() from exc
    return line


def change_budget_line(
    *, actor, scope: Scope, line: BudgetLine, year: int, amount: Decimal, reference: str
) -> BudgetLine:
    check_scheme_keeper(scope=scope, compound=line.scheme.compound)
    try:
        with transaction.atomic(durable=True):
            line = (
                BudgetLine.objects.select_for_update()
                .select_related("scheme__compound")
                .get(pk=line.pk)
            )
            before = snapshot(line, BUDGET_LINE_FIELDS)
            line.year, line.amount, line.reference = year, amount, reference
            _validate_line(line)
            line.save()
            events.budget_line_changed(
                actor=actor, line=line, before=before, after=snapshot(line, BUDGET_LINE_FIELDS)
            )
    except BudgetLine.DoesNotExist as exc:
        raise NotFound() from exc
    except IntegrityError as exc:
        raise Conflict() from exc
    return line


def remove_budget_line(*, actor, scope: Scope, line: BudgetLine) -> None:
    check_scheme_keeper(scope=scope, compound=line.scheme.compound)
    with transaction.atomic(durable=True):
        locked = BudgetLine.objects.select_for_update().filter(pk=line.pk).first()
        if locked is None:
            raise NotFound()
        events.budget_line_removed(
            actor=actor, line=line, before=snapshot(line, BUDGET_LINE_FIELDS)
        )
        locked.delete()


def _validate_line(line: BudgetLine) -> None:
    problems: dict[str, list] = {}
    try:
        line.full_clean(exclude=["scheme"], validate_constraints=False)
    except ValidationError as exc:
        problems.update(exc.message_dict)
    taken = BudgetLine.objects.filter(scheme_id=line.scheme_id, year=line.year).exclude(pk=line.pk)
    if "year" not in problems and taken.exists():
        problems["year"] = [_("该年度已有预算安排，请修改原记录。")]
    if problems:
        raise DomainError(_("输入有误。"), fields=problems)

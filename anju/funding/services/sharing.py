"""Who benefits, pays (谁受益、谁出资): a project's cost shares and the households' lines.

Decisions (issue 12, "Cost sharing"; DOMAIN.md "Money: who pays"):
- Every item of the project's approved plan version gets one CostShare. A network that a
  utility owns (the item's payer is 专营单位, or the share names a utility organisation as its
  owner) is charged wholly to that utility: no residents' part, no household lines.
- Otherwise the residents' part is a share of the cost (0–1, rounded half up to the fen) or a
  fixed amount (≤ the cost); when neither is given it is the whole cost if the item's payer is
  the residents, else nothing. The rest stays with the funding plan's other payers.
- The benefiting households are all households of the chosen buildings of the item's
  compound (all its buildings when none are chosen), in the order building, unit, floor, room
  (the engine gives tied leftover fens to the first). Developer-unsold households (开发商未售)
  are INCLUDED: the developer owns them and pays their part like any owner; leaving them out
  would move their part onto the residents who bought.
- They are weighed by exclusive area, per household, or by an active floor-coefficient table
  (coefficient, or coefficient × area when the table says so). Default method: by area.
- `anju.engine.cost_sharing.allocate_item` computes; its CostSharingInputError codes become
  4xx messages here (a floor missing from the table names the household and the floor).
- Recomputing replaces the share's household lines in one transaction; audited.
- Coefficient tables are city-wide data: the city office creates and deactivates them; a
  deactivated table stays on the shares that used it but cannot be chosen again.
The district task force of the project's district or the city office acts (rules).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.access.models import Organisation
from anju.catalogue.models import Payer
from anju.core.errors import Conflict, DomainError, PermissionDenied
from anju.core.money import format_yuan
from anju.core.scope import Scope
from anju.design.models import PlanItem
from anju.engine import cost_sharing as engine
from anju.planning.models import Project
from anju.territory.models import Building, Household

from .. import events, rules
from ..models import CoefficientTable, CostShare, FloorCoefficient, HouseholdContribution
from ..selectors import projects as project_selectors
from ..selectors import sharing as selectors

EXACT_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class ShareTerms:
    """How one item is shared; blank fields take the defaults above."""

    utility_owner: Organisation | None = None
    method: str = ""
    residents_share: Decimal | None = None
    residents_amount: Decimal | None = None
    table: CoefficientTable | None = None
    buildings: Sequence[Building] = field(default_factory=tuple)


# --- checks ---------------------------------------------------------------------------------


def _check_sharer(scope: Scope, project: Project) -> None:
    if not rules.may_share_costs(scope, project.path or project.district.path):
        raise PermissionDenied(_("只有项目所在区工作专班或市改造办可以计算费用分摊。"))


def _check_approved(project: Project):
    version = project_selectors.approved_version(project)
    if version is None or not project_selectors.is_fundable(project):
        raise DomainError(
            _("项目没有审查通过的方案版本，不能计算费用分摊。"), code="no_approved_plan"
        )
    return version


def check_terms(plan_item: PlanItem, terms: ShareTerms) -> None:
    """The terms make sense for this item, before the engine sees them."""
    if terms.utility_owner is not None and terms.utility_owner.kind != Organisation.Kind.UTILITY:
        raise DomainError(
            _("%(name)s不是专营单位，不能作为管网产权单位。") % {"name": terms.utility_owner.name},
            code="owner_not_utility",
            fields={"utility_owner": [_("请选择专营单位")]},
        )
    if terms.method and terms.method not in CostShare.Method.values:
        raise DomainError(
            _("未知的分摊方式。"), code="unknown_method", fields={"method": [_("未知的分摊方式")]}
        )
    if terms.method == CostShare.Method.BY_FLOOR_COEFFICIENTS:
        if terms.table is None:
            raise DomainError(
                _("按楼层系数分摊需要选择楼层系数表。"),
                code="table_required",
                fields={"table": [_("请选择楼层系数表")]},
            )
    if terms.table is not None and not terms.table.is_active:
        raise DomainError(
            _("楼层系数表“%(name)s”已停用。") % {"name": terms.table.name},
            code="table_inactive",
            fields={"table": [_("该系数表已停用")]},
        )
    foreign = [b for b in terms.buildings if b.compound_id != plan_item.compound_id]
    if foreign:
        raise DomainError(
            _("%(building)s不属于该条目所在的小区。") % {"building": foreign[0]},
            code="building_not_in_compound",
            fields={"buildings": [_("只能选择本小区的楼栋")]},
        )


# --- computing one share (a step of the services below) -------------------------------------


def _utility_owner_name(share: CostShare) -> str | None:
    if share.utility_owner_id:
        return share.utility_owner.name
    if share.plan_item.payer == Payer.UTILITY:
        return str(Payer.UTILITY.label)
    return None


def benefiting_households(share: CostShare) -> list[Household]:
    """The households of the share's buildings (all the compound's when none are chosen), in
    building, unit, floor, room order; developer-unsold households included (module doc)."""
    households = Household.objects.filter(compound_id=share.plan_item.compound_id)
    if share.pk and share.buildings.exists():
        households = households.filter(unit__building__in=share.buildings.all())
    return list(
        households.select_related("unit__building").order_by(
            "unit__building__number", "unit__number", "floor", "room", "pk"
        )
    )


def _basis(share: CostShare, households: list[Household]):
    method = share.method or CostShare.Method.BY_AREA
    if method == CostShare.Method.PER_HOUSEHOLD:
        return engine.PerHousehold([h.pk for h in households])
    if method == CostShare.Method.BY_FLOOR_COEFFICIENTS:
        table = {row.floor: row.coefficient for row in share.table.floors.all()}
        areas = (
            {h.pk: h.exclusive_area for h in households} if share.table.multiply_by_area else None
        )
        return engine.ByFloorCoefficients(
            floors={h.pk: h.floor for h in households}, table=table, areas=areas
        )
    return engine.ByArea({h.pk: h.exclusive_area for h in households})


def _residents_terms(share: CostShare) -> dict:
    if share.residents_share is not None:
        return {"residents_share": share.residents_share}
    if share.residents_amount is not None:
        return {"residents_amount": share.residents_amount}
    if share.plan_item.payer == Payer.RESIDENTS:
        return {"residents_share": Decimal(1)}
    return {}


def translate(error: engine.CostSharingInputError, households: Mapping[int, Household]) -> str:
    """The engine's error in words a district officer can act on."""
    params = error.params
    household = households.get(params.get("household"))
    code = error.code
    if code == "floor_not_in_table":
        return _(
            "%(household)s在第%(floor)s层，楼层系数表中没有这一层；请补充系数表或换用其他系数表。"
        ) % {"household": household, "floor": params["floor"]}
    if code == "no_weight":
        return _("居民分摊%(amount)s无法分摊：受益住户的分摊权重都是零（%(count)s户）。") % {
            "amount": format_yuan(params["total"]),
            "count": params["households"],
        }
    if code == "no_households":
        return _("居民分摊%(amount)s无法分摊：所选楼栋没有住户。") % {
            "amount": format_yuan(params["amount"])
        }
    if code == "residents_amount_over_cost":
        return _("居民分摊金额%(amount)s超过了条目金额%(cost)s。") % {
            "amount": format_yuan(params["amount"]),
            "cost": format_yuan(params["cost"]),
        }
    if code == "residents_share_out_of_range":
        return _("居民分摊比例必须在0到1之间。")
    if code == "utility_item_with_residents_part":
        return _("%(owner)s所有的管网由其全额承担，不能再设居民分摊比例或金额。") % {
            "owner": params["utility_owner"]
        }
    if code == "residents_share_and_amount":
        return _("居民分摊请填写比例或金额，不能同时填写。")
    if code == "amount_not_in_fen":
        return _("金额必须精确到分。")
    if code == "negative_weight":
        return _("%(household)s的专有面积或权重为负数。") % {"household": household}
    return _("费用分摊的数据无法计算（%(code)s）。") % {"code": code}


FIELD_OF_CODE = {
    "floor_not_in_table": "table",
    "residents_amount_over_cost": "residents_amount",
    "residents_share_out_of_range": "residents_share",
    "utility_item_with_residents_part": "utility_owner",
    "residents_share_and_amount": "residents_share",
    "no_households": "buildings",
}


def compute_share(*, actor, share: CostShare) -> CostShare:
    """Recompute one share and replace its household lines. A step: runs inside the caller's
    transaction, which holds the share's row locked."""
    assert transaction.get_connection().in_atomic_block
    item = share.plan_item
    households = benefiting_households(share)
    by_pk = {h.pk: h for h in households}
    owner = _utility_owner_name(share)
    try:
        if owner is not None:
            allocation = engine.allocate_item(
                item.cost, utility_owner=owner, **_residents_terms_for_utility(share)
            )
        else:
            terms = _residents_terms(share)
            residents_part = _residents_preview(item.cost, terms)
            basis = _basis(share, households) if residents_part and households else None
            allocation = engine.allocate_item(item.cost, basis=basis, **terms)
    except engine.CostSharingInputError as error:
        field_name = FIELD_OF_CODE.get(error.code)
        raise DomainError(
            translate(error, by_pk),
            code=f"sharing_{error.code}",
            fields={field_name: [translate(error, by_pk)]} if field_name else None,
        ) from error

    share.utility_part = allocation.utility
    share.residents_part = allocation.residents
    share.others_part = allocation.others
    share.computed_by = actor if getattr(actor, "pk", None) else None
    share.computed_at = timezone.now()
    share.full_clean()
    share.save()
    share.contributions.all().delete()
    lines = []
    if allocation.households is not None:
        for part in allocation.households.shares:
            line = HouseholdContribution(
                share=share,
                household=by_pk[part.household],
                weight=part.weight,
                exact_amount=_exact_decimal(part.exact_amount),
                amount=part.amount,
                rounded_up=part.is_rounded_up,
                floor=by_pk[part.household].floor,
                coefficient=part.coefficient,
                area=by_pk[part.household].exclusive_area,
            )
            line.full_clean(exclude=["share"])
            lines.append(line)
    HouseholdContribution.objects.bulk_create(lines)
    if lines:  # the engine's promise, kept on what is stored
        assert sum(line.amount for line in lines) == share.residents_part
    return share


def _residents_terms_for_utility(share: CostShare) -> dict:
    """A utility-owned item takes no residents' part: a stored share or amount is passed on
    for the engine to refuse (so the officer reads why)."""
    if share.residents_share is not None:
        return {"residents_share": share.residents_share}
    if share.residents_amount is not None:
        return {"residents_amount": share.residents_amount}
    return {}


def _residents_preview(cost: Decimal, terms: dict) -> bool:
    """Whether the residents pay anything (then households are needed)."""
    if "residents_amount" in terms:
        return terms["residents_amount"] > 0
    if "residents_share" in terms:
        return terms["residents_share"] > 0 and cost > 0
    return False


def _exact_decimal(value) -> Decimal:
    """An exact Fraction amount in yuan to 6 places (for the record; the amount is exact)."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        EXACT_PLACES, rounding=ROUND_HALF_EVEN
    )


def _share_of(item: PlanItem, project: Project) -> CostShare:
    share = CostShare.objects.select_for_update().filter(plan_item=item).first()
    if share is None:
        share = CostShare(project=project, plan_item=item)
        share.full_clean()
        share.save()
    return share


# --- public services ------------------------------------------------------------------------


def compute_cost_shares(*, actor, scope: Scope, project: Project) -> list[CostShare]:
    """A share for every item of the approved version (defaults for new ones), all recomputed
    with the current households; one transaction, so one refusal writes nothing."""
    _check_sharer(scope, project)
    try:
        with transaction.atomic(durable=True):
            version = _check_approved(project)
            shares = []
            for item in version.items.select_related("item", "compound").order_by("pk"):
                share = _share_of(item, project)
                before = selectors.share_snapshot(share)
                compute_share(actor=actor, share=share)
                events.cost_share_computed(actor=actor, share=share, before=before)
                shares.append(share)
    except IntegrityError as error:
        raise Conflict() from error
    return shares


def set_cost_share(*, actor, scope: Scope, plan_item: PlanItem, terms: ShareTerms) -> CostShare:
    """Saves how one item is shared and recomputes its household lines."""
    project = plan_item.version.project
    _check_sharer(scope, project)
    check_terms(plan_item, terms)
    try:
        with transaction.atomic(durable=True):
            version = _check_approved(project)
            if plan_item.version_id != version.pk:
                raise DomainError(
                    _("该条目不属于项目审查通过的方案版本。"), code="item_not_approved"
                )
            share = _share_of(plan_item, project)
            before = selectors.share_snapshot(share)
            share.utility_owner = terms.utility_owner
            share.method = terms.method
            share.residents_share = terms.residents_share
            share.residents_amount = terms.residents_amount
            share.table = terms.table
            try:
                share.full_clean()
            except ValidationError as error:
                raise DomainError(
                    _("分摊设置有误。"), code="invalid_terms", fields=error.message_dict
                ) from error
            share.save()
            share.buildings.set(terms.buildings)
            compute_share(actor=actor, share=share)
            events.cost_share_computed(actor=actor, share=share, before=before)
    except IntegrityError as error:
        raise Conflict() from error
    return share


def parse_coefficient_rows(text: str) -> dict[int, Decimal]:
    """ "1: 0\n2: 0\n3: 1.2" (or "3=1.2", "3 1.2", one floor a line) → {floor: coefficient}."""
    rows: dict[int, Decimal] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().replace("：", ":").replace("=", ":")
        if not line:
            continue
        parts = [p for p in line.replace(":", " ").replace("\t", " ").split(" ") if p]
        try:
            floor, coefficient = int(parts[0]), Decimal(parts[1])
            if len(parts) != 2 or not coefficient.is_finite():
                raise ValueError
        except (ValueError, IndexError, ArithmeticError):
            raise DomainError(
                _("第%(line)s行应为“楼层: 系数”，如“3: 1.2”。") % {"line": number},
                code="bad_coefficient_row",
                fields={"rows": [_("第%(line)s行格式有误") % {"line": number}]},
            ) from None
        if floor in rows:
            raise DomainError(
                _("第%(floor)s层写了两次。") % {"floor": floor},
                code="duplicate_floor",
                fields={"rows": [_("第%(floor)s层写了两次") % {"floor": floor}]},
            )
        rows[floor] = coefficient
    if not rows:
        raise DomainError(
            _("请至少填写一层的系数。"),
            code="no_coefficient_rows",
            fields={"rows": [_("请至少填写一层的系数")]},
        )
    return rows


def create_coefficient_table(
    *,
    actor,
    scope: Scope,
    code: str,
    name: str,
    rows: Mapping[int, Decimal],
    note: str = "",
    multiply_by_area: bool = False,
) -> CoefficientTable:
    if not rules.may_manage_coefficient_tables(scope):
        raise PermissionDenied(_("只有市改造办可以维护楼层系数表。"))
    if CoefficientTable.objects.filter(code=code).exists():
        raise DomainError(
            _("编码%(code)s已被使用。") % {"code": code},
            code="duplicate_code",
            fields={"code": [_("编码已被使用")]},
        )
    try:
        with transaction.atomic(durable=True):
            table = CoefficientTable(
                code=code, name=name, note=note, multiply_by_area=multiply_by_area
            )
            table.full_clean()
            table.save()
            for floor, coefficient in sorted(rows.items()):
                row = FloorCoefficient(table=table, floor=floor, coefficient=coefficient)
                try:
                    row.full_clean()
                except ValidationError as error:
                    raise DomainError(
                        _("第%(floor)s层的系数%(coefficient)s无效（不小于0，最多3位小数）。")
                        % {"floor": floor, "coefficient": coefficient},
                        code="bad_coefficient",
                        fields={"rows": [m for ms in error.message_dict.values() for m in ms]},
                    ) from error
                row.save()
            events.coefficient_table_created(actor=actor, table=table)
    except ValidationError as error:
        raise DomainError(
            _("系数表信息有误。"), code="invalid_table", fields=error.message_dict
        ) from error
    except IntegrityError as error:
        raise Conflict() from error
    return table


def deactivate_coefficient_table(*, actor, scope: Scope, table: CoefficientTable):
    if not rules.may_manage_coefficient_tables(scope):
        raise PermissionDenied(_("只有市改造办可以维护楼层系数表。"))
    with transaction.atomic(durable=True):
        table = CoefficientTable.objects.select_for_update().get(pk=table.pk)
        if not table.is_active:
            raise DomainError(_("该系数表已经停用。"), code="already_inactive")
        table.is_active = False
        table.save(update_fields=["is_active"])
        events.coefficient_table_deactivated(actor=actor, table=table)
    return table

"""Writes of scoring: model versions, manual indicators and their values, scoring rounds.

Model versions are immutable: new weights (typed, or derived by AHP from a pairwise matrix)
or an added manual indicator make version n+1 of the same model. A round scores every
candidate compound of a territory (compounds not yet in an annual plan) with one version and
keeps each compound's rank, total, raw values and contributions; a draft round can be scored
again, a published round is frozen. The city office does all of this; districts enter the
values of manual indicators for their own compounds, each with its evidence.
"""

from __future__ import annotations

import math
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.scope import Scope
from anju.engine.scoring import (
    DEFAULT_MODEL,
    AhpMethod,
    Direction,
    Indicator,
    Normalisation,
    ScoringError,
    ScoringModel,
    score,
)
from anju.territory.models import Compound, Node, Stage
from anju.territory.services import move_compounds

from . import events
from .inputs import known_indicator_keys, raw_matrix
from .models import (
    AnnualPlan,
    ManualIndicator,
    ManualValue,
    RoundEntry,
    RoundStatus,
    ScoringModelVersion,
    ScoringRound,
)
from .packages import package_keys

CANDIDATE_STAGES = (Stage.REGISTERED, Stage.CONSULTED, Stage.CANDIDATE)
MANUAL_VALUE_ROLES = ("city_office", "district_task_force")
ENTRY_BATCH = 2000


def engine_refusal(error: ScoringError) -> DomainError:
    """The engine's own words, in the page's language."""
    language = "en" if (get_language() or "").startswith("en") else "zh"
    return DomainError(" ".join(error.messages(language)), code=f"scoring_{error.code}")


def require_city_office(scope: Scope, path: str = "") -> None:
    if not scope.has_role("city_office"):
        raise PermissionDenied(_("只有市改造办可以管理评分模型和评分轮次。"))
    if path and not scope.covers_path(path):
        raise NotFound()


# --- Model versions ------------------------------------------------------------------------


def default_model_version() -> ScoringModelVersion:
    """The shipped default model as version 1 of its key, stored on first use."""
    version, _created = ScoringModelVersion.objects.get_or_create(
        key=DEFAULT_MODEL.key,
        version=DEFAULT_MODEL.version,
        defaults={
            "definition": DEFAULT_MODEL.as_dict(),
            "weighting": {"method": "typed"},
            "note": DEFAULT_MODEL.note_zh,
        },
    )
    return version


def latest_version(key: str) -> ScoringModelVersion:
    return ScoringModelVersion.objects.filter(key=key).order_by("-version").first()


def _save_version(*, actor, model: ScoringModel, weighting: dict, note: str):
    unknown = sorted(set(model.keys) - known_indicator_keys())
    if unknown:
        raise DomainError(
            _("模型含有未知指标：%(keys)s") % {"keys": "、".join(unknown)}, code="unknown_indicator"
        )
    with transaction.atomic(durable=True):
        newest = (
            ScoringModelVersion.objects.select_for_update().filter(key=model.key).latest("version")
        )
        model = ScoringModel.from_dict({**model.as_dict(), "version": newest.version + 1})
        version = ScoringModelVersion.objects.create(
            key=model.key,
            version=model.version,
            definition=model.as_dict(),
            weighting=weighting,
            note=note,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        events.model_versioned(actor=actor, version=version, base=newest)
    return version


def weigh_by_typed_weights(
    *, actor, scope: Scope, base: ScoringModelVersion, weights: dict[str, float], note: str = ""
) -> ScoringModelVersion:
    """A new version with the weights typed (any non-negative numbers; normalised)."""
    require_city_office(scope)
    try:
        model = base.engine_model().with_weights(weights)
    except ScoringError as error:
        raise engine_refusal(error) from error
    return _save_version(
        actor=actor, model=model, weighting={"method": "typed", "weights": weights}, note=note
    )


def weigh_by_ahp(
    *,
    actor,
    scope: Scope,
    base: ScoringModelVersion,
    matrix: list[list],
    method: str = AhpMethod.EIGENVECTOR,
    note: str = "",
) -> ScoringModelVersion:
    """A new version weighted by AHP over all indicators (rows in the model's order).

    A matrix whose consistency ratio exceeds 0.1 is refused naming the worst judgements."""
    require_city_office(scope)
    try:
        model, result = base.engine_model().with_ahp(matrix, method=AhpMethod(method))
    except ScoringError as error:
        raise engine_refusal(error) from error
    weighting = {
        "method": "ahp",
        "ahp_method": str(method),
        "matrix": [[str(cell) for cell in row] for row in matrix],
        "consistency_ratio": round(result.consistency_ratio, 4),
        "lambda_max": round(result.lambda_max, 4),
    }
    return _save_version(actor=actor, model=model, weighting=weighting, note=note)


def add_manual_indicator_to_model(
    *,
    actor,
    scope: Scope,
    base: ScoringModelVersion,
    indicator: ManualIndicator,
    weight: float,
    normalisation: str = Normalisation.MIN_MAX,
    direction: str = Direction.HIGHER_RAISES_PRIORITY,
) -> ScoringModelVersion:
    require_city_office(scope)
    model = base.engine_model()
    if indicator.key in model.keys:
        raise DomainError(_("模型中已有该指标。"), code="indicator_present")
    try:
        added = Indicator(
            indicator.key,
            indicator.name_zh,
            indicator.name_en,
            weight,
            direction=direction,
            normalisation=normalisation,
        )
        model = ScoringModel.from_dict(
            {**model.as_dict(), "indicators": [*model.as_dict()["indicators"], added.as_dict()]}
        )
    except ScoringError as error:
        raise engine_refusal(error) from error
    return _save_version(
        actor=actor,
        model=model,
        weighting={"method": "typed", "added": indicator.key},
        note=_("新增人工指标：%(name)s") % {"name": indicator.name_zh},
    )


# --- Manual indicators ---------------------------------------------------------------------


def create_manual_indicator(
    *, actor, scope: Scope, key: str, name_zh: str, name_en: str, guidance: str = ""
) -> ManualIndicator:
    require_city_office(scope)
    if key in known_indicator_keys():
        raise DomainError(_("指标标识已被使用。"), fields={"key": [_("已被使用")]})
    with transaction.atomic(durable=True):
        indicator = ManualIndicator(
            key=key,
            name_zh=name_zh,
            name_en=name_en,
            guidance=guidance,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        indicator.full_clean()
        indicator.save()
        events.manual_indicator_created(actor=actor, indicator=indicator)
    return indicator


def enter_manual_value(
    *,
    actor,
    scope: Scope,
    indicator: ManualIndicator,
    compound: Compound,
    value: Decimal,
    evidence,
    note: str = "",
) -> ManualValue:
    """A district enters (or corrects) one compound's value, with its evidence attached."""
    if not scope.has_role(*MANUAL_VALUE_ROLES):
        raise PermissionDenied(_("只有市改造办和区工作专班可以填报人工指标。"))
    if not scope.covers_path(compound.path):
        raise NotFound()
    if not evidence:
        raise DomainError(_("请上传佐证材料。"), fields={"evidence": [_("必填")]})
    with transaction.atomic(durable=True):
        entry = (
            ManualValue.objects.select_for_update()
            .filter(indicator=indicator, compound=compound)
            .first()
        )
        before = {"value": entry.value} if entry else {}
        entry = entry or ManualValue(indicator=indicator, compound=compound)
        entry.path = compound.path
        entry.value, entry.evidence, entry.note = value, evidence, note
        entry.entered_by = actor if getattr(actor, "pk", None) else None
        entry.full_clean()
        entry.save()
        events.manual_value_entered(actor=actor, entry=entry, before=before)
    return entry


# --- Rounds --------------------------------------------------------------------------------


def create_round(
    *,
    actor,
    scope: Scope,
    annual_plan: AnnualPlan,
    node: Node,
    model: ScoringModelVersion,
    name: str,
    cost_per_m2: Decimal = Decimal("400"),
) -> ScoringRound:
    require_city_office(scope, node.path)
    if not node.path.startswith(annual_plan.territory_path):
        raise DomainError(_("评分范围须在年度计划的辖区内。"), fields={"node": [_("超出辖区")]})
    with transaction.atomic(durable=True):
        scoring_round = ScoringRound(
            annual_plan=annual_plan,
            node=node,
            path=node.path,
            name=name,
            model=model,
            cost_per_m2=cost_per_m2,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        scoring_round.full_clean()
        scoring_round.save()
        events.round_created(actor=actor, scoring_round=scoring_round)
    return scoring_round


def candidate_rows(scoring_round: ScoringRound) -> list[tuple]:
    """(pk, path, district path, floor area) of every compound not yet planned, by id."""
    return list(
        Compound.objects.filter(path__startswith=scoring_round.path, stage__in=CANDIDATE_STAGES)
        .order_by("pk")
        .values_list("pk", "path", "community__parent__parent__path", "total_floor_area")
    )


def score_round(*, actor, scope: Scope, scoring_round: ScoringRound) -> ScoringRound:
    """Score (or score again) every candidate of a draft round."""
    require_city_office(scope, scoring_round.path)
    rows = candidate_rows(scoring_round)
    ids = [row[0] for row in rows]
    model = scoring_round.model.engine_model()
    table = score(model, ids, raw_matrix(model, ids, year=scoring_round.annual_plan.year))
    districts = dict(Node.objects.filter(kind__in=("district", "zone")).values_list("path", "pk"))
    packages = package_keys(ids)
    entries = [
        RoundEntry(
            round=scoring_round,
            compound_id=pk,
            district_id=districts[district_path],
            path=path,
            rank=int(table.ranks[row]),
            total=float(table.totals[row]),
            raw=[None if math.isnan(value) else float(value) for value in table.raw[row]],
            contributions=[round(float(c), 6) for c in table.contributions[row]],
            cost=(area * scoring_round.cost_per_m2).quantize(Decimal("1")),
            package=packages.get(pk, ""),
        )
        for row, (pk, path, district_path, area) in enumerate(rows)
    ]
    with transaction.atomic(durable=True):
        locked = ScoringRound.objects.select_for_update().get(pk=scoring_round.pk)
        if locked.is_published:
            raise DomainError(_("评分结果已公布，不能重新评分。"), code="round_published")
        locked.entries.all().delete()
        RoundEntry.objects.bulk_create(entries, batch_size=ENTRY_BATCH)
        locked.candidate_count = len(entries)
        locked.scored_at = timezone.now()
        locked.save(update_fields=["candidate_count", "scored_at"])
        events.round_scored(actor=actor, scoring_round=locked)
    return locked


def publishing_consequences(scoring_round: ScoringRound) -> str:
    """What publishing will do, in the words the confirmation page and the refusal use."""
    return _("公布后本轮评分冻结、不能再修改，%(n)s 个小区的得分和排名将向社会公示。") % {
        "n": scoring_round.entries.count()
    }


def publish_round(
    *, actor, scope: Scope, scoring_round: ScoringRound, confirmed: bool = False
) -> ScoringRound:
    """Publish the table; from now on the round is frozen and residents see their line.
    That cannot be undone, so it needs `confirmed` (the refusal says what would happen)."""
    require_city_office(scope, scoring_round.path)
    with transaction.atomic(durable=True):
        locked = ScoringRound.objects.select_for_update().get(pk=scoring_round.pk)
        if locked.is_published:
            raise DomainError(_("评分结果已公布。"), code="round_published")
        if not locked.scored_at:
            raise DomainError(_("请先评分再公布。"), code="round_not_scored")
        if not confirmed:
            raise DomainError(
                publishing_consequences(locked) + _("请确认后再公布。"),
                code="confirmation_required",
            )
        locked.status = RoundStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_at"])
        move_compounds(
            actor=actor,
            compound_ids=locked.entries.values_list("compound_id", flat=True),
            from_stages=(Stage.CONSULTED,),
            to_stage=Stage.CANDIDATE,
            reason=_("参加%(name)s") % {"name": locked.name},
        )
        events.round_published(actor=actor, scoring_round=locked)
    return locked

"""Random satisfaction checks after acceptance (满意度随机测评): the draw, the answers, closing.

Rules:
- Draw: the project's district task force or the city office (`rules.may_draw_sample`), for
  a project at `accepted`, once (a second draw is a 409: the published sample is final). The
  frame is the residents' households of the project's compounds, developer-unsold ones left
  out (`selectors.sampling.sampling_frame`). Confidence and margin default to the settings
  (ANJU_SATISFACTION_CONFIDENCE / _MARGIN) and may be set within 0.800–0.999 and
  0.010–0.200. The seed is `engine.new_seed()`; n, allocation and the chosen households come
  from `anju.engine.sampling`; each sampled household is stored with its public label and
  rank key. The survey takes answers until today + ANJU_SATISFACTION_OPEN_DAYS.
- Answers: only a sampled household, once (a second answer is a 409), while the survey is
  open (closes_on inclusive, not closed early). The household answers on the portal; staff
  (community worker, street office, district task force, city office —
  `rules.may_record_satisfaction_answer`) record a phone or visit answer, the channel and the
  recorder logged. A household outside the sample is refused (403) and nothing is written.
- Close: by the district or city office, or by the duty once closes_on has passed. Closing
  moves the project accepted → stewarded when every compound of the project has its
  management scheme (stewardship's ManagementScheme), in the same transaction
  (design's move_project_stage); otherwise the survey closes and the project stays
  `accepted`, and the message names the compounds still missing a scheme. Closing again a
  closed survey whose project is still `accepted` retries that move (the scheme may have come
  since); the duty retries it too.
Every write is audited (`events.satisfaction_*`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.core.actors import WORKER, SystemActor
from anju.core.calendar import SHANGHAI
from anju.core.errors import Conflict, DomainError, PermissionDenied
from anju.core.scope import Scope
from anju.design.services.projects import move_project_stage
from anju.engine import sampling as engine
from anju.planning.models import Project
from anju.stewardship.models import ManagementScheme
from anju.territory.models import Compound, Household, Stage

from .. import events, rules
from ..models import SampledHousehold, SatisfactionAnswer, SatisfactionSurvey
from ..selectors import sampling as selectors

# Sensible bounds for the draw's parameters (the settings give the defaults, 95% / ±5%).
SAMPLING_CONFIDENCE_BOUNDS = ("0.800", "0.999")
SAMPLING_MARGIN_BOUNDS = ("0.010", "0.200")

# A household answering on the portal is not a user; the audit names the channel.
PORTAL = SystemActor("resident-portal")

STAFF_CHANNELS = (SatisfactionAnswer.Channel.PHONE, SatisfactionAnswer.Channel.VISIT)


def _today(now: dt.datetime | None) -> dt.date:
    return (now or timezone.now()).astimezone(SHANGHAI).date()


# --- the draw ---------------------------------------------------------------------------------


def check_draw(*, scope: Scope, project: Project, confidence, margin) -> tuple[Decimal, Decimal]:
    """Refuse a draw before anything is written; the parameters as exact decimals."""
    if not rules.may_draw_sample(scope, project):
        raise PermissionDenied(_("只有项目所在区的工作专班或市改造办可以抽取满意度测评样本。"))
    confidence = _parameter(
        confidence, settings.ANJU_SATISFACTION_CONFIDENCE, SAMPLING_CONFIDENCE_BOUNDS, "confidence"
    )
    margin = _parameter(margin, settings.ANJU_SATISFACTION_MARGIN, SAMPLING_MARGIN_BOUNDS, "margin")
    return confidence, margin


def draw_sample(
    *,
    actor,
    scope: Scope,
    project: Project,
    confidence=None,
    margin=None,
    now: dt.datetime | None = None,
) -> SatisfactionSurvey:
    """Draw the project's satisfaction sample from a fresh seed and record it."""
    confidence, margin = check_draw(
        scope=scope, project=project, confidence=confidence, margin=margin
    )
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if SatisfactionSurvey.objects.filter(project=locked).exists():
            raise Conflict(
                _("本项目已抽取过满意度测评样本，样本一经公布不再重抽。"), code="already_drawn"
            )
        if locked.stage != Stage.ACCEPTED:
            raise DomainError(
                _("项目处于“%(stage)s”阶段；联合验收通过后才能抽取满意度测评样本。")
                % {"stage": locked.get_stage_display()},
                code="not_accepted",
            )
        frame = selectors.sampling_frame(locked)
        if frame.population == 0:
            raise DomainError(
                _("本项目的小区没有可抽取的住户（开发商未售房屋不计入）。"), code="no_households"
            )
        size = engine.sample_size(frame.population, confidence=str(confidence), margin=str(margin))
        seed = engine.new_seed()
        drawn = engine.draw(frame.strata, seed, size.n)
        survey = SatisfactionSurvey(
            project=locked,
            seed=seed,
            confidence=confidence,
            margin=margin,
            population=frame.population,
            n0=Decimal(str(size.n0)).quantize(Decimal("0.01")),
            sample_size=size.n,
            drawn_by=actor if getattr(actor, "pk", None) else None,
            drawn_at=now,
            closes_on=_today(now) + dt.timedelta(days=settings.ANJU_SATISFACTION_OPEN_DAYS),
        )
        _full_clean(survey, exclude=["drawn_by"])
        survey.save()
        rows = []
        for stratum, labels in drawn.chosen.items():
            building = frame.buildings[stratum]
            for label in labels:
                rows.append(
                    SampledHousehold(
                        survey=survey,
                        household=frame.households[label],
                        building=building,
                        household_code=label,
                        rank_key=engine.rank_key(seed, label),
                    )
                )
        SampledHousehold.objects.bulk_create(rows)
        events.satisfaction_drawn(actor=actor, survey=survey, allocation=drawn.allocation)
    project.satisfaction_survey = survey
    return survey


def _parameter(value, default: str, bounds: tuple[str, str], name: str) -> Decimal:
    if value is None or value == "":
        value = default
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        number = None
    low, high = (Decimal(bound) for bound in bounds)
    if number is None or not number.is_finite() or not low <= number <= high:
        message = _("应在 %(low)s 至 %(high)s 之间。") % {"low": low, "high": high}
        raise DomainError(
            _("抽样参数有误：%(message)s") % {"message": message},
            code="invalid_parameter",
            fields={name: [message]},
        )
    return number.quantize(Decimal("0.001"))


# --- answers ----------------------------------------------------------------------------------


def answer_survey(
    *,
    survey: SatisfactionSurvey,
    household: Household,
    overall: int,
    quality: int,
    conduct: int,
    comment: str = "",
    now: dt.datetime | None = None,
) -> SatisfactionAnswer:
    """A sampled household answers on the portal (the household is the session's)."""
    return _write_answer(
        actor=PORTAL,
        survey=survey,
        household=household,
        channel=SatisfactionAnswer.Channel.PORTAL,
        scores=(overall, quality, conduct),
        comment=comment,
        now=now,
    )


def record_answer(
    *,
    actor,
    scope: Scope,
    survey: SatisfactionSurvey,
    sampled: SampledHousehold,
    channel: str,
    overall: int,
    quality: int,
    conduct: int,
    comment: str = "",
    now: dt.datetime | None = None,
) -> SatisfactionAnswer:
    """Staff record a sampled household's answer given by phone or on a visit."""
    if not rules.may_record_satisfaction_answer(scope, survey.project):
        raise PermissionDenied(
            _("只有小区所在社区、街道、区的工作人员或市改造办可以代录满意度测评答卷。")
        )
    if channel not in STAFF_CHANNELS:
        message = _("请选择电话回访或入户走访。")
        raise DomainError(message, code="invalid_channel", fields={"channel": [message]})
    if sampled.survey_id != survey.pk:
        raise _not_sampled()
    return _write_answer(
        actor=actor,
        survey=survey,
        household=sampled.household,
        channel=channel,
        scores=(overall, quality, conduct),
        comment=comment,
        now=now,
    )


def _write_answer(*, actor, survey, household, channel, scores, comment, now) -> SatisfactionAnswer:
    now = now or timezone.now()
    overall, quality, conduct = scores
    with transaction.atomic(durable=True):
        survey = (
            SatisfactionSurvey.objects.select_for_update()
            .select_related("project")
            .get(pk=survey.pk)
        )
        sampled = SampledHousehold.objects.filter(survey=survey, household=household).first()
        if sampled is None:
            raise _not_sampled()
        if not selectors.is_open(survey, _today(now)):
            raise DomainError(
                _("满意度测评已于 %(date)s 结束，不再接收答卷。")
                % {"date": survey.closes_on.isoformat()},
                code="survey_closed",
            )
        if SatisfactionAnswer.objects.filter(survey=survey, household=household).exists():
            raise _already_answered()
        answer = SatisfactionAnswer(
            survey=survey,
            household=household,
            channel=channel,
            overall=overall,
            quality=quality,
            conduct=conduct,
            comment=(comment or "").strip(),
            recorded_by=actor if getattr(actor, "pk", None) else None,
            answered_at=now,
        )
        _full_clean(answer, exclude=["recorded_by"])
        try:
            with transaction.atomic():
                answer.save()
        except IntegrityError:
            raise _already_answered() from None
        events.satisfaction_answered(actor=actor, answer=answer, label=sampled.household_code)
    return answer


def _not_sampled() -> PermissionDenied:
    return PermissionDenied(
        _("您家不在本次满意度测评的随机样本中，无需作答。样本由公开的随机种子抽取，人人可复核。"),
    )


def _already_answered() -> Conflict:
    return Conflict(_("这户已经提交过满意度测评答卷，每户只答一次。"), code="already_answered")


# --- closing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Closing:
    """What closing did: the survey, whether the project moved to `stewarded`, and the
    compounds still missing a management scheme (empty when it moved)."""

    survey: SatisfactionSurvey
    stewarded: bool
    missing_schemes: list[Compound] = field(default_factory=list)

    @property
    def message(self) -> str:
        if self.stewarded:
            return _("满意度测评已结束，项目进入长效管理阶段。")
        if self.missing_schemes:
            return _(
                "满意度测评已结束，但项目仍停留在联合验收阶段：%(compounds)s 尚未制定长效管理方案。"
                "方案落实后再次点击“结束测评”或等待每日自动检查即可进入长效管理。"
            ) % {"compounds": "、".join(compound.name for compound in self.missing_schemes)}
        return _("满意度测评已结束。")


def close_survey(
    *, actor, scope: Scope, survey: SatisfactionSurvey, now: dt.datetime | None = None
) -> Closing:
    """Close the survey by hand (the district or the city office), before or after closes_on;
    on a closed survey of a project still `accepted`, retry the move to `stewarded`."""
    if not rules.may_draw_sample(scope, survey.project):
        raise PermissionDenied(_("只有项目所在区的工作专班或市改造办可以结束满意度测评。"))
    with transaction.atomic(durable=True):
        return _close(actor=actor, survey=survey, now=now or timezone.now(), by_hand=True)


def close_due_surveys(now: dt.datetime) -> dict:
    """The duty: close every open survey whose closes_on has passed, and retry the move to
    `stewarded` for closed ones still `accepted`. Idempotent."""
    today = _today(now)
    closed = moved = 0
    due = SatisfactionSurvey.objects.filter(closed_at__isnull=True, closes_on__lt=today)
    waiting = SatisfactionSurvey.objects.filter(
        closed_at__isnull=False, project__stage=Stage.ACCEPTED
    )
    for pk in list(due.values_list("pk", flat=True)) + list(waiting.values_list("pk", flat=True)):
        with transaction.atomic(durable=True):
            survey = SatisfactionSurvey.objects.get(pk=pk)
            was_open = survey.closed_at is None
            closing = _close(actor=WORKER, survey=survey, now=now, by_hand=False)
            closed += was_open
            moved += closing.stewarded
    return {"closed": closed, "stewarded": moved}


def _close(*, actor, survey, now, by_hand: bool) -> Closing:
    survey = (
        SatisfactionSurvey.objects.select_for_update().select_related("project").get(pk=survey.pk)
    )
    project = Project.objects.select_for_update().get(pk=survey.project_id)
    if survey.closed_at is not None and project.stage != Stage.ACCEPTED:
        if by_hand:
            raise Conflict(_("满意度测评已经结束。"), code="already_closed")
        return Closing(survey=survey, stewarded=False)
    first_close = survey.closed_at is None
    if first_close:
        survey.closed_at = now
        survey.save(update_fields=["closed_at"])
    missing = _compounds_without_scheme(project)
    stewarded = False
    if project.stage == Stage.ACCEPTED and not missing:
        move_project_stage(
            actor=actor,
            project=project,
            to_stage=Stage.STEWARDED,
            reason="满意度测评结束，长效管理方案已落实",
        )
        stewarded = True
    if first_close or stewarded:
        responses = SatisfactionAnswer.objects.filter(survey=survey).count()
        events.satisfaction_closed(
            actor=actor, survey=survey, responses=responses, stewarded=stewarded
        )
    survey.project = project
    return Closing(survey=survey, stewarded=stewarded, missing_schemes=missing)


def _compounds_without_scheme(project: Project) -> list[Compound]:
    with_scheme = ManagementScheme.objects.values("compound_id")
    return list(project.compounds.exclude(pk__in=with_scheme).order_by("code"))


def _full_clean(instance, *, exclude) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise DomainError(_("输入有误。"), code="invalid", fields=error.message_dict) from error

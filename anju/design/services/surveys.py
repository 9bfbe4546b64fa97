"""The survey (摸底调查): findings recorded, corrected and deleted in a project's compounds.

Rules:
- Who: `rules.may_survey` — the project's assigned designer or planner, or the district,
  street or community staff of the compound (the city office reads it only). Others 403.
- Where: the compound must be one of the project's, the building (optional: roads, refuse or
  parking are compound-wide) one of that compound's; anything else is refused (400) and
  nothing is written.
- When: while the project is `planned` or `designed`. Once its plan is noticed the survey is
  what the residents were shown, so it is closed; the project row is locked, so a finding and
  the notice cannot interleave.
- Photos: at most three, each checked by content and re-encoded without metadata by
  `engagement.photos.prepare_photo` (same limits and messages as residents' photos); they are
  checked before the transaction and their files removed again if it fails.
- After every change the compound's indicators for scoring (`planning.SurveyIndicators`) are
  recounted from all its findings, in the same transaction.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from anju.catalogue.models import ChecklistItem
from anju.core.errors import DomainError, PermissionDenied
from anju.core.scope import Scope
from anju.engagement.photos import MAX_PHOTOS, PreparedPhoto, prepare_photo
from anju.planning import services as planning_services
from anju.planning.models import Project
from anju.territory.models import Building, Compound, Stage

from .. import events, rules
from ..models import FindingPhoto, SurveyFinding

EDITABLE_STAGES = (Stage.PLANNED, Stage.DESIGNED)


def check_photos(uploads: Sequence) -> list[PreparedPhoto]:
    """Check and re-encode the uploads (no database); a refusal names the `photos` field."""
    uploads = [upload for upload in uploads if upload]
    if len(uploads) > MAX_PHOTOS:
        message = _("最多上传 3 张照片。")
        raise DomainError(message, code="too_many_photos", fields={"photos": [message]})
    prepared = []
    for upload in uploads:
        try:
            prepared.append(prepare_photo(upload))
        except ValidationError as error:
            raise DomainError(
                error.messages[0], code=error.code or "invalid", fields={"photos": error.messages}
            ) from error
    return prepared


def record_finding(
    *,
    actor,
    scope: Scope,
    project: Project,
    compound: Compound,
    checklist_item: ChecklistItem,
    severity: str,
    building: Building | None = None,
    note: str = "",
    photos: Sequence = (),
) -> SurveyFinding:
    """Record one finding (a shortfall or a hazard of the checklist) with up to three photos;
    the surveyor is the actor."""
    prepared = check_photos(photos)
    saved: list[FindingPhoto] = []
    try:
        with transaction.atomic(durable=True):
            _lock_open_survey(project)
            _check_place(scope, project, compound, building)
            _check_item(checklist_item)
            finding = SurveyFinding(
                project=project,
                compound=compound,
                building=building,
                checklist_item=checklist_item,
                severity=severity,
                note=note.strip(),
                surveyor=actor if getattr(actor, "pk", None) else None,
            )
            _full_clean(finding)
            finding.save()
            _store_photos(finding, prepared, saved)
            _recount(compound)
            events.finding_recorded(actor=actor, finding=finding)
    except Exception:
        _delete_files(saved)
        raise
    return finding


def correct_finding(
    *,
    actor,
    scope: Scope,
    finding: SurveyFinding,
    severity: str,
    note: str = "",
    building: Building | None = None,
) -> SurveyFinding:
    """Correct a finding's severity, note or building (the item stays: a different item is a
    different finding, deleted and recorded again)."""
    with transaction.atomic(durable=True):
        _lock_open_survey(finding.project)
        finding = SurveyFinding.objects.select_for_update().get(pk=finding.pk)
        _check_place(scope, finding.project, finding.compound, building)
        before = events.finding_snapshot(finding)
        finding.severity = severity
        finding.note = note.strip()
        finding.building = building
        _full_clean(finding)
        finding.save(update_fields=["severity", "note", "building"])
        _recount(finding.compound)
        events.finding_corrected(actor=actor, finding=finding, before=before)
    return finding


def delete_finding(*, actor, scope: Scope, finding: SurveyFinding) -> None:
    """Delete a finding recorded in error; its photos' files go once the transaction commits."""
    with transaction.atomic(durable=True):
        _lock_open_survey(finding.project)
        finding = SurveyFinding.objects.select_for_update().get(pk=finding.pk)
        _require_surveyor(scope, finding.project, finding.compound)
        before = events.finding_snapshot(finding)
        photos = list(finding.photos.all())
        finding.delete()
        _recount(finding.compound)
        events.finding_deleted(actor=actor, finding=finding, before=before)
        transaction.on_commit(lambda: _delete_files(photos))


# --- the rules, in the order they are checked ------------------------------------------------


def _lock_open_survey(project: Project) -> Project:
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if locked.stage not in EDITABLE_STAGES:
        raise DomainError(
            _("项目已进入“%(stage)s”阶段，摸底调查已结束，不能再增加、更正或删除调查发现。")
            % {"stage": locked.get_stage_display()},
            code="survey_closed",
        )
    return locked


def _check_place(scope: Scope, project: Project, compound: Compound, building) -> None:
    if not project.compounds.filter(pk=compound.pk).exists():
        raise DomainError(
            _("该小区不属于本项目。"),
            code="compound_not_in_project",
            fields={"compound": [_("无效")]},
        )
    _require_surveyor(scope, project, compound)
    if building is not None and building.compound_id != compound.pk:
        raise DomainError(
            _("楼栋“%(building)s”不属于小区“%(compound)s”。")
            % {"building": building.number, "compound": compound.name},
            code="building_not_in_compound",
            fields={"building": [_("不属于该小区")]},
        )


def _require_surveyor(scope: Scope, project: Project, compound: Compound) -> None:
    if not rules.may_survey(scope, project, compound):
        raise PermissionDenied(
            _("只有本项目委托的设计单位和该小区所在区、街道、社区的工作人员可以记录摸底调查。")
        )


def _check_item(item: ChecklistItem) -> None:
    if not item.is_active:
        raise DomainError(
            _("检查项“%(item)s”已停用。") % {"item": item},
            code="checklist_item_inactive",
            fields={"checklist_item": [_("已停用")]},
        )


def _full_clean(finding: SurveyFinding) -> None:
    try:
        # A system actor (the CLI, an import) records no surveyor; a person always does.
        finding.full_clean(exclude=["surveyor"])
    except ValidationError as error:
        fields = error.message_dict
        message = _("未知的严重程度。") if "severity" in fields else _("调查发现填写有误。")
        raise DomainError(message, code="invalid", fields=fields) from error


def _recount(compound: Compound) -> None:
    """The compound's hazards and shortfalls by severity, from all its findings, for scoring."""
    counts = {kind: Counter() for kind in ChecklistItem.Kind.values}
    rows = (
        SurveyFinding.objects.filter(compound=compound)
        .values_list("checklist_item__kind", "severity")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for kind, severity, n in rows:
        counts[kind][severity] = n
    planning_services.record_survey_indicators(
        compound=compound,
        safety_hazards=dict(counts[ChecklistItem.Kind.HAZARD]),
        facility_gaps=dict(counts[ChecklistItem.Kind.SHORTFALL]),
    )


def _store_photos(finding: SurveyFinding, photos: list[PreparedPhoto], saved: list) -> None:
    """Files first, then rows; `saved` collects every file written, for removal on failure."""
    for prepared in photos:
        photo = FindingPhoto(finding=finding, width=prepared.width, height=prepared.height)
        photo.image.save(uuid.uuid4().hex + ".jpg", ContentFile(prepared.content), save=False)
        saved.append(photo)
        photo.save()


def _delete_files(photos) -> None:
    for photo in photos:
        if photo.image.name:
            photo.image.storage.delete(photo.image.name)

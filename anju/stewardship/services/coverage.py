"""Writes of coverage (物业服务覆盖、党组织全覆盖): property-service contracts, the compound's
governance profile with its owners' committee, and the party members registered in the
community (下沉党员) with their service hours.

The registry's `Compound` carries the three facts every coverage figure counts, and only these
services write them, each through `_save_compound` (an instance save, so simple-history keeps
the row that `Compound.history.as_of(day)` reads for coverage over time; never
`QuerySet.update`):
- `management_status` follows the contracts: a current contract gives its service kind
  (professional / red property); with none current, the status a keeper set for the
  non-company cases (owners' self-management, street-managed, none) stays, and a status that
  came from a contract falls back to "none".
- `has_owners_committee`: an owners' committee is recorded (elected on a day) and its term is
  not over (a committee serves a fixed term, 业主大会和业主委员会指导规则; it still counts on
  the term's last day). Saving the profile sets it; time passing is applied by
  `sync_owners_committee_terms(day)`, a daily duty of its own (beside the contracts' duty,
  which looks only at contracts): from the day after the term ends the flag is off, and a
  committee in office on the day turns a flag that is off back on. The profile decides only
  where it records a committee: a compound without a profile, or whose profile records no
  election and no term end, keeps what the registry says. Each change the duty makes is a
  `stewardship.coverage_changed` event by the worker with a `reason` naming the term's end or
  the election; a second run finds nothing out of step and writes nothing.
- `party_organisation`: own branch, joint branch or none, from the profile.

A current contract also gives the company's staff the compound (an access
`CompoundAssignment`, audited like access's own); when the company has no current contract
for the compound any more, the assignment goes. Contracts that start or end on a later day
are brought in step by `sync_contract_coverage(day)`, a daily duty.

Who: the compound's district, street or community (`rules.may_edit_coverage`); outside the
viewer's territory every service answers not-found.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.access import events as access_events
from anju.access.models import CompoundAssignment, Organisation
from anju.core.actors import WORKER
from anju.core.audit import snapshot
from anju.core.calendar import SHANGHAI
from anju.core.calendar import today as local_today
from anju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from anju.core.scope import Scope
from anju.territory.models import Compound, Household, ManagementStatus, PartyOrganisation

from .. import events
from ..models import (
    CONTRACT_STATUSES,
    CommitteeMember,
    GovernanceProfile,
    PartyMember,
    PropertyContract,
    ServiceRecord,
)
from ..rules import may_edit_coverage

COVERAGE_FIELDS = ["management_status", "has_owners_committee", "party_organisation"]
PROFILE_FIELDS = [
    "residents_committee",
    "owners_committee_elected_on",
    "owners_committee_term_ends_on",
    "party_branch_name",
    "party_branch_secretary",
]
# What a keeper sets by hand when no company serves the compound.
NON_COMPANY_STATUSES = (
    ManagementStatus.SELF_MANAGED,
    ManagementStatus.STREET_MANAGED,
    ManagementStatus.NONE,
)


# --- checks -------------------------------------------------------------------------------


def check_may_edit(scope: Scope, compound: Compound) -> None:
    """Not-found outside the viewer's territory (or assignments), forbidden for viewers who may
    see the compound but not keep its coverage (a property company, the city office)."""
    if not scope.covers_path(compound.path) and compound.pk not in scope.compound_ids:
        raise NotFound()
    if not may_edit_coverage(scope, compound):
        raise PermissionDenied(_("只有小区所在的区、街道或社区可以维护物业和党组织覆盖信息。"))


def _invalid(error: ValidationError) -> DomainError:
    fields = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    first = next(iter(fields.values()))[0]
    return DomainError(first, code="invalid", fields=fields)


def _clean(instance) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        raise _invalid(error) from None


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _locked(compound: Compound) -> Compound:
    """The compound row locked: contracts of one compound are checked and written one at a
    time (two keepers recording overlapping contracts at once cannot both succeed)."""
    return Compound.objects.select_for_update().select_related("community").get(pk=compound.pk)


def _overlap_q(starts_on: dt.date, last_day: dt.date | None) -> Q:
    """Contracts whose [start, last day] meets [starts_on, last_day] (open ends are endless)."""
    q = Q(ended_early_on__gte=starts_on) | (
        Q(ended_early_on__isnull=True) & (Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    )
    if last_day is not None:
        q &= Q(starts_on__lte=last_day)
    return q


# --- the compound's three fields ----------------------------------------------------------


def _save_compound(*, actor, compound: Compound, reason: str = "", **changes) -> Compound:
    """Write the compound's coverage fields with history (an instance save) and audit them;
    `reason`, when given, is kept in the event (why a duty, not a person, changed them)."""
    assert transaction.get_connection().in_atomic_block
    before = snapshot(compound, COVERAGE_FIELDS)
    for name, value in changes.items():
        setattr(compound, name, value)
    after = snapshot(compound, COVERAGE_FIELDS)
    if before == after:
        return compound
    compound.save(update_fields=[*changes, "updated_at"])
    events.coverage_changed(
        actor=actor, compound=compound, before=before, after=after, reason=reason
    )
    return compound


def _current_contracts(compound: Compound, day: dt.date):
    return (
        PropertyContract.objects.filter(compound=compound, starts_on__lte=day)
        .filter(_overlap_q(day, day))
        .select_related("company")
        .order_by("-starts_on", "-pk")
    )


def _sync_compound(*, actor, compound: Compound, day: dt.date) -> None:
    """Bring the compound's management status and its companies' assignments in step with the
    contracts current on `day`."""
    assert transaction.get_connection().in_atomic_block
    current = list(_current_contracts(compound, day))
    if current:
        status = current[0].service_kind
    elif compound.management_status in CONTRACT_STATUSES:
        status = ManagementStatus.NONE
    else:
        status = compound.management_status
    _save_compound(actor=actor, compound=compound, management_status=status)

    serving = {contract.company_id for contract in current}
    ever = set(
        PropertyContract.objects.filter(compound=compound).values_list("company_id", flat=True)
    )
    assignments = {
        assignment.organisation_id: assignment
        for assignment in CompoundAssignment.objects.filter(
            compound=compound, organisation_id__in=ever | serving
        ).select_related("organisation", "compound")
    }
    for contract in current:
        if contract.company_id not in assignments:
            assignment = CompoundAssignment(organisation=contract.company, compound=compound)
            assignment.save()
            assignments[contract.company_id] = assignment
            access_events.compound_assigned(actor=actor, assignment=assignment)
    for company_id, assignment in assignments.items():
        if company_id not in serving:
            access_events.compound_unassigned(actor=actor, assignment=assignment)
            assignment.delete()


# --- property contracts -------------------------------------------------------------------


def record_property_contract(
    *,
    actor,
    scope: Scope,
    compound: Compound,
    company: Organisation,
    service_kind: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    monthly_fee_per_m2: Decimal | None = None,
    note: str = "",
) -> PropertyContract:
    """A property company serves the compound from `starts_on` (to `ends_on`, open-ended when
    blank). Two contracts of one compound may not run on the same day (409)."""
    check_may_edit(scope, compound)
    if company.kind != Organisation.Kind.PROPERTY:
        raise DomainError(
            _("“%(name)s”不是物业企业。") % {"name": company.name},
            code="not_a_property_company",
            fields={"company": [_("请选择物业企业。")]},
        )
    with transaction.atomic(durable=True):
        compound = _locked(compound)
        contract = PropertyContract(
            compound=compound,
            company=company,
            service_kind=service_kind,
            starts_on=starts_on,
            ends_on=ends_on,
            monthly_fee_per_m2=monthly_fee_per_m2,
            note=note.strip(),
            recorded_by=_user(actor),
        )
        _clean(contract)
        clash = (
            PropertyContract.objects.filter(compound=compound)
            .filter(_overlap_q(starts_on, ends_on))
            .select_related("company")
            .first()
        )
        if clash is not None:
            raise Conflict(
                _("该小区在 %(start)s 起已有“%(company)s”的物业服务合同，合同期不能重叠。")
                % {"start": clash.starts_on.isoformat(), "company": clash.company.name},
                code="contract_overlap",
                fields={"starts_on": [_("与现有合同重叠")]},
            )
        contract.save()
        events.contract_recorded(actor=actor, contract=contract)
        _sync_compound(actor=actor, compound=compound, day=local_today())
    return contract


def end_property_contract(
    *, actor, scope: Scope, contract: PropertyContract, ended_on: dt.date, note: str = ""
) -> PropertyContract:
    """End a contract early on `ended_on` (its last day of service)."""
    check_may_edit(scope, contract.compound)
    with transaction.atomic(durable=True):
        compound = _locked(contract.compound)
        contract = PropertyContract.objects.select_related("company").get(pk=contract.pk)
        contract.compound = compound
        if contract.ended_early_on is not None:
            raise Conflict(
                _("该合同已于 %(day)s 终止。") % {"day": contract.ended_early_on.isoformat()},
                code="contract_already_ended",
            )
        if ended_on < contract.starts_on or (contract.ends_on and ended_on > contract.ends_on):
            raise DomainError(
                _("终止日期应在合同期内。"),
                code="invalid",
                fields={"ended_on": [_("应在合同期内")]},
            )
        contract.ended_early_on = ended_on
        if note.strip():
            contract.note = (contract.note + " " + note.strip()).strip()[:300]
        _clean(contract)
        contract.save()
        events.contract_ended(actor=actor, contract=contract, note=note.strip())
        _sync_compound(actor=actor, compound=compound, day=local_today())
    return contract


def set_management_status(*, actor, scope: Scope, compound: Compound, status: str) -> Compound:
    """A compound no company serves: owners' self-management, street-managed, or none."""
    check_may_edit(scope, compound)
    if status not in NON_COMPANY_STATUSES:
        raise DomainError(
            _("专业物业和红色物业请登记物业服务合同。"),
            code="status_needs_contract",
            fields={"status": [_("请登记物业服务合同")]},
        )
    with transaction.atomic(durable=True):
        compound = _locked(compound)
        if _current_contracts(compound, local_today()).exists():
            raise Conflict(
                _("该小区有正在履行的物业服务合同，请先终止合同。"),
                code="contract_current",
                fields={"status": [_("有正在履行的合同")]},
            )
        return _save_compound(actor=actor, compound=compound, management_status=status)


def sync_contract_coverage(day: dt.date | None = None) -> int:
    """The daily duty: compounds whose contracts began or ended around `day` get their status
    and assignments brought in step (a contract recorded ahead of its start, or ending on its
    own date). Returns how many compounds were checked."""
    day = day or local_today()
    window = Q(starts_on__gte=day - dt.timedelta(days=7), starts_on__lte=day) | Q(
        ends_on__gte=day - dt.timedelta(days=7), ends_on__lt=day
    )
    window |= Q(ended_early_on__gte=day - dt.timedelta(days=7), ended_early_on__lt=day)
    compound_ids = sorted(
        set(PropertyContract.objects.filter(window).values_list("compound_id", flat=True))
    )
    for compound_id in compound_ids:
        with transaction.atomic(durable=True):
            compound = Compound.objects.select_for_update().get(pk=compound_id)
            _sync_compound(actor=None, compound=compound, day=day)
    return len(compound_ids)


def contract_coverage_duty(now: dt.datetime) -> dict:
    """The registered daily duty (`anju duties`, the worker): `sync_contract_coverage` for the
    day `now` falls on in Asia/Shanghai."""
    day = timezone.localtime(now, SHANGHAI).date()
    return {"compounds_checked": sync_contract_coverage(day)}


# --- governance profile and owners' committee ----------------------------------------------


def owners_committee_in_office(profile: GovernanceProfile, day: dt.date) -> bool:
    elected = profile.owners_committee_elected_on
    term_ends = profile.owners_committee_term_ends_on
    return elected is not None and elected <= day and (term_ends is None or term_ends >= day)


def _in_office_q(day: dt.date) -> Q:
    """Profiles whose owners' committee is in office on `day` (`owners_committee_in_office`)."""
    return Q(owners_committee_elected_on__lte=day) & (
        Q(owners_committee_term_ends_on__isnull=True) | Q(owners_committee_term_ends_on__gte=day)
    )


def _committee_on(profile: GovernanceProfile, day: dt.date) -> tuple[bool, str] | None:
    """What the profile says of `has_owners_committee` on `day`, and why; None when it records
    no committee whose term has ended or is running (the registry's value stands)."""
    term_ends = profile.owners_committee_term_ends_on
    if term_ends is not None and term_ends < day:
        return False, _("业委会任期已于 %(day)s 届满。") % {"day": term_ends.isoformat()}
    if owners_committee_in_office(profile, day):
        return True, _("业委会于 %(day)s 成立，仍在任期内。") % {
            "day": profile.owners_committee_elected_on.isoformat()
        }
    return None


def sync_owners_committee_terms(day: dt.date | None = None) -> dict:
    """The daily duty: compounds whose `has_owners_committee` disagrees with their profile's
    owners' committee on `day` (a term ended before it, or a committee in office while the flag
    is off) get the flag the profile gives, through `_save_compound` with the reason. Each
    compound is re-read under its lock (a profile saved meanwhile wins); a second run finds
    none. Returns how many flags went off (`terms_ended`) and on (`in_office`)."""
    day = day or local_today()
    out_of_step = Q(owners_committee_term_ends_on__lt=day, compound__has_owners_committee=True) | (
        _in_office_q(day) & Q(compound__has_owners_committee=False)
    )
    compound_ids = sorted(
        GovernanceProfile.objects.filter(out_of_step).values_list("compound_id", flat=True)
    )
    counts = {"terms_ended": 0, "in_office": 0}
    for compound_id in compound_ids:
        with transaction.atomic(durable=True):
            compound = Compound.objects.select_for_update().get(pk=compound_id)
            profile = GovernanceProfile.objects.filter(compound=compound).first()
            wanted = _committee_on(profile, day) if profile is not None else None
            if wanted is None or compound.has_owners_committee == wanted[0]:
                continue
            has_committee, reason = wanted
            compound._change_reason = "owners_committee_term"
            _save_compound(
                actor=WORKER, compound=compound, reason=reason, has_owners_committee=has_committee
            )
            counts["in_office" if has_committee else "terms_ended"] += 1
    return counts


def owners_committee_term_duty(now: dt.datetime) -> dict:
    """The registered daily duty (`anju duties`, the worker): `sync_owners_committee_terms`
    for the day `now` falls on in Asia/Shanghai."""
    return sync_owners_committee_terms(timezone.localtime(now, SHANGHAI).date())


def save_governance_profile(
    *,
    actor,
    scope: Scope,
    compound: Compound,
    residents_committee: str = "",
    owners_committee_elected_on: dt.date | None = None,
    owners_committee_term_ends_on: dt.date | None = None,
    party_organisation: str = PartyOrganisation.NONE,
    party_branch_name: str = "",
    party_branch_secretary: str = "",
) -> GovernanceProfile:
    """The compound's residents' committee, owners' committee (elected, term) and party
    organisation; the compound's `has_owners_committee` and `party_organisation` follow."""
    check_may_edit(scope, compound)
    fields: dict[str, list] = {}
    today = local_today()
    if party_organisation not in PartyOrganisation.values:
        fields["party_organisation"] = [_("无效的选项")]
    if party_organisation != PartyOrganisation.NONE and not party_branch_name.strip():
        fields["party_branch_name"] = [_("请填写党组织名称")]
    if owners_committee_elected_on and owners_committee_elected_on > today:
        fields["owners_committee_elected_on"] = [_("不能晚于今天")]
    if owners_committee_term_ends_on and not owners_committee_elected_on:
        fields["owners_committee_elected_on"] = [_("请填写业委会成立日期")]
    if (
        owners_committee_elected_on
        and owners_committee_term_ends_on
        and owners_committee_term_ends_on < owners_committee_elected_on
    ):
        fields["owners_committee_term_ends_on"] = [_("不能早于成立日期")]
    if fields:
        raise DomainError(next(iter(fields.values()))[0], code="invalid", fields=fields)
    with transaction.atomic(durable=True):
        compound = _locked(compound)
        profile = GovernanceProfile.objects.select_for_update().filter(compound=compound).first()
        before = snapshot(profile, PROFILE_FIELDS) if profile else {}
        profile = profile or GovernanceProfile(compound=compound)
        profile.residents_committee = residents_committee.strip()
        profile.owners_committee_elected_on = owners_committee_elected_on
        profile.owners_committee_term_ends_on = owners_committee_term_ends_on
        if party_organisation == PartyOrganisation.NONE:
            party_branch_name = party_branch_secretary = ""
        profile.party_branch_name = party_branch_name.strip()
        profile.party_branch_secretary = party_branch_secretary.strip()
        profile.updated_by = _user(actor)
        _clean(profile)
        profile.save()
        events.governance_profile_saved(
            actor=actor, profile=profile, before=before, after=snapshot(profile, PROFILE_FIELDS)
        )
        _save_compound(
            actor=actor,
            compound=compound,
            has_owners_committee=owners_committee_in_office(profile, today),
            party_organisation=party_organisation,
        )
    return profile


def add_committee_member(
    *,
    actor,
    scope: Scope,
    compound: Compound,
    name: str,
    position: str = CommitteeMember.Position.MEMBER,
    household: Household | None = None,
) -> CommitteeMember:
    """A member of the owners' committee (recorded once the committee is)."""
    check_may_edit(scope, compound)
    if household is not None and household.unit.building.compound_id != compound.pk:
        raise DomainError(
            _("该住户不在本小区。"),
            code="household_not_in_compound",
            fields={"household": [_("无效")]},
        )
    with transaction.atomic(durable=True):
        profile = GovernanceProfile.objects.filter(compound=compound).first()
        if profile is None or profile.owners_committee_elected_on is None:
            raise DomainError(
                _("请先登记业委会成立日期。"),
                code="no_owners_committee",
                fields={"name": [_("尚未登记业委会")]},
            )
        member = CommitteeMember(
            profile=profile, name=name.strip(), position=position, household=household
        )
        _clean(member)
        member.save()
        events.committee_member_added(actor=actor, member=member)
    return member


def remove_committee_member(*, actor, scope: Scope, member: CommitteeMember) -> None:
    check_may_edit(scope, member.profile.compound)
    with transaction.atomic(durable=True):
        events.committee_member_removed(actor=actor, member=member)
        member.delete()


# --- party members (下沉党员) and their service -------------------------------------------


def register_party_member(
    *,
    actor,
    scope: Scope,
    compound: Compound,
    name: str,
    registered_on: dt.date,
    phone: str = "",
    home_organisation: str = "",
) -> PartyMember:
    """A party member reports to the community to serve this compound (报到)."""
    check_may_edit(scope, compound)
    if registered_on > local_today():
        raise DomainError(
            _("报到日期不能晚于今天。"),
            code="invalid",
            fields={"registered_on": [_("不能晚于今天")]},
        )
    phone = phone.strip().replace(" ", "")
    if phone and not (phone.isascii() and phone.lstrip("+").replace("-", "").isdigit()):
        raise DomainError(
            _("联系电话只能包含数字。"), code="invalid", fields={"phone": [_("只能包含数字")]}
        )
    with transaction.atomic(durable=True):
        member = PartyMember(
            compound=compound,
            name=name.strip(),
            phone=phone,
            home_organisation=home_organisation.strip(),
            registered_on=registered_on,
            recorded_by=_user(actor),
        )
        _clean(member)
        member.save()
        events.party_member_registered(actor=actor, member=member)
    return member


def record_party_member_leaving(
    *, actor, scope: Scope, member: PartyMember, left_on: dt.date
) -> PartyMember:
    check_may_edit(scope, member.compound)
    if member.left_on is not None:
        raise Conflict(_("该党员已登记离开。"), code="already_left")
    if left_on < member.registered_on or left_on > local_today():
        raise DomainError(
            _("离开日期应在报到日期和今天之间。"),
            code="invalid",
            fields={"left_on": [_("应在报到日期和今天之间")]},
        )
    with transaction.atomic(durable=True):
        member = PartyMember.objects.select_for_update().get(pk=member.pk)
        if member.left_on is not None:
            raise Conflict(_("该党员已登记离开。"), code="already_left")
        member.left_on = left_on
        _clean(member)
        member.save()
        events.party_member_left(actor=actor, member=member)
    return member


def record_service(
    *,
    actor,
    scope: Scope,
    member: PartyMember,
    served_on: dt.date,
    hours: Decimal,
    activity: str,
) -> ServiceRecord:
    """Hours a registered party member served the compound, on a day while registered."""
    check_may_edit(scope, member.compound)
    last_day = min(member.left_on or local_today(), local_today())
    if served_on < member.registered_on or served_on > last_day:
        raise DomainError(
            _("服务日期应在报到之后、离开之前，且不晚于今天。"),
            code="invalid",
            fields={"served_on": [_("不在报到期间")]},
        )
    with transaction.atomic(durable=True):
        record = ServiceRecord(
            member=member,
            served_on=served_on,
            hours=hours,
            activity=activity.strip(),
            recorded_by=_user(actor),
        )
        _clean(record)
        record.save()
        events.service_recorded(actor=actor, record=record)
    return record

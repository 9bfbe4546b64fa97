"""Naming the parties of an approved project: its construction, supervision and design units.

- The project's district task force (or the city office) names them, changes and removes them
  while the project is approved and not yet building (`rules.may_name_parties`).
- One party per role; the organisation must be of the role's kind and carry a unified social
  credit code (GB 32100-2015, validated on the organisation); a responsible person and a phone;
  a contract sum ≥ 0; contract dates that make sense (end ≥ start, signed no later than the
  end, signed not in the future).
- Naming gives the organisation each of the project's compounds (access's audited
  CompoundAssignment, as design's `assign_project` does), so its staff see the project;
  changing or removing a party releases the compounds no other party or design assignment of
  that organisation still needs.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from anju.access import administration
from anju.access import rules as access_rules
from anju.access.models import CompoundAssignment, Organisation
from anju.core.calendar import today
from anju.core.errors import DomainError, PermissionDenied
from anju.core.scope import Scope
from anju.planning.models import Project

from .. import events, rules
from ..models import PartyRole, ProjectParty

PHONE = re.compile(r"^\+?[0-9][0-9\- ]{6,18}[0-9]$")

PARTY_FIELDS = (
    "organisation",
    "responsible_person",
    "responsible_phone",
    "contract_sum",
    "contract_signed_on",
    "starts_on",
    "ends_on",
)


def check_may_name(scope: Scope, project: Project) -> None:
    if not rules.may_manage_construction(scope, project):
        raise PermissionDenied(_("只有项目所在区的工作专班或市改造办可以确定参建单位。"))
    if not rules.may_name_parties(scope, project):
        raise DomainError(
            _("参建单位只能在项目通过联合审查、开工之前确定或变更。"), code="wrong_stage"
        )


def check_terms(
    *,
    responsible_person: str,
    responsible_phone: str,
    contract_sum,
    contract_signed_on: dt.date | None,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
) -> None:
    """The contract's terms across fields (each field's own shape is the form's)."""
    errors: dict[str, list] = {}
    if not responsible_person.strip():
        errors["responsible_person"] = [_("请填写项目负责人。")]
    if not PHONE.match(responsible_phone.strip()):
        errors["responsible_phone"] = [_("请填写有效的联系电话。")]
    if contract_sum is None or Decimal(contract_sum) < 0:
        errors["contract_sum"] = [_("合同金额不能为负数。")]
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("合同结束日期不能早于开始日期。")]
    if contract_signed_on and ends_on and contract_signed_on > ends_on:
        errors["contract_signed_on"] = [_("合同签订日期不能晚于合同结束日期。")]
    elif contract_signed_on and contract_signed_on > today():
        errors["contract_signed_on"] = [_("合同签订日期不能晚于今天。")]
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(first, code="invalid_contract", fields=errors)


def _full_clean(party: ProjectParty) -> None:
    try:
        party.full_clean(exclude=["project", "named_by"])
    except ValidationError as error:
        fields = error.message_dict
        first = next(iter(fields.values()))[0]
        raise DomainError(first, code="invalid_party", fields=fields) from error


def name_party(
    *,
    actor,
    scope: Scope,
    project: Project,
    role: str,
    organisation: Organisation | None,
    responsible_person: str,
    responsible_phone: str,
    contract_sum,
    contract_signed_on: dt.date,
    starts_on: dt.date,
    ends_on: dt.date,
) -> ProjectParty:
    """The district names one of the project's parties; its staff get the project's compounds."""
    check_may_name(scope, project)
    if role not in PartyRole.values:
        raise DomainError(_("请选择参建角色。"), fields={"role": [_("未知的参建角色")]})
    if organisation is None:
        raise DomainError(_("找不到该机构。"), fields={"organisation": [_("找不到该机构")]})
    check_terms(
        responsible_person=responsible_person,
        responsible_phone=responsible_phone,
        contract_sum=contract_sum,
        contract_signed_on=contract_signed_on,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    authority = access_rules.authority_of(actor)
    with transaction.atomic(durable=True):
        project = Project.objects.select_for_update().get(pk=project.pk)
        check_may_name(scope, project)
        if ProjectParty.objects.filter(project=project, role=role).exists():
            raise DomainError(
                _("本项目已确定%(role)s，如需更换请变更。") % {"role": PartyRole(role).label},
                code="already_named",
                fields={"role": [_("该角色已确定")]},
            )
        party = ProjectParty(
            project=project,
            role=role,
            organisation=organisation,
            responsible_person=responsible_person.strip(),
            responsible_phone=responsible_phone.strip(),
            contract_sum=Decimal(contract_sum),
            contract_signed_on=contract_signed_on,
            starts_on=starts_on,
            ends_on=ends_on,
            named_by=actor if getattr(actor, "pk", None) else None,
        )
        _full_clean(party)
        party.save()
        _give_compounds(
            actor=actor, authority=authority, project=project, organisation=organisation
        )
        events.party_named(actor=actor, party=party)
    return party


def change_party(
    *,
    actor,
    scope: Scope,
    party: ProjectParty,
    organisation: Organisation | None,
    responsible_person: str,
    responsible_phone: str,
    contract_sum,
    contract_signed_on: dt.date,
    starts_on: dt.date,
    ends_on: dt.date,
) -> ProjectParty:
    """Change a party's organisation or terms before building; a new organisation gets the
    compounds, the old one loses those it no longer needs."""
    check_may_name(scope, party.project)
    if organisation is None:
        raise DomainError(_("找不到该机构。"), fields={"organisation": [_("找不到该机构")]})
    check_terms(
        responsible_person=responsible_person,
        responsible_phone=responsible_phone,
        contract_sum=contract_sum,
        contract_signed_on=contract_signed_on,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    authority = access_rules.authority_of(actor)
    with transaction.atomic(durable=True):
        project = Project.objects.select_for_update().get(pk=party.project_id)
        check_may_name(scope, project)
        locked = (
            ProjectParty.objects.select_for_update().select_related("organisation").get(pk=party.pk)
        )
        locked.project = project
        before = events.party_snapshot(locked)
        old_organisation = locked.organisation
        locked.organisation = organisation
        locked.responsible_person = responsible_person.strip()
        locked.responsible_phone = responsible_phone.strip()
        locked.contract_sum = Decimal(contract_sum)
        locked.contract_signed_on = contract_signed_on
        locked.starts_on = starts_on
        locked.ends_on = ends_on
        _full_clean(locked)
        locked.save()
        if old_organisation.pk != organisation.pk:
            _give_compounds(
                actor=actor, authority=authority, project=project, organisation=organisation
            )
            _release_compounds(
                actor=actor, authority=authority, project=project, organisation=old_organisation
            )
        events.party_changed(actor=actor, party=locked, before=before)
    return locked


def remove_party(*, actor, scope: Scope, party: ProjectParty) -> None:
    """Remove a party named in error, before building."""
    check_may_name(scope, party.project)
    authority = access_rules.authority_of(actor)
    with transaction.atomic(durable=True):
        project = Project.objects.select_for_update().get(pk=party.project_id)
        check_may_name(scope, project)
        locked = ProjectParty.objects.select_related("organisation").get(pk=party.pk)
        locked.project = project
        events.party_removed(actor=actor, party=locked)
        organisation = locked.organisation
        locked.delete()
        _release_compounds(
            actor=actor, authority=authority, project=project, organisation=organisation
        )


def _give_compounds(*, actor, authority, project: Project, organisation: Organisation) -> None:
    held = set(
        CompoundAssignment.objects.filter(organisation=organisation).values_list(
            "compound_id", flat=True
        )
    )
    for compound in project.compounds.order_by("code"):
        if compound.pk not in held:
            administration._assign_organisation(
                actor=actor, authority=authority, organisation=organisation, compound=compound
            )


def _release_compounds(*, actor, authority, project: Project, organisation: Organisation) -> None:
    from anju.design.models import ProjectAssignment

    still_needed = set(
        ProjectParty.objects.filter(organisation=organisation).values_list(
            "project__compounds", flat=True
        )
    ) | set(
        ProjectAssignment.objects.filter(organisation=organisation).values_list(
            "project__compounds", flat=True
        )
    )
    released = CompoundAssignment.objects.filter(
        organisation=organisation, compound__in=project.compounds.all()
    ).exclude(compound_id__in=[pk for pk in still_needed if pk is not None])
    for compound_assignment in released.select_related("compound", "organisation"):
        administration._unassign_organisation(
            actor=actor, authority=authority, assignment=compound_assignment
        )

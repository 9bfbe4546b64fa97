"""Reads of coverage: a compound's contracts, governance profile and party members, and the
coverage report by district, street or community (物业服务覆盖率、业委会组建率、党组织覆盖率).

A compound counts as
- covered by property service when its `management_status` is professional or red property
  (a current contract sets it, `services.coverage`);
- covered by an owners' committee when `has_owners_committee` (recorded, term not over);
- covered by a party organisation when `party_organisation` is a joint or own branch.

Shares are per cent of the group's compounds, rounded half up to one decimal. The report reads
the compounds once (three fields and the path), groups them in Python by the path's prefix at
the chosen level and names the groups in one more query. Change over time reads
`Compound.history.as_of(moment)` once per time point (quarter ends of the last two years, then
today), so the history query count is the number of points.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from anju.core.calendar import today as local_today
from anju.core.errors import NotFound
from anju.core.scope import Scope
from anju.territory import paths
from anju.territory.models import Compound, ManagementStatus, Node, PartyOrganisation
from anju.territory.services import mask_phone

from ..models import (
    CONTRACT_STATUSES,
    CommitteeMember,
    GovernanceProfile,
    PartyMember,
    PropertyContract,
    ServiceRecord,
)

# Report levels and the path depth their groups sit at (the city is 0).
LEVELS = {"district": 1, "street": 2, "community": 3}
COVERAGE_VALUES = ("path", "management_status", "has_owners_committee", "party_organisation")
PROPERTY_SERVICE = tuple(str(s) for s in CONTRACT_STATUSES)
PARTY_COVERED = (PartyOrganisation.JOINT, PartyOrganisation.BRANCH)


def share(part: int, whole: int) -> Decimal | None:
    """Per cent, one decimal, half up; None for an empty group (no compounds, no share)."""
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def lacks(values: dict) -> list[str]:
    """Which of the three a compound lacks: "property", "owners_committee", "party"."""
    missing = []
    if values["management_status"] not in PROPERTY_SERVICE:
        missing.append("property")
    if not values["has_owners_committee"]:
        missing.append("owners_committee")
    if values["party_organisation"] not in PARTY_COVERED:
        missing.append("party")
    return missing


@dataclass
class CoverageRow:
    """One district, street or community (or the total): compounds and how many are covered."""

    code: str
    name: str
    path: str
    compounds: int = 0
    with_property: int = 0
    with_owners_committee: int = 0
    with_party: int = 0

    def add(self, values: dict) -> None:
        self.compounds += 1
        missing = lacks(values)
        self.with_property += "property" not in missing
        self.with_owners_committee += "owners_committee" not in missing
        self.with_party += "party" not in missing

    @property
    def property_share(self) -> Decimal | None:
        return share(self.with_property, self.compounds)

    @property
    def owners_committee_share(self) -> Decimal | None:
        return share(self.with_owners_committee, self.compounds)

    @property
    def party_share(self) -> Decimal | None:
        return share(self.with_party, self.compounds)


@dataclass
class CoveragePoint:
    """Coverage of the viewer's whole territory at the end of one day."""

    day: dt.date
    total: CoverageRow


@dataclass
class CoverageReport:
    level: str
    rows: list[CoverageRow]
    total: CoverageRow
    over_time: list[CoveragePoint] = field(default_factory=list)


def coverage_compounds(scope: Scope) -> QuerySet[Compound]:
    """The compounds a coverage figure counts: the viewer's territory (not assignments)."""
    return Compound.objects.filter(scope.path_q("path"))


def default_level(scope: Scope) -> str:
    """One level below the viewer's widest node: the city sees districts, a district its
    streets, a street (and a community) its communities."""
    shallowest = min((paths.depth(path) for path in scope.node_paths), default=0)
    for level, level_depth in LEVELS.items():
        if level_depth > shallowest:
            return level
    return "community"


def _group_path(path: str, level_depth: int) -> str:
    return paths.join_codes(paths.codes(path)[: level_depth + 1])


def _tally(values: Iterable[dict], level_depth: int | None) -> dict[str, CoverageRow]:
    groups: dict[str, CoverageRow] = {}
    for item in values:
        key = _group_path(item["path"], level_depth) if level_depth is not None else ""
        row = groups.get(key)
        if row is None:
            row = groups[key] = CoverageRow(code=paths.code_of(key), name="", path=key)
        row.add(item)
    return groups


def _total(rows: Iterable[CoverageRow], label: str = "") -> CoverageRow:
    total = CoverageRow(code="", name=label, path="")
    for row in rows:
        total.compounds += row.compounds
        total.with_property += row.with_property
        total.with_owners_committee += row.with_owners_committee
        total.with_party += row.with_party
    return total


def quarter_ends(day: dt.date, years: int = 2) -> list[dt.date]:
    """The quarter ends (31 Mar, 30 Jun, 30 Sep, 31 Dec) before `day`, the last `years`
    years of them, oldest first."""
    ends = []
    year, quarter = day.year, (day.month - 1) // 3  # the quarter before the current one
    for _ in range(4 * years):
        if quarter == 0:
            year, quarter = year - 1, 4
        month = quarter * 3
        last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
        ends.append(last)
        quarter -= 1
    return sorted(ends)


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def coverage_as_of(scope: Scope, day: dt.date) -> CoverageRow:
    """The viewer's territory as the registry's history stood at the end of `day` (one
    query)."""
    records = (
        Compound.history.as_of(_end_of(day)).filter(scope.path_q("path")).values(*COVERAGE_VALUES)
    )
    return _total(_tally(records, None).values())


def coverage_report(
    scope: Scope, *, level: str | None = None, over_time: bool = True, today: dt.date | None = None
) -> CoverageReport:
    """Coverage by district, street or community of the viewer's territory, the total, and
    (with `over_time`) the total at each of the last eight quarter ends and today."""
    level = level if level in LEVELS else default_level(scope)
    today = today or local_today()
    groups = _tally(coverage_compounds(scope).values(*COVERAGE_VALUES), LEVELS[level])
    names = dict(Node.objects.filter(path__in=list(groups)).values_list("path", "name"))
    rows = sorted(groups.values(), key=lambda row: row.path)
    for row in rows:
        row.name = names.get(row.path, row.code)
    report = CoverageReport(level=level, rows=rows, total=_total(rows))
    if over_time:
        points = [*quarter_ends(today), today]
        report.over_time = [CoveragePoint(day, coverage_as_of(scope, day)) for day in points]
    return report


@dataclass(frozen=True)
class UncoveredCompound:
    code: str
    name: str
    path: str
    management_status: str
    lacks: tuple[str, ...]

    @property
    def lacks_property(self) -> bool:
        return "property" in self.lacks

    @property
    def lacks_owners_committee(self) -> bool:
        return "owners_committee" in self.lacks

    @property
    def lacks_party(self) -> bool:
        return "party" in self.lacks

    def get_management_status_display(self) -> str:
        return str(ManagementStatus(self.management_status).label)


def uncovered_compounds(scope: Scope, *, lacking: str = "") -> list[UncoveredCompound]:
    """The viewer's compounds that lack property service, an owners' committee or a party
    organisation (or, with `lacking`, that one), in territory order."""
    uncovered = ~Q(management_status__in=PROPERTY_SERVICE)
    uncovered |= Q(has_owners_committee=False)
    uncovered |= ~Q(party_organisation__in=PARTY_COVERED)
    rows = []
    values = (
        coverage_compounds(scope)
        .filter(uncovered)
        .order_by("path")
        .values("code", "name", *COVERAGE_VALUES)
    )
    for item in values:
        missing = tuple(lacks(item))
        if lacking and lacking not in missing:
            continue
        rows.append(
            UncoveredCompound(
                code=item["code"],
                name=item["name"],
                path=item["path"],
                management_status=item["management_status"],
                lacks=missing,
            )
        )
    return rows


def node_names(rows: Iterable[UncoveredCompound], level_depth: int) -> dict[str, str]:
    """Names of the nodes at `level_depth` holding the rows' compounds (one query)."""
    wanted = {_group_path(row.path, level_depth) for row in rows}
    return dict(Node.objects.filter(path__in=wanted).values_list("path", "name"))


def group_name(names: dict[str, str], path: str, level_depth: int) -> str:
    return names.get(_group_path(path, level_depth), "")


# --- one compound -------------------------------------------------------------------------


def contracts_of(compound: Compound) -> QuerySet[PropertyContract]:
    return compound.property_contracts.select_related("company").order_by("-starts_on", "-pk")


def current_contract(compound: Compound, day: dt.date | None = None) -> PropertyContract | None:
    day = day or local_today()
    for contract in contracts_of(compound):
        if contract.is_current(day):
            return contract
    return None


def profile_of(compound: Compound) -> GovernanceProfile | None:
    return GovernanceProfile.objects.filter(compound=compound).first()


def committee_members_of(compound: Compound) -> QuerySet[CommitteeMember]:
    return CommitteeMember.objects.filter(profile__compound=compound).order_by("position", "name")


@dataclass(frozen=True)
class PartyMemberRow:
    """A party member as the viewer may see them: the phone masked unless the viewer's role
    works with residents directly (PIPL)."""

    pk: int
    name: str
    phone: str
    home_organisation: str
    registered_on: dt.date
    left_on: dt.date | None
    hours: Decimal
    services: int

    @property
    def is_active(self) -> bool:
        return self.left_on is None


def party_members_of(scope: Scope, compound: Compound) -> list[PartyMemberRow]:
    members = (
        PartyMember.objects.filter(compound=compound)
        .annotate(
            total_hours=Coalesce(Sum("services__hours"), Decimal("0")),
            service_count=Count("services"),
        )
        .order_by("left_on", "registered_on", "name")
    )
    personal = scope.may_see_personal_data
    return [
        PartyMemberRow(
            pk=member.pk,
            name=member.name,
            phone=member.phone if personal else mask_phone(member.phone),
            home_organisation=member.home_organisation,
            registered_on=member.registered_on,
            left_on=member.left_on,
            hours=member.total_hours,
            services=member.service_count,
        )
        for member in members
    ]


def services_of(member: PartyMember) -> QuerySet[ServiceRecord]:
    return member.services.order_by("-served_on", "-pk")


def recent_services(compound: Compound, limit: int = 10) -> QuerySet[ServiceRecord]:
    return (
        ServiceRecord.objects.filter(member__compound=compound)
        .select_related("member")
        .order_by("-served_on", "-pk")[:limit]
    )


def _in_scope(scope: Scope, compound_field: str) -> Q:
    return scope.path_q(f"{compound_field}__path", f"{compound_field}_id")


def get_contract(scope: Scope, pk: int) -> PropertyContract:
    contract = (
        PropertyContract.objects.filter(_in_scope(scope, "compound"), pk=pk)
        .select_related("compound", "compound__community", "company")
        .first()
    )
    if contract is None:
        raise NotFound()
    return contract


def get_committee_member(scope: Scope, pk: int) -> CommitteeMember:
    member = (
        CommitteeMember.objects.filter(_in_scope(scope, "profile__compound"), pk=pk)
        .select_related("profile__compound")
        .first()
    )
    if member is None:
        raise NotFound()
    return member


def get_party_member(scope: Scope, pk: int) -> PartyMember:
    member = (
        PartyMember.objects.filter(_in_scope(scope, "compound"), pk=pk)
        .select_related("compound")
        .first()
    )
    if member is None:
        raise NotFound()
    return member


def property_companies() -> QuerySet:
    from anju.access.models import Organisation

    return Organisation.objects.filter(kind=Organisation.Kind.PROPERTY).order_by("name")

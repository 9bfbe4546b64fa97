"""`anju demo [--seed 2019]`: a ready-to-click demo on top of the generated city.

Idempotent: generates the city only when no compound exists, then makes sure the demo
organisations, accounts, role bindings and compound assignments exist (get-or-create), seeds
the holiday table, and issues three fresh household codes for one 江岸区 compound, printing
them with the accounts. Re-running re-issues the three codes (the old ones stop working) and
changes nothing else.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from stdnum.cn import uscc

from anju.access import events
from anju.access.codes import issue_household_codes
from anju.access.models import CompoundAssignment, Organisation, Role, RoleAssignment
from anju.core.actors import DEMO
from anju.core.calendar import seed_holidays
from anju.core.models import Holiday
from anju.territory.models import Compound, Household, Node

DEMO_PASSWORD = "anju-demo-2026"  # noqa: S105 - printed on purpose: demo data only
DEMO_URL = "http://127.0.0.1:8000"
CITY_CODE, JIANGAN, WUCHANG = "4201", "420102", "420106"
CODES_TO_ISSUE = 3

# (key, name, kind, 9-digit organisation-code stem, compounds assigned). Names are fictional
# and marked 演示 so that nobody mistakes them for the real companies they resemble.
ORGANISATIONS = (
    ("designer", "江城规划设计研究院（演示）", Organisation.Kind.DESIGNER, "10000001", 3),
    ("builder", "楚天城市更新建设有限公司（演示）", Organisation.Kind.CONSTRUCTION, "10000002", 2),
    ("utility", "江城供电公司（演示）", Organisation.Kind.UTILITY, "10000003", 3),
    ("property", "江岸红色物业服务有限公司（演示）", Organisation.Kind.PROPERTY, "10000004", 2),
    (
        "supervisor",
        "江城建设工程监理有限公司（演示）",
        Organisation.Kind.SUPERVISION,
        "10000007",  # 10000005 and 10000006 are demo_works' water and gas companies
        2,
    ),
)
COMPANY_ROLES = {
    "designer": Role.DESIGNER,
    "builder": Role.CONSTRUCTION_UNIT,
    "utility": Role.UTILITY_COMPANY,
    "property": Role.PROPERTY_COMPANY,
    "supervisor": Role.SUPERVISION_UNIT,
}


def organisation_code_check(stem: str) -> str:
    """GB 11714 organisation code check character for an 8-character stem of digits."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    check = 11 - sum(int(c) * w for c, w in zip(stem, weights, strict=True)) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def demo_credit_code(stem: str, division: str = JIANGAN) -> str:
    """A valid unified social credit code (GB 32100-2015): 9 (industry and commerce) 1
    (enterprise), the 江岸区 division code, a 9-character organisation code and the check."""
    body = "91" + division + stem + organisation_code_check(stem)
    code = body + uscc.calc_check_digit(body)
    if not uscc.is_valid(code):
        raise CommandError(_("Internal error: generated an invalid credit code."))
    return code


class Command(BaseCommand):
    help = _("Create the demo: the generated city, demo accounts and three household codes.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=2019,
            help=_("Seed for generate_city when the city is not generated yet."),
        )

    def handle(self, *args, seed, **options):
        if not Compound.objects.exists():
            call_command("generate_city", seed=seed, stdout=self.stdout, stderr=self.stderr)
        with transaction.atomic():
            seed_holidays(Holiday)  # the migration did; a database migrated long ago may lack them
            nodes = self.nodes()
            compound = self.demo_compound()
            compounds = list(
                Compound.objects.filter(path__startswith=nodes[JIANGAN].path)
                .filter(Exists(Household.objects.filter(compound=OuterRef("pk"))))
                .order_by("path")[:3]
            )
            accounts = self.accounts(nodes, compound, compounds)
            households = list(
                Household.objects.filter(compound=compound)
                .select_related("unit__building")
                .order_by("unit_id", "room")[:CODES_TO_ISSUE]
            )
            codes = issue_household_codes(actor=DEMO, compound=compound, households=households)
        call_command("demo_plans", stdout=self.stdout, stderr=self.stderr)
        call_command("demo_works", stdout=self.stdout, stderr=self.stderr)
        call_command("demo_design", stdout=self.stdout, stderr=self.stderr)
        call_command("demo_stewardship", stdout=self.stdout, stderr=self.stderr)
        call_command("demo_construction", stdout=self.stdout, stderr=self.stderr)
        call_command("demo_funding", stdout=self.stdout, stderr=self.stderr)
        self.print_block(accounts, compound, households, codes)

    # --- data ------------------------------------------------------------------------------

    def nodes(self) -> dict[str, Node]:
        nodes = {n.code: n for n in Node.objects.filter(code__in=[CITY_CODE, JIANGAN, WUCHANG])}
        missing = {CITY_CODE, JIANGAN, WUCHANG} - set(nodes)
        if missing:
            raise CommandError(
                _("The territory lacks nodes %(codes)s; run generate_city --replace.")
                % {"codes": ", ".join(sorted(missing))}
            )
        return nodes

    def demo_compound(self) -> Compound:
        """The first 江岸区 compound in path order that has households."""
        compound = (
            Compound.objects.filter(path__startswith=f"{CITY_CODE}/{JIANGAN}/")
            .filter(Exists(Household.objects.filter(compound=OuterRef("pk"))))
            .select_related("community__parent")
            .order_by("path")
            .first()
        )
        if compound is None:
            raise CommandError(_("No 江岸区 compound has households; run generate_city first."))
        return compound

    def user(self, username: str):
        user, _created = get_user_model().objects.get_or_create(username=username)
        user.set_password(DEMO_PASSWORD)
        user.is_staff = False
        user.save()
        return user

    def bind(self, user, role: str, *, node=None, organisation=None) -> RoleAssignment:
        assignment = RoleAssignment.objects.filter(user=user, role=role, node=node).first()
        if assignment is None:
            assignment = RoleAssignment(user=user, role=role, node=node, organisation=organisation)
            assignment.full_clean()
            assignment.save()
            events.role_assigned(actor=DEMO, assignment=assignment)
        return assignment

    def accounts(self, nodes, compound: Compound, compounds: list[Compound]) -> list[tuple]:
        """Get or create the demo accounts; returns (username, role, where) for printing."""
        street = compound.community.parent
        territorial = (
            ("city-admin", Role.CITY_OFFICE, nodes[CITY_CODE]),
            ("jiangan-officer", Role.DISTRICT_TASK_FORCE, nodes[JIANGAN]),
            ("wuchang-officer", Role.DISTRICT_TASK_FORCE, nodes[WUCHANG]),
            ("jiangan-street", Role.STREET_OFFICE, street),
            ("jiangan-community", Role.COMMUNITY_WORKER, compound.community),
            ("reviewer", Role.DEPARTMENT_REVIEWER, nodes[JIANGAN]),
        )
        printed = []
        for username, role, node in territorial:
            self.bind(self.user(username), role, node=node)
            printed.append((username, role, node.name))
        for key, name, kind, stem, count in ORGANISATIONS:
            organisation, _created = Organisation.objects.get_or_create(
                name=name, defaults={"kind": kind, "credit_code": demo_credit_code(stem)}
            )
            self.bind(self.user(key), COMPANY_ROLES[key], organisation=organisation)
            # A company that serves compounds already keeps them: a re-run never reassigns.
            served = list(
                Compound.objects.filter(
                    pk__in=CompoundAssignment.objects.filter(organisation=organisation).values(
                        "compound_id"
                    )
                ).order_by("path")
            )
            if not served:
                served = compounds[:count]
                CompoundAssignment.objects.bulk_create(
                    [CompoundAssignment(organisation=organisation, compound=c) for c in served]
                )
            where = organisation.name + "：" + "、".join(c.name for c in served)
            printed.append((key, COMPANY_ROLES[key], where))
        return printed

    # --- output ----------------------------------------------------------------------------

    def print_block(self, accounts, compound: Compound, households, codes) -> None:
        write = self.stdout.write
        write("")
        write("=== DEMO ACCOUNTS (demo data only) / 演示账号（仅限演示数据）===")
        write(f"URL: {DEMO_URL}")
        write(f"Password for every account / 统一密码: {DEMO_PASSWORD}")
        for username, role, where in accounts:
            write(f"  {username:<18} {role.label!s:<8} ({role.value}) — {where}")
        write("")
        write(f"Household codes / 住户码 — {compound.name} ({compound.code}), {compound.address}")
        for household in households:
            unit = household.unit
            write(f"  {unit.building.number}{unit.number}{household.room}室  {codes[household.pk]}")
        write("Re-running `anju demo` issues new codes; earlier ones stop working.")
        write("=== END DEMO ===")

"""`anju demo-works [--seed 2019] [--count 300]`: others' works in the demo city (for `anju demo`).

Idempotent: it makes sure of three demo utility companies (the access demo's 江城供电公司（演示）
and a water and a gas company, all marked 演示) and loads `--count` short straight works
(50–400 m) through `works.upsert_work`, so each is audited like an upload. A demo work that
exists already is left as it is, whatever has changed since (the plan's selection, or the
visitor's own edits), so re-running `make demo` never moves a work; only missing ones are
added. Each work is drawn from its own random generator seeded with `--seed` and its id, so
adding the missing ones does not depend on the others: a third of them start inside (or
within 40 m of) a compound of the first annual plan's selection, or of random compounds when
no plan has a selection yet, so that dig-once conflicts exist; the others lie 150–600 m from a
random compound. Their windows lie within 2025–2028. Then, when works were added or the plan
was never checked, the draft plan is checked for conflicts (`conflicts.detect`), so the
conflict pages have something to show; a re-run that added nothing leaves the conflicts (and
what districts decided) alone.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from anju.access.management.commands.demo import demo_credit_code
from anju.access.models import Organisation
from anju.core.actors import DEMO
from anju.core.audit import events_for
from anju.core.scope import Scope
from anju.planning.models import AnnualPlan, PlanSelection
from anju.territory.models import Compound, Node

from ... import conflicts, works
from ...models import Work, WorkKind

CITY_CODE = "4201"
# (key, name, 8-digit organisation-code stem, kinds, id prefix). Fictional names marked 演示.
COMPANIES = (
    ("power", "江城供电公司（演示）", "10000003", (WorkKind.POWER,), "DL"),
    ("water", "江城水务集团（演示）", "10000005", (WorkKind.WATER_SUPPLY, WorkKind.DRAINAGE), "SW"),
    ("gas", "江城燃气公司（演示）", "10000006", (WorkKind.GAS,), "RQ"),
)
FIRST_DAY, LAST_DAY = date(2025, 1, 1), date(2028, 12, 31)
METRES_PER_DEGREE = 111_320.0
NEAR_SHARE = 3  # one work in three starts at a selected compound


def offset(lon: float, lat: float, metres: float, bearing: float) -> tuple[float, float]:
    """The point `metres` away on `bearing` (radians from north), flat-earth (≤ a few km)."""
    d_lat = metres * math.cos(bearing) / METRES_PER_DEGREE
    d_lon = metres * math.sin(bearing) / (METRES_PER_DEGREE * math.cos(math.radians(lat)))
    return round(lon + d_lon, 6), round(lat + d_lat, 6)


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("在演示城市生成其他工程（三家演示专营单位的短线工程），可重复运行。")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2019, help=_("随机种子"))
        parser.add_argument("--count", type=int, default=300, help=_("工程数量"))

    def handle(self, *args, seed: int, count: int, **options):
        city = Node.objects.filter(code=CITY_CODE).first()
        if city is None or not Compound.objects.exists():
            raise CommandError(_("演示城市尚未生成，请先运行 anju demo。"))
        scope = Scope(roles=frozenset({"city_office"}), node_paths=(city.path,), label="demo")
        companies = self.companies()
        compounds = list(
            Compound.objects.filter(longitude__isnull=False)
            .only("id", "name", "longitude", "latitude")
            .order_by("code")
        )
        if not compounds:
            self.stdout.write(_("没有带坐标的小区，未生成其他工程。"))
            return
        selected = self.selected(compounds)
        locator = works.DistrictLocator()
        existing = set(
            Work.objects.filter(organisation__in=[c[0] for c in companies]).values_list(
                "organisation_id", "external_id"
            )
        )
        created = 0
        for index in range(count):
            organisation, kinds, prefix = companies[index % len(companies)]
            external_id = f"DEMO-{prefix}-{index // len(companies) + 1:03d}"
            if (organisation.pk, external_id) in existing:
                continue
            rng = random.Random(f"{seed}:{external_id}")
            near = index % NEAR_SHARE == 0
            compound = rng.choice(selected if near else compounds)
            kind = kinds[rng.randrange(len(kinds))]
            _work, is_new = works.upsert_work(
                actor=DEMO,
                scope=scope,
                organisation=organisation,
                external_id=external_id,
                values=self.work_values(rng, compound, kind, near=near),
                locator=locator,
            )
            created += is_new
        self.stdout.write(
            _("其他工程：新增 %(created)d 项，已有 %(kept)d 项保持不变。")
            % {"created": created, "kept": count - created}
        )
        self.detect(scope, works_added=created > 0)

    def detect(self, scope: Scope, *, works_added: bool) -> None:
        """Check the draft plan's selection against the works, as a district would: when
        works were added, or when the plan was never checked."""
        plan = (
            AnnualPlan.objects.filter(selections__isnull=False).distinct().order_by("year").first()
        )
        if plan is None:
            return
        if not works_added and events_for(plan).filter(verb="conflicts.detected").exists():
            return
        summary = conflicts.detect(actor=DEMO, scope=scope, annual_plan=plan)
        self.stdout.write(
            _("开挖冲突：%(year)s年度计划 %(compounds)s 个小区，发现 %(pairs)s 处。")
            % {"year": plan.year, **summary}
        )

    def companies(self) -> list[tuple[Organisation, tuple[str, ...], str]]:
        companies = []
        with transaction.atomic():
            for _key, name, stem, kinds, prefix in COMPANIES:
                organisation, _created = Organisation.objects.get_or_create(
                    name=name,
                    defaults={
                        "kind": Organisation.Kind.UTILITY,
                        "credit_code": demo_credit_code(stem),
                    },
                )
                companies.append((organisation, kinds, prefix))
        return companies

    def selected(self, compounds: list[Compound]) -> list[Compound]:
        """Compounds of the first annual plan's selection, else all compounds."""
        plan = AnnualPlan.objects.filter(selections__isnull=False).order_by("year", "pk").first()
        if plan is None:
            return compounds
        ids = set(
            PlanSelection.objects.filter(annual_plan=plan).values_list("compound_id", flat=True)
        )
        chosen = [compound for compound in compounds if compound.pk in ids]
        return chosen or compounds

    def work_values(self, rng: random.Random, compound: Compound, kind: str, *, near: bool) -> dict:
        lon, lat = compound.longitude, compound.latitude
        if near:
            start = offset(lon, lat, rng.uniform(0, 40), rng.uniform(0, 2 * math.pi))
        else:
            start = offset(lon, lat, rng.uniform(150, 600), rng.uniform(0, 2 * math.pi))
        end = offset(*start, rng.uniform(50, 400), rng.uniform(0, 2 * math.pi))
        span = (LAST_DAY - FIRST_DAY).days
        starts_on = FIRST_DAY + timedelta(days=rng.randrange(span - 30))
        ends_on = min(starts_on + timedelta(days=rng.randrange(30, 300)), LAST_DAY)
        return {
            "kind": kind,
            "name": _("%(compound)s周边%(kind)s管线工程（演示）")
            % {"compound": compound.name, "kind": WorkKind(kind).label},
            "starts_on": starts_on,
            "ends_on": ends_on,
            "geometry": {"type": "LineString", "coordinates": [list(start), list(end)]},
            "crs": "wgs84",
        }

"""`anju generate_city --seed N [--scale city|national] [--data …] [--replace]`.

Loads Wuhan's territory (build/data/wuhan.json, made by scripts/extract_city_data.py, which
runs by itself when the file is missing) and the compounds `anju.engine.citygen` generates
from the seed, in batches inside one transaction: all or nothing. Nodes, compounds, buildings
and units go through `bulk_create` (paths and depths computed here); households, 327,600 of
them, through executemany (SQLite) or COPY (PostgreSQL), see `insert_households`. Nodes that
already exist (by code) are kept. The bulk load writes no simple_history rows; generated data
has no history to keep. `--replace` deletes the registry first (`Command.delete_registry`).

The dash spelling `anju generate-city` needs anju/cli.py to map dashes to underscores.
"""

from __future__ import annotations

import json
import runpy
import time
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, reset_queries, transaction
from django.utils.translation import gettext as _

from anju.engine import citygen
from anju.territory.models import Building, Compound, Household, Node, Unit
from anju.territory.signals import send_registry_replacing

REGISTRY = (Household, Unit, Building, Compound)  # deletion order
BATCH_SIZE = 5_000
FLUSH_HOUSEHOLDS = 50_000  # households held in memory before writing
KIND_ORDER = ("city", "district", "street", "community")


def default_data_path() -> Path:
    build = Path(getattr(settings, "BUILD_DIR", Path(settings.BASE_DIR) / "build"))
    return build / "data" / "wuhan.json"


def load_city_data(path: Path, *, stdout=None) -> dict:
    """Read wuhan.json; build it from node_modules first when it is missing."""
    if not path.exists():
        script = Path(settings.BASE_DIR) / "scripts" / "extract_city_data.py"
        if path == default_data_path() and script.exists():
            if stdout:
                stdout.write(
                    _("%(path)s is missing; extracting it from node_modules…") % {"path": path}
                )
            status = runpy.run_path(str(script))["main"](["--out", str(path)])
            if status:
                raise CommandError(_("Could not extract the city data; see the message above."))
        else:
            raise CommandError(
                _("City data not found at %(path)s. Run: python scripts/extract_city_data.py")
                % {"path": path}
            )
    return json.loads(path.read_text(encoding="utf-8"))


def refresh_planner_statistics() -> None:
    """After a bulk load the planner still believes the registry tables are empty and may
    pick nested loops over 300,000 households (minutes instead of milliseconds)."""
    tables = [model._meta.db_table for model in REGISTRY]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


class Command(BaseCommand):
    help = _(
        "Generate the demo city from a seed: Wuhan's districts, streets and communities and "
        "synthetic compounds, buildings, units and households (city scale: 1,103 compounds, "
        "327,600 households, 24.8 M m²; national scale: 220,000 compounds, no households)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, required=True, help=_("Random seed (>= 0)."))
        parser.add_argument("--scale", choices=sorted(citygen.SCALES), default="city")
        parser.add_argument(
            "--data",
            type=Path,
            default=None,
            help=_("City data JSON (default build/data/wuhan.json)."),
        )
        parser.add_argument(
            "--replace", action="store_true", help=_("Delete the existing registry first.")
        )

    def handle(self, *args, seed, scale, data, replace, **options):
        if seed < 0:
            raise CommandError(_("--seed must be a non-negative integer."))
        started = time.monotonic()
        city = load_city_data(data or default_data_path(), stdout=self.stdout)
        with transaction.atomic():
            if Compound.objects.exists():
                if not replace:
                    raise CommandError(
                        _(
                            "Compounds already exist. Use --replace to delete the registry "
                            "(compounds, buildings, units, households) and generate again."
                        )
                    )
                self.delete_registry()
            nodes = self.write_nodes(city)
            totals = self.write_compounds(city, nodes, seed=seed, scale=scale)
            refresh_planner_statistics()
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Generated %(scale)s scale from seed %(seed)s in %(seconds).1f s: "
                    "%(compounds)s compounds, %(buildings)s buildings, %(units)s units, "
                    "%(households)s households, %(area)s m² floor area."
                )
                % {
                    "scale": scale,
                    "seed": seed,
                    "seconds": seconds,
                    "compounds": f"{totals['compounds']:,}",
                    "buildings": f"{totals['buildings']:,}",
                    "units": f"{totals['units']:,}",
                    "households": f"{totals['households']:,}",
                    "area": f"{totals['area']:,.2f}",
                }
            )
        )

    # --- deleting --------------------------------------------------------------------------

    def delete_registry(self) -> None:
        """Delete compounds and everything under them without loading them into memory.

        Rows of other apps that point at the registry are deleted (CASCADE) or cleared
        (SET_NULL) through the ORM first; any other reference (PROTECT, RESTRICT…) stops the
        replace, and the transaction leaves everything as it was. Apps whose records belong
        to this registry as a whole (plans, designs, works, ledgers) clear them first, on
        `registry_replacing`, from the top layer down.
        """
        send_registry_replacing()
        for model in REGISTRY:
            relations = [
                f
                for f in model._meta.get_fields(include_hidden=True)
                if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one)
            ]
            for relation in relations:
                related = relation.related_model
                if related in REGISTRY or not relation.field.db_constraint:
                    continue  # the registry itself, or simple_history tables (no constraint)
                referencing = related._base_manager.filter(
                    **{f"{relation.field.name}__isnull": False}
                )
                on_delete = relation.on_delete
                if on_delete is models.CASCADE:
                    referencing.delete()
                elif on_delete is models.SET_NULL:
                    referencing.update(**{relation.field.name: None})
                elif referencing.exists():
                    raise CommandError(
                        _("Cannot replace: %(model)s rows still refer to the registry.")
                        % {"model": related._meta.verbose_name}
                    )
        with connection.cursor() as cursor:
            for model in REGISTRY:
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute("DELETE FROM " + table)  # noqa: S608 - a table name, no data

    # --- nodes -----------------------------------------------------------------------------

    def write_nodes(self, city: dict) -> dict[str, tuple[int, str]]:
        """Create missing nodes level by level; returns {code: (id, path)} for all of them."""
        specs = citygen.territory(city)
        known = {
            code: (pk, path) for pk, code, path in Node.objects.values_list("pk", "code", "path")
        }
        has_outline = any(f.name == "outline" for f in Node._meta.get_fields())
        for kind in KIND_ORDER:
            new = []
            for spec in specs:
                if spec.kind != kind or spec.code in known:
                    continue
                parent = known[spec.parent_code] if spec.parent_code else None
                path = (parent[1] if parent else "") + spec.code + "/"
                node = Node(
                    kind=kind,
                    code=spec.code,
                    name=spec.name,
                    path=path,
                    depth=path.count("/") - 1,
                    parent_id=parent[0] if parent else None,
                )
                if has_outline and spec.outline:
                    node.outline = spec.outline
                new.append(node)
            Node.objects.bulk_create(new, batch_size=BATCH_SIZE)
            known.update({n.code: (n.pk, n.path) for n in new})
        if has_outline:
            for spec in specs:
                if spec.outline:
                    Node.objects.filter(code=spec.code, outline__isnull=True).update(
                        outline=spec.outline
                    )
        return known

    # --- registry --------------------------------------------------------------------------

    def write_compounds(self, city: dict, nodes, *, seed: int, scale: str) -> dict:
        totals = {"compounds": 0, "buildings": 0, "units": 0, "households": 0, "area": Decimal(0)}
        pending: list[citygen.CompoundSpec] = []
        held = 0
        for spec in citygen.generate(city, seed=seed, scale=scale):
            pending.append(spec)
            held += spec.household_count if spec.buildings else 0
            if held >= FLUSH_HOUSEHOLDS or len(pending) >= BATCH_SIZE:
                self.flush(pending, nodes, totals)
                pending, held = [], 0
        self.flush(pending, nodes, totals)
        return totals

    def flush(self, specs: list[citygen.CompoundSpec], nodes, totals: dict) -> None:
        if not specs:
            return
        reset_queries()  # with DEBUG on, the query log would keep every batch's SQL
        compounds = []
        for spec in specs:
            community_id, community_path = nodes[spec.community_code]
            compounds.append(
                Compound(
                    code=spec.code,
                    name=spec.name,
                    community_id=community_id,
                    path=community_path + spec.code + "/",
                    address=spec.address,
                    longitude=spec.longitude,
                    latitude=spec.latitude,
                    boundary=spec.boundary,
                    year_built=spec.year_built,
                    property_rights=spec.property_rights,
                    original_property_unit=spec.original_property_unit,
                    building_count=spec.building_count,
                    household_count=spec.household_count,
                    total_floor_area=spec.total_floor_area,
                    management_status=spec.management_status,
                    has_owners_committee=spec.has_owners_committee,
                    party_organisation=spec.party_organisation,
                )
            )
        Compound.objects.bulk_create(compounds, batch_size=BATCH_SIZE)
        totals["compounds"] += len(compounds)
        totals["area"] += sum(spec.total_floor_area for spec in specs)
        totals["households"] += sum(spec.household_count for spec in specs)
        totals["buildings"] += sum(spec.building_count for spec in specs)

        buildings = [
            Building(
                compound_id=compound.pk,
                number=b.number,
                floors=b.floors,
                has_elevator=b.has_elevator,
            )
            for compound, spec in zip(compounds, specs, strict=True)
            for b in spec.buildings
        ]
        if not buildings:
            return
        Building.objects.bulk_create(buildings, batch_size=BATCH_SIZE)
        building_specs = [b for spec in specs for b in spec.buildings]
        units = [
            Unit(building_id=building.pk, number=u.number, has_elevator=u.has_elevator)
            for building, b in zip(buildings, building_specs, strict=True)
            for u in b.units
        ]
        Unit.objects.bulk_create(units, batch_size=BATCH_SIZE)
        totals["units"] += len(units)

        compound_of_building = {
            id(b): c.pk for c, spec in zip(compounds, specs, strict=True) for b in spec.buildings
        }
        rows = []
        position = 0
        for b in building_specs:
            compound_id = compound_of_building[id(b)]
            for u in b.units:
                unit_id = units[position].pk
                position += 1
                rows.extend(
                    (
                        compound_id,
                        unit_id,
                        h.room,
                        h.floor,
                        h.exclusive_area,
                        h.owner_key,
                        h.owner_name,
                        h.is_developer_unsold,
                        h.phone,
                        h.is_elderly_living_alone,
                        h.has_disability,
                    )
                    for h in u.households
                )
        insert_households(rows)


HOUSEHOLD_COLUMNS = (
    "compound",
    "unit",
    "room",
    "floor",
    "exclusive_area",
    "owner_key",
    "owner_name",
    "is_developer_unsold",
    "phone",
    "is_elderly_living_alone",
    "has_disability",
)


def insert_households(rows: list[tuple]) -> None:
    """Insert household rows (in HOUSEHOLD_COLUMNS order), BATCH_SIZE a time.

    The rows are exactly what `bulk_create` would write, but bulk_create's per-field
    preparation made the city's 327,600 households take most of a minute. PostgreSQL gets
    COPY; SQLite (and anything else) one prepared INSERT run by executemany. Decimal areas are
    adapted by the backend like the ORM does.
    """
    quote = connection.ops.quote_name
    fields = [Household._meta.get_field(name) for name in HOUSEHOLD_COLUMNS]
    area = Household._meta.get_field("exclusive_area")
    area_index = HOUSEHOLD_COLUMNS.index("exclusive_area")
    table = quote(Household._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    adapt = connection.ops.adapt_decimalfield_value
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            batch = [
                (
                    *row[:area_index],
                    adapt(row[area_index], area.max_digits, area.decimal_places),
                    *row[area_index + 1 :],
                )
                for row in rows[start : start + BATCH_SIZE]
            ]
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(fields))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
                    batch,
                )

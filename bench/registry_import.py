"""Registry import: validate and write 10,000 households (100 compounds, 500 buildings) from one
.xlsx into a fresh SQLite database, against python-calamine's raw read of the same file.

The anchor is the floor any importer stands on: reading every cell into Python lists. anju's
figure adds parsing each cell, the cross-row and database checks, and the writes (compounds one
by one with their audit events, buildings, units and households in bulk with their history
rows) in one transaction. Run standalone with `python bench/registry_import.py`, or through
`python -m bench`.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

COMPOUNDS = 100
BUILDINGS_PER_COMPOUND = 5
UNITS_PER_BUILDING = 2
FLOORS = 5
ROOMS_PER_FLOOR = 2  # per unit: 5 floors × 2 rooms × 2 units × 5 buildings = 100 per compound
COMMUNITIES = 10


def setup_django(var_dir: str) -> None:
    """A fresh SQLite database in `var_dir`, whatever the caller's environment points at."""
    os.environ["ANJU_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "anju.settings.test"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def make_communities() -> list[str]:
    from anju.territory.models import Node

    city = Node.objects.create(code="4201", name="武汉市", kind=Node.Kind.CITY)
    district = Node.objects.create(code="420102", name="江岸区", kind="district", parent=city)
    street = Node.objects.create(code="420102001", name="大智街道", kind="street", parent=district)
    codes = []
    for index in range(1, COMMUNITIES + 1):
        code = f"420102001{index:03d}"
        Node.objects.create(code=code, name=f"社区{index}", kind="community", parent=street)
        codes.append(code)
    return codes


def write_workbook(path: Path, communities: list[str]) -> int:
    """The registry file; returns the number of data rows."""
    import xlsxwriter

    from anju.territory.importers import BUILDING_SHEET, COMPOUND_SHEET, HOUSEHOLD_SHEET

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheets = {
        spec.name: book.add_worksheet(spec.name)
        for spec in (COMPOUND_SHEET, BUILDING_SHEET, HOUSEHOLD_SHEET)
    }
    for spec in (COMPOUND_SHEET, BUILDING_SHEET, HOUSEHOLD_SHEET):
        sheets[spec.name].write_row(0, 0, spec.headers)
    rows = {name: 0 for name in sheets}

    def add(name: str, values: list) -> None:
        rows[name] += 1
        sheet = sheets[name]
        for col, value in enumerate(values):
            if isinstance(value, str):
                sheet.write_string(rows[name], col, value)
            else:
                sheet.write_number(rows[name], col, value)

    for c in range(COMPOUNDS):
        code = f"JA-{c:04d}"
        add("小区", [code, f"示例小区{c}", communities[c % COMMUNITIES], f"示例路{c}号",
                     114.25 + c * 0.0005, 30.55 + c * 0.0003, "GCJ-02", 1985 + c % 20, "房改房",
                     "武汉市示例厂", BUILDINGS_PER_COMPOUND, 100, 8000.5, "无物业管理", "否",
                     "未建立"])  # fmt: skip
        for b in range(1, BUILDINGS_PER_COMPOUND + 1):
            add("楼栋", [code, str(b), FLOORS, "否"])
            for u in range(1, UNITS_PER_BUILDING + 1):
                for floor in range(1, FLOORS + 1):
                    for r in range(1, ROOMS_PER_FLOOR + 1):
                        room = f"{floor}{r:02d}"
                        add("住户", [code, str(b), str(u), room, floor, 56.3 + r,
                                     f"O-{c}-{b}-{u}-{room}", f"138{c:04d}{b}{u}{room}"[:11],
                                     "否", "否"])  # fmt: skip
    book.close()
    return sum(rows.values())


def calamine_read(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    cells = 0
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python()
        cells += sum(len(row) for row in rows)
    return cells


def run() -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="anju-bench-") as var_dir:
        setup_django(var_dir)
        from anju.core.actors import CLI
        from anju.core.importing import ImportParams
        from anju.core.scope import Scope
        from anju.territory.importers import RegistryImporter
        from anju.territory.models import Household

        communities = make_communities()
        path = Path(var_dir) / "registry.xlsx"
        data_rows = write_workbook(path, communities)

        anchor = min(_timed(lambda: calamine_read(path)) for _ in range(3))

        scope = Scope(roles=frozenset({"city_office"}), node_paths=("4201/",))
        params = ImportParams(actor=CLI, scope=scope, filename=path.name)
        start = time.perf_counter()
        report = RegistryImporter().run(path, params)
        seconds = time.perf_counter() - start
        assert report.counts["households_created"] == Household.objects.count() == 10_000

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    households = COMPOUNDS * BUILDINGS_PER_COMPOUND * UNITS_PER_BUILDING * FLOORS * ROOMS_PER_FLOOR
    return [
        {
            "workload": "registry import (.xlsx)",
            "size": f"{households:,} households + {COMPOUNDS} compounds ({data_rows:,} rows)",
            "anju": round(seconds, 3),
            "anchor": round(anchor, 3),
            "anchor_name": "python-calamine raw read",
            "ratio": round(seconds / anchor, 1),
            "peak_mb": round(peak_mb, 1),
        }
    ]


def _timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    for row in run():
        print(row)

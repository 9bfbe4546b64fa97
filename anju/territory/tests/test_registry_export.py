"""RegistryExporter and the template: an export imports back to the same registry, personal
data is masked by role and never overwritten by its mask, and the template explains itself."""

import prcoords
import pytest

from anju.core.actors import CLI
from anju.core.excel import UTF8_BOM, read_workbook
from anju.core.importing import ImportParams
from anju.core.models import AuditEvent
from anju.core.scope import Scope
from anju.territory.importers import (
    BUILDING_SHEET,
    COMPOUND_SHEET,
    HOUSEHOLD_SHEET,
    RegistryExporter,
    RegistryImporter,
    export_registry,
    registry_template,
)
from anju.territory.models import Building, Compound, Household, Unit

from .registry_helpers import (
    CITY_OFFICE,
    JIANGAN_COMMUNITY_WORKER,
    JIANGAN_OFFICER,
    compound_row,
    household_row,
    registry_file,
    standard_file,
    territory,  # noqa: F401 (fixture)
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("territory")]

CITYWIDE_WITH_PERSONAL_DATA = Scope(roles=frozenset({"street_office"}), node_paths=("4201/",))


def run(data: bytes, scope=CITY_OFFICE):
    return RegistryImporter().run(data, ImportParams(actor=CLI, scope=scope, filename="x.xlsx"))


def registry_state() -> dict:
    """Everything the registry holds, keyed by natural keys (ids differ after a re-import)."""
    compounds = {
        c["code"]: c
        for c in Compound.objects.values(
            "code", "name", "community__code", "address", "longitude", "latitude",
            "year_built", "property_rights", "original_property_unit", "building_count",
            "household_count", "total_floor_area", "management_status",
            "has_owners_committee", "party_organisation",
        )
    }  # fmt: skip
    buildings = set(
        Building.objects.values_list("compound__code", "number", "floors", "has_elevator")
    )
    units = set(Unit.objects.values_list("building__compound__code", "building__number", "number"))
    households = set(
        Household.objects.values_list(
            "compound__code", "unit__building__number", "unit__number", "room", "floor",
            "exclusive_area", "owner_key", "phone", "is_elderly_living_alone", "has_disability",
        )
    )  # fmt: skip
    return {"compounds": compounds, "buildings": buildings, "units": units,
            "households": households}  # fmt: skip


def two_compound_registry() -> None:
    run(standard_file())
    lat, lon = prcoords.wgs_gcj((30.58, 114.30))
    run(
        registry_file(
            compounds=[
                compound_row(
                    小区编码="JA-0002", 小区名称="第二小区", 社区编码="420102001002",
                    经度=lon, 纬度=lat, 坐标系="GCJ-02", 产权类型="商品房", 原产权单位=None,
                    物业管理状态="专业物业", 是否成立业委会="是", 党组织="联合党支部",
                    建筑面积=888.88, 地址=None,
                ),
                compound_row(小区编码="WC-0001", 社区编码="420106001001", 经度=None, 纬度=None),
            ]
        )
    )  # fmt: skip


def test_export_then_import_gives_back_the_same_registry():
    two_compound_registry()
    before = registry_state()
    exported = RegistryExporter(scope=CITYWIDE_WITH_PERSONAL_DATA).xlsx()
    Compound.objects.all().delete()
    assert Household.objects.count() == 0

    report = run(exported)

    assert report.counts["compounds_created"] == 3
    assert registry_state() == before


def test_export_has_the_importers_three_sheets_and_headers():
    run(standard_file())

    workbook = read_workbook(RegistryExporter(scope=JIANGAN_COMMUNITY_WORKER).xlsx())

    assert workbook.names == ["小区", "楼栋", "住户"]
    for spec in (COMPOUND_SHEET, BUILDING_SHEET, HOUSEHOLD_SHEET):
        assert workbook.sheets[spec.name].rows[0] == spec.headers
    compound = workbook.sheets["小区"].rows[1]
    assert compound[:3] == ["JA-0001", "示例小区", "420102001001"]
    assert compound[6] == "WGS84"
    assert compound[8] == "房改房"
    assert len(workbook.sheets["住户"].rows) == 5


def test_export_leaves_out_other_districts():
    two_compound_registry()

    workbook = read_workbook(RegistryExporter(scope=JIANGAN_OFFICER).xlsx())

    codes = [row[0] for row in workbook.sheets["小区"].rows[1:]]
    assert codes == ["JA-0001", "JA-0002"]


def test_phone_owner_key_and_vulnerability_are_masked_for_roles_without_personal_data():
    run(standard_file())

    officer = read_workbook(RegistryExporter(scope=JIANGAN_OFFICER).xlsx())
    worker = read_workbook(RegistryExporter(scope=JIANGAN_COMMUNITY_WORKER).xlsx())

    masked, clear = officer.sheets["住户"].rows[1], worker.sheets["住户"].rows[1]
    assert clear[6:] == ["OWNER-0001", "13800000001", "否", "否"]
    assert masked[6:] == ["******0001", "138****0001", "", ""]


def test_importing_a_masked_export_keeps_the_stored_personal_data():
    run(standard_file())
    before = registry_state()
    masked = RegistryExporter(scope=JIANGAN_OFFICER).xlsx()

    report = run(masked, scope=JIANGAN_OFFICER)

    assert report.counts["households_updated"] == 0
    assert registry_state() == before


def test_csv_export_lists_compounds_with_a_bom_and_imports_back():
    two_compound_registry()
    before = registry_state()["compounds"]

    data = RegistryExporter(scope=CITY_OFFICE).compounds_csv()

    assert data.startswith(UTF8_BOM)
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].split(",") == COMPOUND_SHEET.headers
    assert len(lines) == 4
    Compound.objects.all().delete()
    run(data)
    after = registry_state()["compounds"]
    for code in before:
        before[code].pop("building_count"), after[code].pop("building_count")
        before[code].pop("household_count"), after[code].pop("household_count")
    assert after == before


def test_export_is_audited_with_the_viewers_territory():
    run(standard_file())

    export_registry(actor=CLI, scope=JIANGAN_OFFICER, file_format="csv")

    event = AuditEvent.objects.get(verb="registry.exported")
    assert event.territory_path == "4201/420102/"
    assert event.after == {"format": "csv", "personal_data": False}


def test_template_has_instructions_and_the_three_sheets_with_one_example_each():
    workbook = read_workbook(registry_template())

    assert workbook.names == ["填写说明", "小区", "楼栋", "住户"]
    guide = "\n".join(str(cell) for row in workbook.sheets["填写说明"].rows for cell in row)
    for words in ("GCJ-02", "BD-09", "WGS84", "文本格式", "15位", "113.68", "31.37"):
        assert words in guide
    for spec in (COMPOUND_SHEET, BUILDING_SHEET, HOUSEHOLD_SHEET):
        rows = workbook.sheets[spec.name].rows
        assert rows[0] == spec.headers
        assert len(rows) == 2
        for column in spec.columns:
            assert column.header in guide


def test_template_example_rows_are_a_valid_import():
    report = run(registry_template())

    assert report.counts["compounds_created"] == 1
    assert report.counts["households_created"] == 1


def test_household_rows_in_the_export_keep_the_import_order():
    run(standard_file())
    run(registry_file(households=[household_row(单元号="1", 房号="103", 楼层=1)]))

    rows = read_workbook(RegistryExporter(scope=CITY_OFFICE).xlsx()).sheets["住户"].rows[1:]

    assert [(r[1], r[2], r[3]) for r in rows] == [
        ("1", "1", "101"), ("1", "1", "102"), ("1", "1", "103"), ("2", "2", "201"),
        ("2", "2", "701"),
    ]  # fmt: skip

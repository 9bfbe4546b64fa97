"""RegistryImporter: what a good file writes, and every bad input rejected with its sheet, row,
column and message while nothing at all is written."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import prcoords
import pytest

from anju.core.actors import CLI
from anju.core.errors import PermissionDenied
from anju.core.excel import read_workbook
from anju.core.importing import ImportParams, ImportRejected
from anju.core.models import AuditEvent
from anju.engine.geo import distance_m
from anju.territory.importers import RegistryImporter
from anju.territory.models import Building, Compound, Household, Unit

from .registry_helpers import (
    CITY_OFFICE,
    DESIGNER,
    JIANGAN_OFFICER,
    building_row,
    compound_row,
    household_row,
    registry_file,
    standard_file,
    territory,  # noqa: F401 (fixture)
    written_counts,
    xlsx,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("territory")]

TEXT_FORMAT = "请将该列设为文本格式后重新填写"


def run(data: bytes, scope=CITY_OFFICE, **params):
    params = {"actor": CLI, "scope": scope, "filename": "台账.xlsx", **params}
    return RegistryImporter().run(data, ImportParams(**params))


def rejected(data: bytes, scope=CITY_OFFICE) -> list:
    """Run an import that must fail; check that nothing was written; return the problems."""
    before = written_counts()
    with pytest.raises(ImportRejected) as caught:
        run(data, scope)
    assert written_counts() == before
    return caught.value.problems


def only_problem(data: bytes, scope=CITY_OFFICE):
    problems = rejected(data, scope)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


# --- a good file ---


def test_standard_file_creates_compound_buildings_units_and_households():
    report = run(standard_file())

    assert report.counts["compounds_created"] == 1
    assert report.counts["buildings_created"] == 2
    assert report.counts["units_created"] == 2
    assert report.counts["households_created"] == 4
    assert report.rows == {"小区": 1, "楼栋": 2, "住户": 4}
    compound = Compound.objects.get(code="JA-0001")
    assert compound.path == "4201/420102/420102001/420102001001/JA-0001/"
    assert compound.total_floor_area == Decimal("1200.50")
    assert compound.property_rights == "reform"
    assert compound.management_status == "none"
    assert (compound.longitude, compound.latitude) == (114.3055, 30.5928)
    assert Building.objects.get(compound=compound, number="2").has_elevator is True
    household = Household.objects.get(unit__building__number="1", room="102")
    assert household.compound == compound
    assert household.phone == "027-85551234"
    assert household.is_elderly_living_alone is True
    assert Unit.objects.get(building__number="2", number="2").has_elevator is True


def test_import_is_audited_once_for_the_file_and_once_per_new_compound():
    run(standard_file())

    event = AuditEvent.objects.get(verb="registry.imported")
    assert event.territory_path == "4201/420102/420102001/420102001001/"
    assert event.after["file"] == "台账.xlsx"
    assert event.after["households_created"] == 4
    assert AuditEvent.objects.filter(verb="compound.registered").count() == 1
    assert Household.history.count() == 4


def test_existing_code_updates_the_compound_and_blank_cells_keep_stored_values():
    run(standard_file())
    changes = {"小区名称": "新名称", "地址": None, "建筑面积": 1300, "物业管理状态": "红色物业"}
    update = registry_file(compounds=[compound_row(**changes)])

    report = run(update)

    assert report.counts["compounds_updated"] == 1
    compound = Compound.objects.get(code="JA-0001")
    assert compound.name == "新名称"
    assert compound.address == "江岸区示例路1号"
    assert compound.total_floor_area == Decimal("1300.00")
    assert compound.management_status == "red_property"
    event = AuditEvent.objects.get(verb="compound.updated")
    assert event.after == {"name": "新名称", "total_floor_area": "1300.00",
                           "management_status": "red_property"}  # fmt: skip


def test_importing_the_same_file_twice_changes_nothing():
    run(standard_file())
    before = written_counts()

    report = run(standard_file())

    assert report.counts["compounds_unchanged"] == 1
    assert report.counts["households_created"] == report.counts["households_updated"] == 0
    after = written_counts()
    assert after["households"] == before["households"]
    assert after["household_history"] == before["household_history"]


def test_existing_households_are_updated_by_building_unit_and_room():
    run(standard_file())
    update = registry_file(households=[household_row(专有面积=60, 联系电话="13900000009")])

    report = run(update)

    assert report.counts["households_updated"] == 1
    household = Household.objects.get(unit__building__number="1", room="101")
    assert household.exclusive_area == Decimal("60.00")
    assert household.phone == "13900000009"


def test_households_may_be_imported_alone_for_a_building_in_the_registry():
    run(standard_file())

    report = run(registry_file(households=[household_row(单元号="3", 房号="301", 楼层=3)]))

    assert report.counts == {**report.counts, "units_created": 1, "households_created": 1}
    assert Compound.objects.get().household_count == 5


def test_blank_counts_are_taken_from_the_registry_rows():
    run(registry_file(
        compounds=[compound_row(楼栋数=None, 户数=None)],
        buildings=[building_row()],
        households=[household_row(), household_row(房号="102")],
    ))  # fmt: skip

    compound = Compound.objects.get()
    assert (compound.building_count, compound.household_count) == (1, 2)


def test_blank_unit_means_unit_one():
    run(registry_file(
        compounds=[compound_row()], buildings=[building_row()],
        households=[household_row(单元号=None)],
    ))  # fmt: skip

    assert Household.objects.get().unit.number == "1"


def test_blank_crs_means_wgs84_and_cgcs2000_is_taken_as_is():
    run(registry_file(compounds=[
        compound_row(坐标系=None),
        compound_row(小区编码="JA-0002", 坐标系="CGCS2000", 经度=114.31, 纬度=30.60),
    ]))  # fmt: skip

    assert Compound.objects.get(code="JA-0001").longitude == 114.3055
    assert Compound.objects.get(code="JA-0002").latitude == 30.60


@pytest.mark.parametrize(
    ("declared", "convert"),
    [("GCJ-02", prcoords.wgs_gcj), ("BD-09", prcoords.wgs_bd), ("高德", prcoords.wgs_gcj)],
)
def test_declared_gcj02_and_bd09_are_converted_back_to_wgs84(declared, convert):
    wgs = (114.3055, 30.5928)  # 江汉关, lon/lat
    lat, lon = convert((wgs[1], wgs[0]))
    assert distance_m(wgs, (lon, lat)) > 100  # the offset is real

    run(registry_file(compounds=[compound_row(经度=lon, 纬度=lat, 坐标系=declared)]))

    compound = Compound.objects.get()
    assert distance_m(wgs, (compound.longitude, compound.latitude)) < 1


def test_chinese_labels_and_stored_values_of_choices_are_both_accepted():
    run(registry_file(compounds=[
        compound_row(产权类型="商品房", 物业管理状态="professional", 党组织=" 联合党支部 ")
    ]))  # fmt: skip

    compound = Compound.objects.get()
    assert compound.property_rights == "commodity"
    assert compound.management_status == "professional"
    assert compound.party_organisation == "joint"


def test_exact_numeric_codes_are_accepted():
    """A 12-digit community code or an 11-digit mobile in a numeric cell is still exact."""
    run(registry_file(
        compounds=[compound_row(社区编码=420102001001)], buildings=[building_row(楼栋号=1)],
        households=[household_row(楼栋号=1, 单元号=1, 房号=101, 联系电话=13800000001)],
    ))  # fmt: skip

    household = Household.objects.get()
    assert (household.room, household.phone) == ("101", "13800000001")
    assert Compound.objects.get().community.code == "420102001001"


def test_title_row_above_the_header_is_allowed_and_rows_keep_their_numbers():
    from .registry_helpers import COMPOUND_HEADERS

    data = xlsx({"小区": [["江岸区小区台账"], [], COMPOUND_HEADERS, compound_row(建成年份="老")]})

    problem = only_problem(data)

    assert (problem.sheet, problem.row, problem.column) == ("小区", 4, "建成年份")
    assert problem.letter == "H"


def test_dry_run_checks_but_writes_nothing():
    before = written_counts()

    report = run(standard_file(), dry_run=True)

    assert report.ok and report.dry_run
    assert written_counts() == before


def test_csv_of_compounds_is_imported():
    from .registry_helpers import COMPOUND_HEADERS

    lines = [",".join(COMPOUND_HEADERS), ",".join(str(v) for v in compound_row())]
    data = "\n".join(lines).encode("gb18030")

    report = run(data)

    assert report.counts["compounds_created"] == 1
    assert Compound.objects.get().name == "示例小区"


# --- bad input: every problem names sheet, row and column, and nothing is written ---


def test_unknown_community_code_is_rejected():
    problem = only_problem(registry_file(compounds=[compound_row(社区编码="420199001001")]))

    assert (problem.sheet, problem.row, problem.column) == ("小区", 2, "社区编码")
    assert problem.letter == "C"
    assert problem.message == "社区编码“420199001001”不存在或不在您的辖区内。"


def test_district_code_in_place_of_a_community_is_rejected():
    problem = only_problem(registry_file(compounds=[compound_row(社区编码="420102")]))

    assert problem.column == "社区编码"
    assert "12位数字" in problem.message


def test_community_of_another_district_gets_the_same_answer_as_an_unknown_one():
    data = registry_file(compounds=[compound_row(社区编码="420106001001")])

    problem = only_problem(data, scope=JIANGAN_OFFICER)

    assert (problem.row, problem.column) == (2, "社区编码")
    assert problem.message == "社区编码“420106001001”不存在或不在您的辖区内。"


def test_compound_code_of_another_district_cannot_be_overwritten():
    run(registry_file(compounds=[compound_row(小区编码="WC-0001", 社区编码="420106001001")]))

    data = registry_file(compounds=[compound_row(小区编码="WC-0001")])
    problem = only_problem(data, scope=JIANGAN_OFFICER)

    assert (problem.row, problem.column) == (2, "小区编码")
    assert Compound.objects.get(code="WC-0001").community.code == "420106001001"


def test_buildings_of_another_districts_compound_are_rejected_as_unknown():
    run(registry_file(compounds=[compound_row(小区编码="WC-0001", 社区编码="420106001001")]))

    problem = only_problem(registry_file(buildings=[building_row(小区编码="WC-0001")]),
                           scope=JIANGAN_OFFICER)  # fmt: skip

    assert (problem.sheet, problem.row, problem.column) == ("楼栋", 2, "小区编码")
    assert "找不到" in problem.message


def test_duplicate_compound_codes_in_the_file_are_rejected():
    data = registry_file(compounds=[compound_row(), compound_row(小区名称="另一个")])

    problem = only_problem(data)

    assert (problem.sheet, problem.row, problem.column) == ("小区", 3, "小区编码")
    assert problem.message == "小区编码“JA-0001”与第2行重复。"


def test_duplicate_buildings_and_rooms_in_the_file_are_rejected():
    data = registry_file(
        compounds=[compound_row()], buildings=[building_row(), building_row()],
        households=[household_row(), household_row()],
    )  # fmt: skip

    problems = rejected(data)

    assert [(p.sheet, p.row, p.column) for p in problems] == [
        ("楼栋", 3, "楼栋号"), ("住户", 3, "房号")
    ]  # fmt: skip


def test_negative_area_is_rejected():
    problem = only_problem(registry_file(compounds=[compound_row(建筑面积=-5)]))

    assert (problem.row, problem.column, problem.letter) == (2, "建筑面积", "M")
    assert "不能为负数" in problem.message


def test_negative_household_area_is_rejected():
    data = registry_file(compounds=[compound_row()], buildings=[building_row()],
                         households=[household_row(专有面积=-1)])  # fmt: skip

    problem = only_problem(data)

    assert (problem.sheet, problem.row, problem.column) == ("住户", 2, "专有面积")
    assert "不能为负数" in problem.message


def test_non_numeric_area_is_rejected():
    problem = only_problem(registry_file(compounds=[compound_row(建筑面积="约一万")]))

    assert (problem.column, problem.message) == ("建筑面积", "应填写数字，不能是“约一万”。")


def test_year_in_the_future_is_rejected():
    problem = only_problem(registry_file(compounds=[compound_row(建成年份=date.today().year + 1)]))

    assert (problem.row, problem.column, problem.letter) == (2, "建成年份", "H")
    assert problem.message == "建成年份不能晚于今年。"


def test_coordinates_outside_the_city_are_rejected():
    problem = only_problem(registry_file(compounds=[compound_row(经度=116.40, 纬度=39.90)]))

    assert (problem.column, problem.letter) == ("经度", "E")
    assert "不在本市范围内" in problem.message


def test_latitude_outside_the_city_names_the_latitude_column():
    problem = only_problem(registry_file(compounds=[compound_row(纬度=32.5)]))

    assert problem.column == "纬度"


def test_swapped_longitude_and_latitude_are_reported_as_swapped():
    problem = only_problem(registry_file(compounds=[compound_row(经度=30.5928, 纬度=114.3055)]))

    assert (problem.row, problem.column) == (2, "经度")
    assert "经纬度可能填反了" in problem.message


def test_longitude_without_latitude_is_rejected():
    problem = only_problem(registry_file(compounds=[compound_row(纬度=None)]))

    assert (problem.column, problem.message) == ("纬度", "经度和纬度须同时填写。")


def test_unknown_coordinate_system_is_rejected():
    problem = only_problem(registry_file(compounds=[compound_row(坐标系="火星坐标")]))

    assert problem.column == "坐标系"
    assert "GCJ-02" in problem.message


@pytest.mark.parametrize(
    ("sheet", "override", "column"),
    [
        ("小区", {"小区编码": 420102001001000123}, "小区编码"),
        ("小区", {"社区编码": 420102001001000000}, "社区编码"),
        ("住户", {"业主标识": 420102199001011234}, "业主标识"),
        ("住户", {"联系电话": 2785551234}, "联系电话"),  # a landline's leading 0 is gone
        ("住户", {"业主标识": "4.20102E+17"}, "业主标识"),  # what a numeric cell is in a CSV
    ],
)
def test_long_numbers_in_numeric_cells_are_rejected(sheet, override, column):
    if sheet == "小区":
        data = registry_file(compounds=[compound_row(**override)])
    else:
        data = registry_file(compounds=[compound_row()], buildings=[building_row()],
                             households=[household_row(**override)])  # fmt: skip

    problem = only_problem(data)

    assert (problem.sheet, problem.row, problem.column) == (sheet, 2, column)
    assert TEXT_FORMAT in problem.message


def test_missing_required_headers_are_reported_by_header():
    from .registry_helpers import COMPOUND_HEADERS

    headers = [h for h in COMPOUND_HEADERS if h not in {"社区编码", "建成年份"}]
    data = xlsx({"小区": [headers, ["JA-0001", "示例小区"]]})

    problems = rejected(data)

    assert [(p.sheet, p.row, p.column, p.message) for p in problems] == [
        ("小区", 1, "社区编码", "缺少必填列“社区编码”。"),
        ("小区", 1, "建成年份", "缺少必填列“建成年份”。"),
    ]


def test_required_cells_left_blank_are_rejected():
    problem = only_problem(registry_file(compounds=[compound_row(小区名称=None)]))

    assert (problem.row, problem.column, problem.message) == (2, "小区名称", "此项必填。")


def test_unknown_choice_label_is_rejected_with_the_choices():
    problem = only_problem(registry_file(compounds=[compound_row(产权类型="集体产权")]))

    assert (problem.column, problem.letter) == ("产权类型", "I")
    assert problem.message.startswith("“集体产权”不是可选项，可选：商品房、房改房")


def test_unreadable_yes_no_is_rejected():
    problem = only_problem(registry_file(compounds=[compound_row(是否成立业委会="可能")]))

    assert problem.column == "是否成立业委会"


def test_building_of_an_unknown_compound_is_rejected():
    problem = only_problem(registry_file(buildings=[building_row(小区编码="NOPE-1")]))

    assert (problem.sheet, problem.row, problem.column) == ("楼栋", 2, "小区编码")


def test_household_of_an_unknown_building_is_rejected():
    data = registry_file(compounds=[compound_row()], buildings=[building_row()],
                         households=[household_row(楼栋号="9")])  # fmt: skip

    problem = only_problem(data)

    assert (problem.sheet, problem.row, problem.column) == ("住户", 2, "楼栋号")


def test_household_above_the_top_floor_is_rejected():
    data = registry_file(compounds=[compound_row()], buildings=[building_row(层数=6)],
                         households=[household_row(楼层=7)])  # fmt: skip

    problem = only_problem(data)

    assert (problem.column, problem.message) == ("楼层", "楼层7超过了该楼栋的层数6。")


def test_building_with_too_many_floors_is_rejected():
    problem = only_problem(registry_file(compounds=[compound_row()],
                                         buildings=[building_row(层数=61)]))  # fmt: skip

    assert (problem.sheet, problem.column) == ("楼栋", "层数")


def test_one_bad_row_among_many_rejects_the_whole_file():
    compounds = [compound_row(小区编码=f"JA-{n:04d}") for n in range(1, 51)]
    compounds[37] = compound_row(小区编码="JA-0038", 建成年份=1800)

    problem = only_problem(registry_file(compounds=compounds))

    assert (problem.row, problem.column) == (39, "建成年份")
    assert Compound.objects.count() == 0


def test_problems_come_in_sheet_row_column_order():
    data = registry_file(
        compounds=[compound_row(建筑面积=-1, 社区编码="420199001001"), compound_row(小区编码="B")],
        buildings=[building_row(层数="七")],
    )

    problems = rejected(data)

    assert [(p.sheet, p.row, p.letter) for p in problems] == [
        ("小区", 2, "C"), ("小区", 2, "M"), ("楼栋", 2, "C")
    ]  # fmt: skip


def test_file_without_registry_sheets_is_rejected():
    problem = only_problem(xlsx({"Sheet1": [["a", "b"], [1, 2]]}))

    assert "小区、楼栋、住户" in problem.message


def test_unreadable_file_is_a_domain_error():
    with pytest.raises(Exception, match="无法读取"):
        run(b"PK\x03\x04 not really a zip")


def test_roles_without_registry_editing_may_not_import():
    with pytest.raises(PermissionDenied):
        run(standard_file(), scope=DESIGNER)
    assert Compound.objects.count() == 0


def test_rejection_hands_back_an_annotated_copy():
    data = registry_file(compounds=[compound_row(建筑面积=-5)])
    with pytest.raises(ImportRejected) as caught:
        run(data)

    copy = caught.value.annotated_copy()
    annotated = read_workbook(copy)

    assert annotated.names == ["问题清单", "小区"]
    listing = annotated.sheets["问题清单"].rows
    assert listing[1] == ["小区", "2", "M（建筑面积）", "不能为负数（填写的是-5）。"]
    assert annotated.sheets["小区"].rows[1][0] == "JA-0001"
    comments = zipfile.ZipFile(io.BytesIO(copy)).read("xl/comments1.xml").decode()
    assert 'ref="M2"' in comments and "不能为负数" in comments
    body = caught.value.as_dict()
    assert body["code"] == "import_rejected"
    assert body["problems"][0] == {"sheet": "小区", "row": 2, "column": "建筑面积", "letter": "M",
                                   "message": body["problems"][0]["message"]}  # fmt: skip

"""Shared pieces for the registry import/export tests: a small territory tree, scopes for the
personas, an in-memory .xlsx builder (numbers stay numeric cells) and a "nothing written"
snapshot."""

from __future__ import annotations

import io
from collections.abc import Iterable

import pytest
import xlsxwriter

from anju.core.models import AuditEvent
from anju.core.scope import Scope
from anju.territory.models import Building, Compound, Household, Node, Unit

CITY_OFFICE = Scope(roles=frozenset({"city_office"}), node_paths=("4201/",), label="city")
JIANGAN_OFFICER = Scope(
    roles=frozenset({"district_task_force"}), node_paths=("4201/420102/",), label="jiangan"
)
JIANGAN_COMMUNITY_WORKER = Scope(
    roles=frozenset({"community_worker"}), node_paths=("4201/420102/",), label="worker"
)
WUCHANG_OFFICER = Scope(
    roles=frozenset({"district_task_force"}), node_paths=("4201/420106/",), label="wuchang"
)
DESIGNER = Scope(roles=frozenset({"designer"}), compound_ids=frozenset({1}), label="designer")

COMPOUND_HEADERS = [
    "小区编码", "小区名称", "社区编码", "地址", "经度", "纬度", "坐标系", "建成年份", "产权类型",
    "原产权单位", "楼栋数", "户数", "建筑面积", "物业管理状态", "是否成立业委会", "党组织",
]  # fmt: skip
BUILDING_HEADERS = ["小区编码", "楼栋号", "层数", "是否有电梯"]
HOUSEHOLD_HEADERS = [
    "小区编码", "楼栋号", "单元号", "房号", "楼层", "专有面积", "业主标识", "联系电话",
    "独居老人", "残疾人",
]  # fmt: skip


def make_tree() -> dict[str, Node]:
    """武汉 → 江岸区 → 大智街道 → two communities; 武昌区 → 积玉桥街道 → one community."""
    nodes = {}

    def add(code, name, kind, parent=None):
        nodes[code] = Node.objects.create(code=code, name=name, kind=kind, parent=parent)
        return nodes[code]

    city = add("4201", "武汉市", Node.Kind.CITY)
    jiangan = add("420102", "江岸区", Node.Kind.DISTRICT, city)
    dazhi = add("420102001", "大智街道", Node.Kind.STREET, jiangan)
    add("420102001001", "示例一社区", Node.Kind.COMMUNITY, dazhi)
    add("420102001002", "示例二社区", Node.Kind.COMMUNITY, dazhi)
    wuchang = add("420106", "武昌区", Node.Kind.DISTRICT, city)
    jiyuqiao = add("420106001", "积玉桥街道", Node.Kind.STREET, wuchang)
    add("420106001001", "示例三社区", Node.Kind.COMMUNITY, jiyuqiao)
    return nodes


@pytest.fixture
def territory(db):
    return make_tree()


def compound_row(**overrides) -> list:
    values = {
        "小区编码": "JA-0001", "小区名称": "示例小区", "社区编码": "420102001001",
        "地址": "江岸区示例路1号", "经度": 114.3055, "纬度": 30.5928, "坐标系": "WGS84",
        "建成年份": 1995, "产权类型": "房改房", "原产权单位": "武汉市示例厂", "楼栋数": 2,
        "户数": 4, "建筑面积": 1200.5, "物业管理状态": "无物业管理", "是否成立业委会": "否",
        "党组织": "未建立",
    }  # fmt: skip
    values.update(overrides)
    return [values[h] for h in COMPOUND_HEADERS]


def building_row(**overrides) -> list:
    values = {"小区编码": "JA-0001", "楼栋号": "1", "层数": 6, "是否有电梯": "否"}
    values.update(overrides)
    return [values[h] for h in BUILDING_HEADERS]


def household_row(**overrides) -> list:
    values = {
        "小区编码": "JA-0001", "楼栋号": "1", "单元号": "1", "房号": "101", "楼层": 1,
        "专有面积": 56.3, "业主标识": "OWNER-0001", "联系电话": "13800000001",
        "独居老人": "否", "残疾人": "否",
    }  # fmt: skip
    values.update(overrides)
    return [values[h] for h in HOUSEHOLD_HEADERS]


def xlsx(sheets: dict[str, Iterable[Iterable]]) -> bytes:
    """A workbook from {sheet: rows}: str → text cell, int/float → numeric cell, None → empty."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, int | float):
                    sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, str(value))
    book.close()
    return output.getvalue()


def registry_file(compounds=None, buildings=None, households=None) -> bytes:
    """A registry workbook; each argument is a list of data rows (headers added) or None to
    leave the sheet out."""
    sheets = {}
    if compounds is not None:
        sheets["小区"] = [COMPOUND_HEADERS, *compounds]
    if buildings is not None:
        sheets["楼栋"] = [BUILDING_HEADERS, *buildings]
    if households is not None:
        sheets["住户"] = [HOUSEHOLD_HEADERS, *households]
    return xlsx(sheets)


def standard_file() -> bytes:
    return registry_file(
        compounds=[compound_row()],
        buildings=[building_row(), building_row(楼栋号="2", 层数=7, 是否有电梯="是")],
        households=[
            household_row(),
            household_row(房号="102", 联系电话="027-85551234", 独居老人="是"),
            household_row(楼栋号="2", 单元号="2", 房号="201", 楼层=2, 业主标识="OWNER-0001"),
            household_row(楼栋号="2", 单元号="2", 房号="701", 楼层=7, 残疾人="是"),
        ],
    )


def written_counts() -> dict[str, int]:
    return {
        "compounds": Compound.objects.count(),
        "buildings": Building.objects.count(),
        "units": Unit.objects.count(),
        "households": Household.objects.count(),
        "audit": AuditEvent.objects.count(),
        "compound_history": Compound.history.count(),
        "household_history": Household.history.count(),
    }

"""Shared pieces of the works tests: district outlines round the conftest city's compounds,
two water and gas utilities with a user each, scopes, a work's values and an .xlsx builder."""

from __future__ import annotations

import io

import xlsxwriter
from django.contrib.auth import get_user_model

from anju.access.models import Organisation, Role, RoleAssignment
from anju.coordination.models import Work
from anju.core.scope import Scope

# The conftest city: 铭新街小区 (江岸) at 114.29, 30.59 and 积玉桥宿舍 (武昌) at 114.31, 30.56.
JIANGAN_BOX = (114.25, 30.575, 114.33, 30.63)
WUCHANG_BOX = (114.25, 30.50, 114.35, 30.575)
IN_JIANGAN = [[114.2905, 30.5905], [114.2925, 30.5912]]
IN_WUCHANG = [[114.3105, 30.5605], [114.3125, 30.5612]]
WORK_HEADERS = [
    "工程编号", "类别", "名称", "计划开工", "计划完工", "状态", "几何(WKT)",
    "起点经度", "起点纬度", "终点经度", "终点纬度", "半径(米)", "涉及小区",
]  # fmt: skip


def box(min_lon, min_lat, max_lon, max_lat) -> dict:
    ring = [
        [min_lon, min_lat],
        [max_lon, min_lat],
        [max_lon, max_lat],
        [min_lon, max_lat],
        [min_lon, min_lat],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def outline_districts(city) -> None:
    city.jiangan.outline = box(*JIANGAN_BOX)
    city.jiangan.save()
    city.wuchang.outline = box(*WUCHANG_BOX)
    city.wuchang.save()


def line(coordinates) -> dict:
    return {"type": "LineString", "coordinates": coordinates}


def values(**overrides) -> dict:
    return {
        "kind": "water_supply",
        "name": "胜利街供水管网更新",
        "starts_on": "2026-03-01",
        "ends_on": "2026-06-30",
        "geometry": line(IN_JIANGAN),
        **overrides,
    }


def utility_with_user(name: str, username: str):
    organisation = Organisation.objects.create(name=name, kind=Organisation.Kind.UTILITY)
    user = get_user_model().objects.create_user(username=username, password="x")
    RoleAssignment.objects.create(user=user, role=Role.UTILITY_COMPANY, organisation=organisation)
    return organisation, user


def city_scope(city) -> Scope:
    return Scope(roles=frozenset({"city_office"}), node_paths=(city.city.path,), label="city")


def district_scope(node) -> Scope:
    return Scope(roles=frozenset({"district_task_force"}), node_paths=(node.path,), label="d")


def utility_scope(organisation) -> Scope:
    """The utility's scope as scope_for makes it: its organisation and assigned compounds."""
    from anju.access.models import CompoundAssignment

    assigned = CompoundAssignment.objects.filter(organisation=organisation)
    return Scope(
        roles=frozenset({"utility_company"}),
        organisation_id=organisation.pk,
        compound_ids=frozenset(assigned.values_list("compound_id", flat=True)),
        label="utility",
    )


def assign(organisation, compound) -> None:
    """The compound is entrusted to the utility (CompoundAssignment): it may name it."""
    from anju.access.models import CompoundAssignment

    CompoundAssignment.objects.create(organisation=organisation, compound=compound)


def utility_in(city, name: str, username: str):
    """A utility and its user (no compounds assigned: its scope is its organisation), in the
    conftest city with its two districts outlined."""
    outline_districts(city)
    return utility_with_user(name, username)


def xlsx(rows: list[dict], headers=WORK_HEADERS, sheet: str = "工程") -> bytes:
    """A workbook with one sheet; each row a dict header → value (numbers stay numbers)."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_numbers": False})
    worksheet = workbook.add_worksheet(sheet)
    for col, header in enumerate(headers):
        worksheet.write_string(0, col, header)
    for row_index, row in enumerate(rows, start=1):
        for col, header in enumerate(headers):
            value = row.get(header)
            if value is None:
                continue
            if isinstance(value, int | float):
                worksheet.write_number(row_index, col, value)
            else:
                worksheet.write_string(row_index, col, str(value))
    workbook.close()
    return output.getvalue()


def row(**overrides) -> dict:
    return {
        "工程编号": "GS-001",
        "类别": "供水",
        "名称": "胜利街供水管网更新",
        "计划开工": "2026-03-01",
        "计划完工": "2026-06-30",
        "几何(WKT)": "LINESTRING (114.2905 30.5905, 114.2925 30.5912)",
        **overrides,
    }


def nothing_written() -> tuple:
    from anju.core.models import AuditEvent

    return Work.objects.count(), AuditEvent.objects.filter(verb__startswith="work").count()

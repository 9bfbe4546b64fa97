"""A new city, from `anju migrate` without the demo, onboards its districts' staff and
companies: the first city-office account from the CLI, then one .xlsx; then a district officer
signs in and sees their district. And the file's rules: all or nothing, sheet/row/column
problems, nobody grants more than their own scope."""

from __future__ import annotations

import io
import re

import pytest
import xlsxwriter
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from anju.access.models import CompoundAssignment, Organisation, RoleAssignment
from anju.core import excel
from anju.core.models import AuditEvent
from anju.territory.models import Compound, Node

USCC = "91420102100000091G"
ORGS = ["机构名称", "机构类型", "统一社会信用代码", "所属部门"]
STAFF = ["用户名", "姓名", "角色", "辖区代码", "所属机构", "邮箱", "初始密码"]
ASSIGN = ["小区编码", "机构名称"]


def workbook(**sheets) -> bytes:
    """{sheet name: [header, *rows]} as .xlsx bytes (every cell a string)."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write_string(r, c, value)
    book.close()
    return output.getvalue()


def sign_in(client, username, password) -> bool:
    """Through the staff sign-in form, as a person would (django-axes watches it)."""
    response = client.post("/sign-in/", {"username": username, "password": password})
    return response.status_code == 302


def upload(data: bytes, name="onboarding.xlsx"):
    return SimpleUploadedFile(name, data, content_type=excel.XLSX_CONTENT_TYPE)


@pytest.fixture
def bare_city(db):
    """Only territory nodes and one compound per district: no accounts, no organisations."""
    city = Node.objects.create(kind=Node.Kind.CITY, code="4201", name="武汉市")
    districts = {}
    for code, name in (("420102", "江岸区"), ("420106", "武昌区")):
        district = Node.objects.create(kind=Node.Kind.DISTRICT, code=code, name=name, parent=city)
        street = Node.objects.create(
            kind=Node.Kind.STREET, code=code + "001", name=name + "一街", parent=district
        )
        community = Node.objects.create(
            kind=Node.Kind.COMMUNITY, code=code + "001001", name=name + "一社区", parent=street
        )
        Compound.objects.create(
            code=code + "001001001", name=name + "老小区", community=community, year_built=1990
        )
        districts[code] = district
    return districts


def file_for_two_districts() -> bytes:
    return workbook(
        机构=[ORGS, ["江城设计院", "设计单位", USCC, ""], ["江城供电", "专营单位", "", ""]],
        人员=[
            STAFF,
            ["jiangan-zhang", "张三", "区工作专班", "420102", "", "", ""],
            ["wuchang-li", "李四", "区工作专班", "420106", "", "", ""],
            ["jiangan-wang", "王五", "社区工作者", "420102001001", "", "", "Qz7-wharf-lantern"],
            ["jiangan-wang", "王五", "街道办", "420102001", "", "", ""],
            ["designer-chen", "陈六", "设计单位", "", "江城设计院", "", ""],
        ],
        委托=[ASSIGN, ["420102001001001", "江城设计院"], ["420106001001001", "江城供电"]],
    )


def test_a_new_city_onboards_from_the_workbench_and_a_district_officer_sees_the_district(
    client, bare_city, capsys
):
    call_command("onboard", first_admin="chief", city_code="4201")
    output = capsys.readouterr().out
    password = re.search(r"：(\S+)\s*$", output.strip()).group(1)
    assert sign_in(client, "chief", password)

    response = client.post("/workbench/admin/onboard/", {"file": upload(file_for_two_districts())})
    assert response.status_code == 200, response.content.decode()[:2000]
    html = response.content.decode()
    shown = dict(
        re.findall(r"<tr><td>([\w-]+)</td><td class=\"font-monospace[^\"]*\">([^<]+)</td>", html)
    )
    assert set(shown) == {"jiangan-zhang", "wuchang-li", "designer-chen"}  # 王五's was chosen
    assert get_user_model().objects.count() == 5
    assert RoleAssignment.objects.count() == 6
    assert CompoundAssignment.objects.count() == 2
    assert AuditEvent.objects.filter(verb="access.onboarded").count() == 1
    client.logout()

    assert sign_in(client, "jiangan-zhang", shown["jiangan-zhang"])
    home = client.get("/workbench/").content.decode()
    assert "江岸区" in home and "武昌区" not in home
    assert "/workbench/admin/" in home
    client.logout()
    assert sign_in(client, "designer-chen", shown["designer-chen"])
    home = client.get("/workbench/").content.decode()
    assert "江岸区老小区" in home and "武昌区老小区" not in home


def test_the_cli_onboards_a_file_and_prints_the_generated_passwords(bare_city, tmp_path, capsys):
    path = tmp_path / "onboarding.xlsx"
    path.write_bytes(file_for_two_districts())
    call_command("onboard", str(path), quiet=True)
    output = capsys.readouterr().out
    assert "新建账号：4" in output
    assert "jiangan-zhang\t" in output
    assert Organisation.objects.count() == 2


def test_the_first_admin_is_created_only_once(bare_city):
    call_command("onboard", first_admin="chief", city_code="4201")
    with pytest.raises(CommandError):
        call_command("onboard", first_admin="chief2", city_code="4201")
    with pytest.raises(CommandError):
        call_command("onboard", first_admin="x", city_code="9999")


def test_one_problem_rejects_the_whole_file_with_sheet_row_and_column(bare_city, tmp_path):
    data = workbook(
        机构=[ORGS, ["好机构", "设计单位", "", ""], ["坏代码", "设计单位", "123", ""]],
        人员=[STAFF, ["ok", "甲", "区工作专班", "420102", "", "", ""],
              ["bad", "乙", "区工作专班", "999999", "", "", ""]],
    )  # fmt: skip
    path = tmp_path / "bad.xlsx"
    path.write_bytes(data)
    with pytest.raises(CommandError):
        call_command("onboard", str(path), quiet=True)
    assert not Organisation.objects.exists()
    assert not get_user_model().objects.exists()


def test_a_district_officer_file_cannot_reach_beyond_the_district(client, bare_city):
    call_command("onboard", first_admin="chief", city_code="4201")
    chief = get_user_model().objects.get(username="chief")
    from anju.access import administration
    from anju.access.administration import RoleGrant

    account = administration.create_staff(
        actor=chief,
        username="ja",
        full_name="江岸",
        grants=[RoleGrant("district_task_force", bare_city["420102"])],
    )
    assert sign_in(client, "ja", account.generated_password)
    data = workbook(
        机构=[ORGS, ["新机构", "施工单位", "", ""]],
        人员=[STAFF, ["boss", "丙", "市改造办", "4201", "", "", ""],
              ["wc", "丁", "社区工作者", "420106001001", "", "", ""],
              ["ok", "戊", "社区工作者", "420102001001", "", "", ""]],
        委托=[ASSIGN, ["420106001001001", "新机构"]],
    )  # fmt: skip
    response = client.post("/workbench/admin/onboard/", {"file": upload(data)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "机构 第2行" in html and "只有市改造办可以登记机构" in html
    assert "人员 第2行" in html and "人员 第3行" in html and "420106001001" in html
    assert "委托 第2行" in html
    assert "人员 第4行" not in html
    assert not get_user_model().objects.filter(username="ok").exists()


def test_the_template_has_its_instructions_and_three_sheets(client, db):
    response = client.get("/workbench/admin/onboard/template/")
    assert response.status_code == 200
    book = excel.read_workbook(response.content)
    assert book.names == ["填写说明", "机构", "人员", "委托"]

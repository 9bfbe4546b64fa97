"""Paper survey sheets: all rows checked first, every problem named by row and column, nothing
written on rejection, all rows written in one transaction otherwise; the upload page, the
template and the annotated copy."""

import io
from datetime import timedelta

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anju.access.models import Role
from anju.conftest import make_user
from anju.core.errors import PermissionDenied
from anju.core.excel import read_workbook
from anju.core.importing import ImportParams, ImportRejected
from anju.core.models import AuditEvent, TaskProgress
from anju.core.scope import Scope
from anju.engagement import services
from anju.engagement.importers import HEADERS, NeedsImporter
from anju.engagement.models import Channel, Submission
from anju.engagement.services import NeedChoice
from anju.territory.models import Household, Unit

pytestmark = pytest.mark.django_db


def district_scope(node):
    return Scope(roles=frozenset({"district_task_force"}), node_paths=(node.path,))


@pytest.fixture
def campaign(city, jiangan_officer):
    return services.open_campaign(
        actor=jiangan_officer,
        scope=district_scope(city.jiangan),
        node=city.jiangan,
        title="铭新街小区问需",
        compounds=[city.jiangan_compound],
        starts_on=services.today() - timedelta(days=1),
        ends_on=services.today() + timedelta(days=14),
    )


def workbook(rows, *, header=HEADERS, sheet="问卷") -> bytes:
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    page = book.add_worksheet(sheet)
    page.write_row(0, 0, header)
    for index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if value is not None:
                page.write_string(index, column, str(value))
    book.close()
    return output.getvalue()


def row(city, **overrides) -> list:
    values = {
        "小区编码": city.jiangan_compound.code,
        "楼栋号": "1栋",
        "单元号": "1单元",
        "房号": "101",
        "纸质表编号": "JA-0001",
        "需求": "B15,I13",
        "急需": "I13",
        "出资意愿": "愿意出一部分",
        "其他意见": "",
    }
    values.update(overrides)
    return [values[header] for header in HEADERS]


def run(campaign, user, city, data: bytes):
    params = ImportParams(actor=user, scope=district_scope(city.jiangan), filename="问卷.xlsx")
    return NeedsImporter(campaign).run(data, params)


def rejection(campaign, user, city, data: bytes) -> list[tuple]:
    with pytest.raises(ImportRejected) as caught:
        run(campaign, user, city, data)
    return [(p.row, p.column, p.message) for p in caught.value.problems]


# --- the happy path --------------------------------------------------------------------------


def test_paper_answers_are_imported_in_one_go(campaign, jiangan_officer, city):
    data = workbook(
        [
            row(city, 其他意见="希望尽快开工"),
            row(
                city,
                楼栋号="1",
                单元号="",
                房号="201室",
                纸质表编号="JA-0002",
                需求="外墙修缮、加装电梯",
                急需="加装电梯",
                出资意愿="",
            ),
            row(city, 单元号="1", 房号="301", 纸质表编号="JA-0003", 需求="", 急需=""),
        ]
    )

    report = run(campaign, jiangan_officer, city, data)

    assert report.counts == {"answers_created": 3, "answers_updated": 0}
    submissions = {s.household.room: s for s in Submission.objects.select_related("household")}
    assert set(submissions) == {"101", "201", "301"}
    assert all(s.channel == Channel.IMPORTED for s in submissions.values())
    assert all(s.recorded_by == jiangan_officer for s in submissions.values())
    first = submissions["101"]
    assert first.paper_reference == "JA-0001"
    assert first.willingness == "some"
    assert first.comment == "希望尽快开工"
    assert sorted((n.item.code, n.is_urgent) for n in first.needs.all()) == [
        ("B15", False),
        ("I13", True),
    ]
    assert sorted((n.item.code, n.is_urgent) for n in submissions["201"].needs.all()) == [
        ("B15", False),
        ("I13", True),
    ]
    assert not submissions["301"].needs.exists()
    assert AuditEvent.objects.filter(verb="needs.submitted").count() == 3
    imported = AuditEvent.objects.get(verb="needs.imported")
    assert imported.territory_path == campaign.path
    assert imported.after["answers_created"] == 3


def test_importing_the_same_corrected_file_again_updates_without_duplicates(
    campaign, jiangan_officer, city
):
    run(campaign, jiangan_officer, city, workbook([row(city)]))

    report = run(campaign, jiangan_officer, city, workbook([row(city, 需求="B01", 急需="")]))

    assert report.counts == {"answers_created": 0, "answers_updated": 1}
    submission = Submission.objects.get()
    assert [n.item.code for n in submission.needs.all()] == ["B01"]


def test_a_csv_of_the_sheet_works_too(campaign, jiangan_officer, city):
    text = ",".join(HEADERS) + "\n" + ",".join(row(city, 需求="B15", 急需="")) + "\n"

    report = run(campaign, jiangan_officer, city, text.encode("utf-8"))

    assert report.counts["answers_created"] == 1


def test_every_row_is_written_in_one_transaction(campaign, jiangan_officer, city, monkeypatch):
    calls = []
    write = services.write_needs

    def fail_on_the_second(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        return write(**kwargs)

    monkeypatch.setattr(services, "write_needs", fail_on_the_second)
    data = workbook([row(city), row(city, 房号="201", 纸质表编号="JA-0002")])

    with pytest.raises(RuntimeError):
        run(campaign, jiangan_officer, city, data)

    assert not Submission.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="needs.").exists()


# --- every bad case --------------------------------------------------------------------------


def answered_online(campaign, city, officer):
    household = city.jiangan_compound.households.get(room="101")
    services.submit_needs(
        actor=None, campaign=campaign, household=household, needs=[NeedChoice("B01")]
    )


def second_unit_with_room_101(campaign, city, officer):
    unit = Unit.objects.create(building=city.jiangan_compound.buildings.get(), number="2单元")
    Household.objects.create(unit=unit, room="101", floor=1, exclusive_area=60)


def paper_answer_elsewhere(campaign, city, officer):
    household = city.jiangan_compound.households.get(room="401")
    services.submit_needs(
        actor=officer,
        campaign=campaign,
        household=household,
        needs=[],
        channel=Channel.DOOR_TO_DOOR,
        paper_reference="JA-0001",
    )


CASES = [
    ("unknown-compound", {"小区编码": "NOPE"}, None, 2, "小区编码", "不在本次征集范围内"),
    ("other-districts-compound", {"小区编码": "wuchang"}, None, 2, "小区编码", "不在本次征集"),
    ("unknown-room", {"房号": "909"}, None, 2, "房号", "找不到"),
    ("unknown-building", {"楼栋号": "9栋"}, None, 2, "房号", "找不到"),
    ("ambiguous-blank-unit", {"单元号": ""}, second_unit_with_room_101, 2, "房号", "单元号"),
    ("missing-paper-reference", {"纸质表编号": ""}, None, 2, "纸质表编号", "此项必填"),
    ("unknown-item", {"需求": "B15,屋顶花园"}, None, 2, "需求", "屋顶花园"),
    ("unknown-urgent-item", {"急需": "Z9"}, None, 2, "急需", "Z9"),
    ("urgent-not-needed", {"需求": "B15", "急需": "I13"}, None, 2, "急需", "不在“需求”中"),
    ("item-twice", {"需求": "B15,外墙修缮", "急需": ""}, None, 2, "需求", "只能写一次"),
    ("bad-willingness", {"出资意愿": "很愿意"}, None, 2, "出资意愿", "不是可选项"),
    ("comment-too-long", {"其他意见": "长" * 2001}, None, 2, "其他意见", "2000"),
    ("answered-online", {}, answered_online, 2, "房号", "已在线提交"),
    ("reference-of-another", {}, paper_answer_elsewhere, 2, "纸质表编号", "另一户"),
]


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_a_bad_row_rejects_the_file_naming_row_and_column_and_nothing_is_written(
    campaign, jiangan_officer, city, case
):
    _name, overrides, setup, line, column, message = case
    if setup is not None:
        setup(campaign, city, jiangan_officer)
    if overrides.get("小区编码") == "wuchang":
        overrides = {**overrides, "小区编码": city.wuchang_compound.code}
    good = row(city, 房号="301", 纸质表编号="JA-0301")
    submissions = list(Submission.objects.values_list("pk", "updated_at"))
    events = AuditEvent.objects.count()

    problems = rejection(campaign, jiangan_officer, city, workbook([row(city, **overrides), good]))

    assert [(p[0], p[1]) for p in problems] == [(line, column)], problems
    assert message in problems[0][2]
    assert list(Submission.objects.values_list("pk", "updated_at")) == submissions
    assert AuditEvent.objects.count() == events


def test_two_rows_for_one_household_or_one_paper(campaign, jiangan_officer, city):
    data = workbook(
        [
            row(city),
            row(city, 房号="101室", 纸质表编号="JA-0002"),
            row(city, 房号="301", 纸质表编号="JA-0002"),
        ]
    )

    problems = rejection(campaign, jiangan_officer, city, data)

    assert [(p[0], p[1]) for p in problems] == [(3, "房号"), (4, "纸质表编号")]
    assert "与第2行是同一户" in problems[0][2]
    assert "与第3行重复" in problems[1][2]
    assert not Submission.objects.exists()


def test_problems_carry_the_column_letter(campaign, jiangan_officer, city):
    with pytest.raises(ImportRejected) as caught:
        run(campaign, jiangan_officer, city, workbook([row(city, 急需="Z9")]))

    (problem,) = caught.value.problems
    assert problem.letter == "G"
    assert str(problem) == f"问卷 第2行 列G（急需）：{problem.message}"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (lambda city: workbook([row(city)], sheet="Sheet1"), "工作表应命名为：问卷"),
        (lambda city: workbook([row(city)[:4]], header=HEADERS[:4]), "缺少必填列“纸质表编号”"),
        (lambda city: workbook([]), "没有数据行"),
        (lambda city: b"\x00\x01not a spreadsheet", "无法读取"),
    ],
    ids=["wrong-sheet", "missing-column", "empty", "not-a-spreadsheet"],
)
def test_a_bad_file_is_rejected_whole(campaign, jiangan_officer, city, data, message):
    from anju.core.errors import DomainError

    with pytest.raises(DomainError) as caught:
        run(campaign, jiangan_officer, city, data(city))

    text = "\n".join(str(p) for p in getattr(caught.value, "problems", [])) or str(
        caught.value.message
    )
    assert message in text
    assert not Submission.objects.exists()


def test_outside_the_window_nothing_is_imported(jiangan_officer, city):
    closed = services.open_campaign(
        actor=jiangan_officer,
        scope=district_scope(city.jiangan),
        node=city.jiangan,
        title="已结束",
        compounds=[city.jiangan_compound],
        starts_on=services.today() - timedelta(days=9),
        ends_on=services.today() - timedelta(days=2),
    )

    problems = rejection(closed, jiangan_officer, city, workbook([row(city)]))

    assert len(problems) == 1
    assert problems[0][0] is None
    assert "不在征集期内" in problems[0][2]


def test_companies_may_not_import(campaign, designer, city):
    params = ImportParams(
        actor=designer,
        scope=Scope(
            roles=frozenset({"designer"}), compound_ids=frozenset({city.jiangan_compound.pk})
        ),
    )

    with pytest.raises(PermissionDenied):
        NeedsImporter(campaign).run(workbook([row(city)]), params)


# --- the page, the job, the template, the annotated copy -------------------------------------


def upload(client, campaign, data, name="问卷.xlsx"):
    return client.post(
        reverse("engagement:needs-import", args=[campaign.pk]),
        {"file": SimpleUploadedFile(name, data)},
    )


def test_upload_runs_the_job(
    client_as, jiangan_officer, campaign, city, django_capture_on_commit_callbacks
):
    client = client_as(jiangan_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, campaign, workbook([row(city)]))

    task = TaskProgress.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:task-detail", args=[task.pk])
    task.refresh_from_db()
    assert task.state == TaskProgress.State.SUCCEEDED, task.error
    assert task.result["counts"]["answers_created"] == 1
    assert task.territory_path == campaign.path
    assert Submission.objects.get().channel == Channel.IMPORTED
    detail = client.get(reverse("engagement:campaign-detail", args=[campaign.pk]))
    assert "新增答卷 1" in detail.text


def test_a_rejected_upload_offers_the_annotated_copy(
    client_as, jiangan_officer, campaign, city, django_capture_on_commit_callbacks
):
    client = client_as(jiangan_officer)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, campaign, workbook([row(city, 房号="909")]))

    task = TaskProgress.objects.get()
    assert task.state == TaskProgress.State.FAILED
    assert task.result["problems"][0]["column"] == "房号"
    url = reverse("engagement:needs-import-annotated", args=[task.pk])
    assert task.result["annotated_url"] == url
    response = client.get(url)
    marked = read_workbook(b"".join(response.streaming_content))
    assert marked.names[0] == "问题清单"
    assert "房号" in str(marked.sheets["问题清单"].rows[1])
    assert not Submission.objects.exists()


def test_the_annotated_copy_is_only_for_those_who_may_read_answers(
    client_as, jiangan_officer, campaign, city, django_capture_on_commit_callbacks
):
    """The marked copy holds every household's answers (comments, willingness to pay): a
    department reviewer whose territory covers the job sees the job, not the answers."""
    with django_capture_on_commit_callbacks(execute=True):
        upload(client_as(jiangan_officer), campaign, workbook([row(city, 房号="909")]))
    task = TaskProgress.objects.get()
    reviewer = make_user("reviewer", Role.DEPARTMENT_REVIEWER, node=city.jiangan)

    response = client_as(reviewer).get(reverse("engagement:needs-import-annotated", args=[task.pk]))

    assert response.status_code == 404


def test_the_upload_form_refuses_other_file_types(client_as, jiangan_officer, campaign):
    response = upload(client_as(jiangan_officer), campaign, b"hello", name="问卷.txt")

    assert response.status_code == 200
    assert response.context["upload_form"].errors["file"]
    assert not TaskProgress.objects.exists()


def test_the_template_has_instructions_items_and_the_campaigns_compounds(
    client_as, jiangan_officer, campaign, city
):
    response = client_as(jiangan_officer).get(
        reverse("engagement:needs-import-template", args=[campaign.pk])
    )

    book = read_workbook(response.content)
    assert book.names == ["填写说明", "问卷", "改造内容", "本次征集小区"]
    assert book.sheets["问卷"].rows[0] == HEADERS
    assert ["B15", "基础类", "外墙修缮", "外墙脱落、渗漏治理"] in book.sheets["改造内容"].rows
    assert book.sheets["本次征集小区"].rows[1][:2] == [
        city.jiangan_compound.code,
        city.jiangan_compound.name,
    ]
    assert "纸质表编号" in str(book.sheets["填写说明"].rows)

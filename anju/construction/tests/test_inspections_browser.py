"""Quality and safety supervision in a real browser: 江岸's district task force records a
scaffolding inspection with one failed item (severity, photo, responsible party), which issues a
rectification order (screenshot construction-inspection-form.png); the construction unit's
staff open the order from the project and answer it with a note and an evidence photo
(construction-finding-answer.png); the inspector reopens it with a reason, the builder answers
again, and the inspector closes it (construction-finding-closed.png).

Playwright drives Debian's chromium through the shared fixtures of anju/testing/browser.py."""

from __future__ import annotations

import pytest

from anju.conftest import PASSWORD
from anju.testing.browser import OFFICE, screenshot

from ..models import Finding, Inspection, RectificationStep
from .inspecting import jpeg, name_parties

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAILED_ITEM = "作业层满铺脚手板，设置挡脚板和防护栏杆"
DESCRIPTION = "3 号楼东侧作业层脚手板未满铺，缺挡脚板。"
FIRST_ANSWER = "已补铺脚手板。"
REOPEN_REASON = "挡脚板仍未设置，请补齐后再回复。"
SECOND_ANSWER = "已补铺脚手板并设置挡脚板和防护栏杆。"


def photo(name: str) -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": jpeg(name).read()}


@pytest.fixture
def staff_page(browser, live_server):
    """Signs a staff member in on the workbench in a context of their own (closed after)."""
    contexts = []

    def sign_in(user):
        context = browser.new_context(viewport=OFFICE, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.goto(live_server.url + "/sign-in/")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url("**/workbench/")
        return page

    yield sign_in
    for context in contexts:
        context.close()


def answer(page, note: str, evidence: str) -> None:
    """The builder answers the open order from its page."""
    page.get_by_role("link", name="回复整改情况").click()
    page.get_by_label("整改情况").fill(note)
    page.get_by_label("整改后照片（1 至 3 张）").set_input_files(photo(evidence))
    page.get_by_role("button", name="提交回复").click()
    page.wait_for_selector("#finding-status")
    assert "已提交整改回复，等待复查。" in page.locator("main").inner_text()
    assert page.locator("#finding-status").inner_text() == "已回复待复查"


def test_an_order_is_issued_answered_reopened_and_closed_in_the_browser(  # noqa: PLR0917 (fixtures)
    staff_page,
    live_server,
    approved_project,
    builder_firm,
    supervisor_firm,
    jiangan_officer,
    builder,
):
    project = approved_project
    name_parties(project, construction=builder_firm, supervision=supervisor_firm)

    inspector = staff_page(jiangan_officer)
    inspector.goto(f"{live_server.url}/workbench/construction/projects/{project.pk}/")
    inspector.locator("#inspections-panel").get_by_role("link", name="记录检查").click()
    inspector.wait_for_url("**/inspections/new/")
    assert inspector.get_by_label("作业类型").input_value() == "scaffolding"
    inspector.get_by_label("检查类别").select_option(label="安全检查")
    inspector.get_by_label("检查说明").fill("例行安全巡查")
    for group in inspector.get_by_role("radiogroup").all():
        group.get_by_label("合格", exact=True).check()
    inspector.get_by_role("radiogroup", name=FAILED_ITEM).get_by_label("不合格").check()
    order = inspector.get_by_role("group", name=FAILED_ITEM)
    order.get_by_label("严重程度").select_option(label="较重")
    order.get_by_label("问题描述").fill(DESCRIPTION)
    order.get_by_label("责任单位").select_option(label="施工单位 · 楚天建设有限公司")
    order.get_by_label("问题照片（最多 3 张）").set_input_files(photo("scaffold.jpg"))
    screenshot(inspector, "construction-inspection-form")
    inspector.get_by_role("button", name="提交检查记录").click()
    inspector.wait_for_url("**/workbench/construction/inspections/*/")
    assert "已记录检查，并下发整改通知。" in inspector.locator("main").inner_text()
    failed_row = inspector.locator("#results tr", has_text=FAILED_ITEM)
    assert failed_row.get_by_role("cell").nth(1).inner_text() == "不合格"
    finding = Finding.objects.get()
    order_row = inspector.locator("table.findings tbody tr")
    assert order_row.count() == 1
    row_text = order_row.inner_text()
    assert finding.order_number in row_text
    assert "较重" in row_text and "楚天建设有限公司" in row_text and "待整改" in row_text

    contractor = staff_page(builder)
    contractor.goto(f"{live_server.url}/workbench/construction/")
    contractor.get_by_role("link", name=project.name).click()
    panel = contractor.locator("#inspections-panel")
    assert "待整改" in panel.inner_text()
    assert panel.get_by_role("link", name="记录检查").count() == 0
    panel.get_by_role("link", name=finding.order_number).click()
    contractor.wait_for_url(f"**/workbench/construction/findings/{finding.pk}/")
    assert contractor.locator("#finding-status").inner_text() == "待整改"
    assert DESCRIPTION in contractor.locator("main").inner_text()
    assert contractor.get_by_role("img", name="问题照片").count() == 1
    assert contractor.get_by_role("button", name="复查通过，销项").count() == 0
    answer(contractor, FIRST_ANSWER, "answer-1.jpg")
    assert contractor.get_by_role("link", name="回复整改情况").count() == 0
    assert contractor.locator("#review-form").count() == 0
    steps = contractor.locator("#steps li")
    assert steps.count() == 1
    assert "整改回复" in steps.first.inner_text() and FIRST_ANSWER in steps.first.inner_text()
    assert steps.first.get_by_role("img", name="整改照片").count() == 1
    screenshot(contractor, "construction-finding-answer")

    inspector.goto(f"{live_server.url}/workbench/construction/findings/{finding.pk}/")
    assert inspector.locator("#finding-status").inner_text() == "已回复待复查"
    assert inspector.get_by_role("link", name="回复整改情况").count() == 0
    inspector.get_by_label("复查意见").fill(REOPEN_REASON)
    inspector.get_by_role("button", name="复查未通过，退回").click()
    inspector.wait_for_selector("#finding-status")
    assert "复查未通过，已退回责任单位重新整改。" in inspector.locator("main").inner_text()
    assert inspector.locator("#finding-status").inner_text() == "复查未通过"
    assert inspector.locator("#review-form").count() == 0
    assert REOPEN_REASON in inspector.locator("#steps li").nth(1).inner_text()

    contractor.reload()
    assert contractor.locator("#finding-status").inner_text() == "复查未通过"
    assert REOPEN_REASON in contractor.locator("#steps").inner_text()
    answer(contractor, SECOND_ANSWER, "answer-2.jpg")

    inspector.reload()
    assert inspector.locator("#finding-status").inner_text() == "已回复待复查"
    inspector.get_by_label("复查意见").fill("复查合格")
    inspector.get_by_role("button", name="复查通过，销项").click()
    inspector.wait_for_selector("#finding-status")
    assert "已复查销项。" in inspector.locator("main").inner_text()
    assert inspector.locator("#finding-status").inner_text() == "已销项"
    assert inspector.locator("#review-form").count() == 0
    kinds = [item.get_attribute("data-step") for item in inspector.locator("#steps li").all()]
    assert kinds == ["answered", "reopened", "answered", "closed"]
    assert inspector.locator("#steps").get_by_role("img", name="整改照片").count() == 2
    screenshot(inspector, "construction-finding-closed")
    inspector.goto(f"{live_server.url}/workbench/construction/projects/{project.pk}/")
    panel = inspector.locator("#inspections-panel")
    assert "检查 1 次 · 未销项整改 0" in panel.inner_text()
    assert panel.get_by_role("link", name=finding.order_number).count() == 0

    inspection = Inspection.objects.get()
    assert (inspection.project, inspection.kind, inspection.inspector) == (
        project,
        "safety",
        jiangan_officer,
    )
    assert inspection.note == "例行安全巡查"
    results = {result.item.text: result.result for result in inspection.results.all()}
    assert len(results) == 4 and results.pop(FAILED_ITEM) == "fail"
    assert set(results.values()) == {"pass"}
    finding.refresh_from_db()
    assert finding.status == Finding.Status.CLOSED
    assert (finding.severity, finding.description, finding.item.text) == (
        "major",
        DESCRIPTION,
        FAILED_ITEM,
    )
    assert finding.responsible_party.organisation == builder_firm
    assert finding.deadline_days == 3  # the default for a 较重 finding
    assert finding.closed_by == jiangan_officer and finding.closed_at is not None
    assert finding.photos.count() == 1
    steps = list(RectificationStep.objects.filter(finding=finding))
    assert [(step.kind, step.actor, step.note) for step in steps] == [
        ("answered", builder, FIRST_ANSWER),
        ("reopened", jiangan_officer, REOPEN_REASON),
        ("answered", builder, SECOND_ANSWER),
        ("closed", jiangan_officer, "复查合格"),
    ]
    assert [step.photos.count() for step in steps] == [1, 0, 1, 0]

"""The campaign summary export: three sheets that python-calamine reads back, the figures of
the page (paper answers included), only the viewer's compounds, and an audit event."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from anju.conftest import make_compound
from anju.core.calendar import today
from anju.core.excel import XLSX_CONTENT_TYPE
from anju.core.models import AuditEvent
from anju.core.scope import Scope
from anju.engagement import services
from anju.engagement.models import Channel
from anju.engagement.services import NeedChoice

pytestmark = pytest.mark.django_db


def district_scope(node):
    return Scope(roles=frozenset({"district_task_force"}), node_paths=(node.path,))


@pytest.fixture
def campaign(city, jiangan_officer):
    campaign = services.open_campaign(
        actor=jiangan_officer,
        scope=district_scope(city.jiangan),
        node=city.jiangan,
        title="铭新街小区问需",
        compounds=[city.jiangan_compound],
        starts_on=today() - timedelta(days=1),
        ends_on=today() + timedelta(days=14),
    )
    first, second, *_ = city.jiangan_compound.households.order_by("room")
    services.submit_needs(
        actor=None,
        campaign=campaign,
        household=first,
        needs=[NeedChoice("B15", True), NeedChoice("I13")],
        willingness="some",
    )
    services.submit_needs(
        actor=jiangan_officer,
        campaign=campaign,
        household=second,
        needs=[NeedChoice("I13", True)],
        channel=Channel.IMPORTED,
        paper_reference="P-2",
        willingness="none",
    )
    return campaign


def sheets(content: bytes) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_the_export_has_three_sheets_with_the_pages_figures(
    client_as, jiangan_officer, campaign, city
):
    response = client_as(jiangan_officer).get(
        reverse("engagement:campaign-export", args=[campaign.pk])
    )

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    book = sheets(response.content)
    assert list(book) == ["小区汇总", "需求排序", "渠道"]

    header, compound = book["小区汇总"]
    values = dict(zip(header, compound, strict=True))
    assert values["区"] == "江岸区"
    assert values["小区编码"] == city.jiangan_compound.code
    assert (values["户数"], values["答卷数"], values["答卷率(%)"]) == (4, 2, 50)
    assert (values["线上"], values["纸质导入"], values["入户"]) == (1, 1, 0)
    assert (values["不愿出资"], values["愿意出一部分"]) == (1, 1)
    assert values["急难愁盼前五项"].startswith("加装电梯 50.0%（急需1）")

    needs = book["需求排序"]
    assert needs[0] == [
        "小区编码",
        "小区名称",
        "排序",
        "改造内容编码",
        "改造内容",
        "提出户数",
        "占比(%)",
        "急需户数",
    ]
    assert [row[2:] for row in needs[1:]] == [
        [1, "I13", "加装电梯", 2, 50, 1],
        [2, "B15", "外墙修缮", 1, 25, 1],
    ]

    channels = {row[0]: row[1:] for row in book["渠道"][1:]}
    assert channels["线上"] == [1, 50]
    assert channels["纸质导入"] == [1, 50]
    assert channels["座谈会"] == [0, 0]

    event = AuditEvent.objects.get(verb="campaign.summary_exported")
    assert event.actor == jiangan_officer
    assert event.after == {"compounds": [city.jiangan_compound.code]}


def test_the_export_holds_only_the_viewers_compounds(
    client_as, jiangan_officer, jiangan_community_worker, city
):
    street = city.jiangan.children.create(kind="street", code="420102002", name="一元街道")
    community = street.children.create(kind="community", code="420102002001", name="黎黄陂路社区")
    elsewhere = make_compound(community, "420102002001001", "黎黄陂小区", lon=114.3, lat=30.6)
    campaign = services.open_campaign(
        actor=jiangan_officer,
        scope=district_scope(city.jiangan),
        node=city.jiangan,
        title="江岸问需",
        compounds=[city.jiangan_compound, elsewhere],
        starts_on=today(),
        ends_on=today(),
    )

    response = client_as(jiangan_community_worker).get(
        reverse("engagement:campaign-export", args=[campaign.pk])
    )

    rows = sheets(response.content)["小区汇总"]
    assert [row[2] for row in rows[1:]] == [city.jiangan_compound.code]


def test_other_districts_export_is_not_found(client_as, wuchang_officer, campaign):
    response = client_as(wuchang_officer).get(
        reverse("engagement:campaign-export", args=[campaign.pk])
    )

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(verb="campaign.summary_exported").exists()

"""The planning pages as the city office, a district officer and a resident use them."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anju.access.codes import issue_household_codes
from anju.core.actors import CLI
from anju.planning import rounds
from anju.planning.models import (
    AnnualPlan,
    FiveYearPlan,
    ManualIndicator,
    ManualValue,
    Project,
    Scenario,
    ScoringModelVersion,
    ScoringRound,
)

pytestmark = pytest.mark.django_db

ONE_COMPOUND = 128000


def text(response) -> str:
    return response.content.decode()


def scope_of_city(scoring_round):
    from anju.core.scope import Scope

    return Scope(roles=frozenset({"city_office"}), node_paths=(scoring_round.path,))


def post_scenario(client, scoring_round, budget, capture, name="方案"):
    with capture(execute=True):
        response = client.post(
            reverse("planning:round-detail", args=[scoring_round.pk]),
            {"name": name, "total_budget": budget, "time_limit": 5},
        )
    assert response.status_code == 302, text(response)
    return Scenario.objects.get(name=name)


def test_the_city_office_plans_a_year_from_targets_to_projects(
    client_as, city_officer, city, candidates, django_capture_on_commit_callbacks
):
    client = client_as(city_officer)
    response = client.post(
        reverse("planning:five-year-create"),
        {"name": "十五五规划", "start_year": 2026, "end_year": 2030},
    )
    five = FiveYearPlan.objects.get()
    assert response.url == reverse("planning:five-year-detail", args=[five.pk])
    for district in (city.jiangan, city.wuchang):
        response = client.post(
            response.url,
            {
                "district": district.pk,
                "compounds": 10,
                "households": 100,
                "floor_area": "5000",
                "investment": "1000000",
            },
        )
        assert response.status_code == 302
    response = client.post(
        reverse("planning:five-year-detail", args=[five.pk]),
        {"year": 2027, "total_budget": "500000"},
    )
    plan = AnnualPlan.objects.get()
    response = client.post(
        reverse("planning:round-create", args=[plan.pk]),
        {
            "name": "2027年度竞争性生成",
            "node": city.city.pk,
            "model": rounds.default_model_version().pk,
            "cost_per_m2": "400",
        },
    )
    scoring_round = ScoringRound.objects.get()
    client.post(reverse("planning:round-score", args=[scoring_round.pk]))
    page = text(client.get(reverse("planning:round-detail", args=[scoring_round.pk])))
    assert candidates.jiangan[1].name in page and candidates.wuchang[2].name in page
    client.post(reverse("planning:round-publish", args=[scoring_round.pk]), {"confirm": "yes"})

    tight = post_scenario(
        client, scoring_round, 2 * ONE_COMPOUND, django_capture_on_commit_callbacks, "两个"
    )
    roomy = post_scenario(
        client, scoring_round, 4 * ONE_COMPOUND, django_capture_on_commit_callbacks, "四个"
    )
    page = text(client.get(reverse("planning:scenario-detail", args=[roomy.pk])))
    assert "optimal" in page or "最优" in page
    assert "Consul" in page  # the greedy rule beside the optimum
    compare = client.get(
        reverse("planning:round-compare", args=[scoring_round.pk]), {"s": [tight.pk, roomy.pk]}
    )
    assert compare.status_code == 200 and "两个" in text(compare) and "四个" in text(compare)

    response = client.post(reverse("planning:scenario-adopt", args=[roomy.pk]))
    assert response.url == reverse("planning:annual-detail", args=[plan.pk])
    assert plan.selections.count() == 4

    annual_url = reverse("planning:annual-detail", args=[plan.pk])
    best = scoring_round.entries.order_by("-total").first().compound
    response = client.post(annual_url, {"compound": best.code, "action": "drop", "reason": ""})
    assert response.status_code == 400 and plan.selections.count() == 4
    response = client.post(
        annual_url, {"compound": best.code, "action": "drop", "reason": "已列入棚改范围"}
    )
    assert response.status_code == 302
    page = text(client.get(annual_url))
    assert "已列入棚改范围" in page and re.search(r"放弃评分 \d+\.\d\d 分", page)

    for to_status in ("submitted", "consolidated", "approved"):
        if to_status == "submitted":
            for district in (city.jiangan, city.wuchang):
                client.post(annual_url, {"district": district.pk, "max_cost": "", "min_count": ""})
        client.post(
            reverse("planning:annual-advance", args=[plan.pk]),
            {"to_status": to_status, "confirm": "yes"},
        )
    plan.refresh_from_db()
    assert plan.is_frozen
    assert Project.objects.filter(annual_plan=plan).count() == 4
    page = text(client.get(reverse("planning:five-year-detail", args=[five.pk])))
    assert "2027" in page and "%" in page


def test_a_refused_button_answers_with_a_message_not_an_error_page(client_as, city_officer, plan):
    response = client_as(city_officer).post(
        reverse("planning:annual-advance", args=[plan.pk]), {"to_status": "approved"}, follow=True
    )
    assert response.status_code == 200
    assert "草稿→报送→汇总→批准" in text(response)


@pytest.fixture
def publish(city_officer, city_scope):
    def run(scoring_round):
        return rounds.publish_round(
            actor=city_officer, scope=city_scope, scoring_round=scoring_round, confirmed=True
        )

    return run


@pytest.fixture
def published(scored_round, publish):
    return publish(scored_round)


def test_a_district_officer_reads_the_city_plan_with_its_own_rows_only(
    client_as, jiangan_officer, city, scored_round, publish
):
    client = client_as(jiangan_officer)
    round_url = reverse("planning:round-detail", args=[scored_round.pk])
    assert client.get(round_url).status_code == 404  # a draft is the city office's
    publish(scored_round)
    page = text(client.get(round_url))
    assert city.jiangan_compound.name in page and city.wuchang_compound.name not in page
    own = reverse("planning:round-entry", args=[scored_round.pk, city.jiangan_compound.pk])
    other = reverse("planning:round-entry", args=[scored_round.pk, city.wuchang_compound.pk])
    assert client.get(own).status_code == 200 and client.get(other).status_code == 404
    plan_page = text(
        client.get(reverse("planning:annual-detail", args=[scored_round.annual_plan_id]))
    )
    assert "江岸区" in plan_page
    response = client.post(
        reverse("planning:annual-detail", args=[scored_round.annual_plan_id]),
        {"district": city.wuchang.pk, "max_cost": "1", "min_count": ""},
    )
    assert response.status_code == 400  # 武昌区 is not among the districts it may report for
    response = client.post(
        reverse("planning:annual-detail", args=[scored_round.annual_plan_id]),
        {"district": city.jiangan.pk, "max_cost": "300000", "min_count": "1"},
    )
    assert response.status_code == 302
    assert client.post(round_url, {"name": "x", "total_budget": "1"}).status_code == 403


def test_scenarios_are_not_shown_to_districts(
    client_as, jiangan_officer, published, django_capture_on_commit_callbacks, city_officer
):
    scenario = post_scenario(
        client_as(city_officer), published, ONE_COMPOUND, django_capture_on_commit_callbacks
    )
    client = client_as(jiangan_officer)
    assert client.get(reverse("planning:scenario-detail", args=[scenario.pk])).status_code == 404
    assert client.post(reverse("planning:scenario-adopt", args=[scenario.pk])).status_code == 404


def test_an_inconsistent_ahp_matrix_is_refused_on_the_page(client_as, city_officer):
    version = rounds.default_model_version()
    n = len(version.definition["indicators"])
    rows = [["1"] * n for _ in range(n)]
    rows[0][1], rows[1][0], rows[1][2], rows[2][1], rows[2][0], rows[0][2] = (
        "9", "1/9", "9", "1/9", "9", "1/9",
    )  # fmt: skip
    matrix = "\n".join(" ".join(row) for row in rows)
    response = client_as(city_officer).post(
        reverse("planning:model-detail", args=[version.pk]),
        {"kind": "ahp", "ahp-matrix": matrix, "ahp-method": "eigenvector"},
    )
    assert response.status_code == 400
    assert "0.10" in text(response) and ScoringModelVersion.objects.count() == 1


def test_typed_weights_publish_a_new_version(client_as, city_officer):
    version = rounds.default_model_version()
    data = {"kind": "weights", "w-note": "加重楼龄"}
    for row in version.definition["indicators"]:
        data[f"w-weight_{row['key']}"] = 30 if row["key"] == "building_age" else row["weight"]
    response = client_as(city_officer).post(
        reverse("planning:model-detail", args=[version.pk]), data
    )
    newest = ScoringModelVersion.objects.latest("version")
    assert response.url == reverse("planning:model-detail", args=[newest.pk])
    assert newest.version == 2 and newest.note == "加重楼龄"


def test_districts_fill_manual_indicators_with_evidence_kept_in_their_territory(
    client_as, city_officer, jiangan_officer, wuchang_officer, city
):
    client = client_as(city_officer)
    client.post(
        reverse("planning:model-list"),
        {"key": "leaks", "name_zh": "渗漏户数", "name_en": "leaking homes", "guidance": ""},
    )
    indicator_url = reverse("planning:manual-detail", args=[ManualIndicator.objects.get().pk])
    jiangan = client_as(jiangan_officer)
    upload = SimpleUploadedFile("鉴定报告.pdf", b"%PDF-1.4 report", content_type="application/pdf")
    response = jiangan.post(
        indicator_url, {"compound": city.jiangan_compound.code, "value": "7", "evidence": upload}
    )
    assert response.status_code == 302
    response = jiangan.post(
        indicator_url, {"compound": city.wuchang_compound.code, "value": "7", "evidence": upload}
    )
    assert response.status_code == 400
    value = ManualValue.objects.get()
    evidence_url = reverse("planning:manual-evidence", args=[value.pk])
    assert jiangan.get(evidence_url).status_code == 200
    assert client_as(wuchang_officer).get(evidence_url).status_code == 404


def test_a_resident_sees_why_the_compound_ranks_where_it_does(client, city, scored_round, publish):
    household = city.jiangan_compound.households.order_by("room").first()
    code = issue_household_codes(actor=CLI, compound=household.compound, households=[household])
    client.post("/portal/sign-in/", {"code": code[household.pk]})
    url = reverse("planning-portal:score")
    assert "还没有公布的评分结果" in text(client.get(url))  # drafts are never shown
    publish(scored_round)
    entry = scored_round.entries.get(compound=city.jiangan_compound)
    page = text(client.get(url))
    assert f"第 {entry.rank} 名" in page and "楼龄" in page and "暂无数据" in page
    assert city.wuchang_compound.name not in page


def test_the_portal_score_page_is_for_residents(client_as, city_officer):
    response = client_as(city_officer).get(reverse("planning-portal:score"))
    assert response.status_code in (302, 403)


def test_money_inputs_are_validated_not_crashed(client_as, city_officer, published):
    response = client_as(city_officer).post(
        reverse("planning:round-detail", args=[published.pk]),
        {"name": "负数", "total_budget": "-5", "time_limit": "abc"},
    )
    assert response.status_code == 400
    assert not Scenario.objects.exists()
    assert Decimal(0) == sum(published.scenarios.values_list("total_budget", flat=True), Decimal(0))


def test_a_compound_page_leads_the_city_office_to_the_override_form(
    client_as, city_officer, published, solve
):
    from anju.planning import scenarios

    scenario = solve(published, 2 * ONE_COMPOUND)
    scenarios.adopt_scenario(actor=city_officer, scope=scope_of_city(published), scenario=scenario)
    last = published.entries.order_by("total").first()
    client = client_as(city_officer)
    page = client.get(reverse("planning:round-entry", args=[published.pk, last.compound_id]))
    link = f"?compound={last.compound.code}&amp;action=add#override"
    assert link in page.content.decode()
    form = client.get(
        reverse("planning:annual-detail", args=[published.annual_plan_id]),
        {"compound": last.compound.code, "action": "add"},
    ).content.decode()
    assert f'value="{last.compound.code}"' in form and 'id="override" open' in form


def test_the_published_table_exports_the_viewers_rows_for_the_public_notice(
    client_as, jiangan_officer, published, city
):
    from anju.core.excel import read_workbook

    response = client_as(jiangan_officer).get(reverse("planning:round-export", args=[published.pk]))
    assert response.status_code == 200
    book = read_workbook(response.content)
    assert book.names == ["说明", "评分表"]
    rows = book.get("评分表").rows
    assert rows[0][:5] == ["排名", "小区编码", "小区", "区", "总分"]
    names = {row[2] for row in rows[1:]}
    assert city.jiangan_compound.name in names and city.wuchang_compound.name not in names
    assert "楼龄得分" in rows[0]


def test_a_resident_learns_the_compound_is_in_the_approved_plan(client, city, published):
    from anju.planning.models import AnnualPlanStatus

    plan = published.annual_plan
    project = Project.objects.create(
        annual_plan=plan,
        code="2027-420102-001",
        name="铭新街小区",
        district=city.jiangan,
        estimated_cost=1,
        starts_on=dt.date(2027, 3, 1),
        ends_on=dt.date(2027, 11, 30),
    )
    project.compounds.add(city.jiangan_compound)
    household = city.jiangan_compound.households.order_by("room").first()
    code = issue_household_codes(actor=CLI, compound=household.compound, households=[household])
    client.post("/portal/sign-in/", {"code": code[household.pk]})
    url = reverse("planning-portal:score")
    assert "2027-420102-001" not in text(client.get(url))  # a draft plan is not announced
    type(plan).objects.filter(pk=plan.pk).update(status=AnnualPlanStatus.APPROVED)
    page = text(client.get(url))
    assert "已列入 2027 年度改造计划" in page and "2027-03-01" in page

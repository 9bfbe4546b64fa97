"""Planning API: the city's plans and rounds read by every district (its own rows only),
written by the city office; districts report their own budgets; scenarios solved in the
background, adopted and overridden with a reason; bad input answers 400, never 500."""

from decimal import Decimal

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from anju.core.models import AuditEvent
from anju.planning import rounds, scenarios, services
from anju.planning.models import DistrictBudget, Override, ScoringModelVersion

pytestmark = pytest.mark.django_db

ONE_COMPOUND = Decimal("128000")  # 320 m² × 400 元/m²


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def published_round(scored_round, city_officer, city_scope):
    return rounds.publish_round(
        actor=city_officer, scope=city_scope, scoring_round=scored_round, confirmed=True
    )


@pytest.fixture
def adopted(published_round, city_officer, city_scope, django_capture_on_commit_callbacks):
    """The 2027 plan with the four best compounds of six selected (both districts)."""
    with django_capture_on_commit_callbacks(execute=True):
        scenario = scenarios.create_scenario(
            actor=city_officer,
            scope=city_scope,
            scoring_round=published_round,
            name="四个小区",
            total_budget=4 * ONE_COMPOUND,
        )
    scenario.refresh_from_db()
    return scenarios.adopt_scenario(actor=city_officer, scope=city_scope, scenario=scenario)


def codes(compounds):
    return {compound.code for compound in compounds}


def best_entry(scoring_round, district=None):
    entries = scoring_round.entries.select_related("compound").order_by("-total")
    return (entries.filter(district=district) if district else entries).first()


# --- reading plans -------------------------------------------------------------------------


def test_a_district_officer_reads_the_city_plan_with_its_own_rows_only(
    adopted, city, candidates, city_officer, jiangan_officer
):
    for district in (city.jiangan, city.wuchang):
        api(city_officer).put(
            f"/api/v1/annual-plans/{adopted.pk}/budgets/{district.code}/",
            {"max_cost": str(3 * ONE_COMPOUND), "min_count": 1},
            format="json",
        )
    client = api(jiangan_officer)

    listed = client.get("/api/v1/annual-plans/").json()
    body = client.get(f"/api/v1/annual-plans/{adopted.pk}/").json()
    city_body = api(city_officer).get(f"/api/v1/annual-plans/{adopted.pk}/").json()

    assert [row["year"] for row in listed["results"]] == [2027]
    assert (body["status"], body["total_budget"]) == ("draft", "512000.00")
    assert [row["district"] for row in body["budgets"]] == [city.jiangan.code]
    assert body["budgets"][0]["max_cost"] == "384000.00"
    assert [row["district"] for row in body["selection_totals"]] == [city.jiangan.code]
    assert {row["compound"] for row in body["selections"]} <= codes(candidates.jiangan)
    assert body["selection_totals"][0]["count"] == len(body["selections"])
    assert {row["district"] for row in city_body["selection_totals"]} == {
        city.jiangan.code,
        city.wuchang.code,
    }
    assert len(city_body["selections"]) == 4
    assert city.wuchang_compound.name not in str(body)


def test_five_year_progress_shows_a_district_its_own_targets(
    plan, city, city_officer, jiangan_officer
):
    five_year = plan.five_year_plan

    mine = api(jiangan_officer).get(f"/api/v1/five-year-plans/{five_year.pk}/").json()
    everyone = api(city_officer).get(f"/api/v1/five-year-plans/{five_year.pk}/").json()

    assert mine["years"] == [2026, 2027, 2028, 2029, 2030]
    (row,) = mine["progress"]
    assert (row["district"], row["target"]["compounds"]) == (city.jiangan.code, 100)
    assert row["by_year"][0] == {
        "year": 2026,
        "compounds": 0,
        "households": 0,
        "floor_area": "0.00",
        "investment": "0.00",
    }
    assert row["share"]["compounds"] == "0.0000" and row["share"]["investment"] is None
    assert [row["district"] for row in everyone["progress"]] == [
        city.jiangan.code,
        city.wuchang.code,
    ]


def test_a_plan_drawn_up_for_another_district_is_not_found(
    plan, city, city_officer, city_scope, jiangan_officer
):
    theirs = services.create_five_year_plan(
        actor=city_officer,
        scope=city_scope,
        node=city.wuchang,
        name="武昌区专项规划",
        start_year=2026,
        end_year=2030,
    )
    their_year = services.create_annual_plan(
        actor=city_officer,
        scope=city_scope,
        five_year_plan=theirs,
        year=2027,
        total_budget=Decimal(0),
    )
    client = api(jiangan_officer)

    listed = client.get("/api/v1/five-year-plans/").json()
    answers = [
        client.get(f"/api/v1/five-year-plans/{theirs.pk}/").status_code,
        client.get(f"/api/v1/annual-plans/{their_year.pk}/").status_code,
        client.put(
            f"/api/v1/annual-plans/{their_year.pk}/budgets/{city.jiangan.code}/",
            {"max_cost": "1"},
            format="json",
        ).status_code,
    ]

    assert [row["name"] for row in listed["results"]] == [plan.five_year_plan.name]
    assert answers == [404, 404, 404]
    assert client.get("/api/v1/annual-plans/").json()["count"] == 1


# --- budgets -------------------------------------------------------------------------------


def test_a_district_reports_its_own_budget_but_not_anothers(plan, city, jiangan_officer):
    client = api(jiangan_officer)
    url = f"/api/v1/annual-plans/{plan.pk}/budgets/"

    own = client.put(f"{url}{city.jiangan.code}/", {"max_cost": "2000000"}, format="json")
    again = client.put(f"{url}{city.jiangan.code}/", {"max_cost": "2000000"}, format="json")
    other = client.put(f"{url}{city.wuchang.code}/", {"max_cost": "1"}, format="json")
    whole_city = client.put(f"{url}{city.city.code}/", {"max_cost": "1"}, format="json")
    street = client.put(f"{url}{city.jiangan_street.code}/", {"max_cost": "1"}, format="json")

    assert own.status_code == again.status_code == 200
    assert own.json()["district"] == city.jiangan.code
    assert (own.json()["max_cost"], own.json()["min_count"]) == ("2000000.00", None)
    assert own.json()["submitted_at"] is not None
    assert [other.status_code, whole_city.status_code, street.status_code] == [404, 404, 404]
    assert other.json() == api(jiangan_officer).get("/api/v1/annual-plans/999999/").json()
    assert list(DistrictBudget.objects.values_list("district__code", flat=True)) == [
        city.jiangan.code
    ]


def test_districts_report_and_the_city_approves_then_the_plan_is_frozen(
    adopted, city, city_officer, jiangan_officer, wuchang_officer
):
    published_round = adopted.adopted_scenario.round
    url = f"/api/v1/annual-plans/{adopted.pk}/"
    city_client = api(city_officer)
    too_early = city_client.post(f"{url}advance/", {"to_status": "submitted"}, format="json")
    for officer, district in ((jiangan_officer, city.jiangan), (wuchang_officer, city.wuchang)):
        api(officer).put(f"{url}budgets/{district.code}/", {"min_count": 1}, format="json")

    steps = [
        city_client.post(f"{url}advance/", {"to_status": status, "confirm": True}, format="json")
        for status in ("submitted", "consolidated", "approved")
    ]
    late = city_client.post(
        f"{url}overrides/",
        {
            "compound": best_entry(published_round).compound.code,
            "action": "drop",
            "reason": "迟到的调整",
        },
        format="json",
    )
    late_budget = api(jiangan_officer).put(
        f"{url}budgets/{city.jiangan.code}/", {"min_count": 2}, format="json"
    )
    body = api(jiangan_officer).get(url).json()

    assert too_early.status_code == 400 and too_early.json()["code"] == "districts_missing"
    assert "江岸区" in too_early.json()["message"]
    assert [step.json()["status"] for step in steps] == ["submitted", "consolidated", "approved"]
    assert late.status_code == 400 and late.json()["code"] == "plan_frozen"
    assert late_budget.status_code == 400 and late_budget.json()["code"] == "plan_frozen"
    assert body["projects"] and {p["district"] for p in body["projects"]} == {city.jiangan.code}
    assert all(len(p["compounds"]) == 1 for p in body["projects"])
    assert body["projects"][0]["code"].startswith(f"2027-{city.jiangan.code}-")


# --- rounds --------------------------------------------------------------------------------


def test_the_city_office_creates_scores_and_publishes_a_round(
    plan, city, candidates, city_officer, jiangan_officer
):
    client = api(city_officer)
    model = rounds.default_model_version()

    created = client.post(
        "/api/v1/rounds/",
        {"annual_plan": plan.pk, "node": city.city.code, "model": model.pk, "name": "2027年度评分"},
        format="json",
    )
    url = f"/api/v1/rounds/{created.json()['id']}/"
    draft_for_district = api(jiangan_officer).get(url).status_code
    scored = client.post(f"{url}score/")
    published = client.post(f"{url}publish/", {"confirm": True}, format="json")
    republished = client.post(f"{url}publish/", {"confirm": True}, format="json")
    detail = api(jiangan_officer).get(url).json()
    entries = api(jiangan_officer).get(f"{url}entries/").json()

    assert created.status_code == 201
    assert created.json()["cost_per_m2"] == "400.00" and created.json()["status"] == "draft"
    assert draft_for_district == 404
    assert scored.json()["candidate_count"] == 6
    assert published.json()["status"] == "published"
    assert republished.status_code == 400 and republished.json()["code"] == "round_published"
    assert detail["indicators"][0]["key"] == "building_age" and detail["scenarios"] == []
    assert entries["count"] == 3
    assert {row["compound"] for row in entries["results"]} == codes(candidates.jiangan)
    first = entries["results"][0]
    assert first["district"] == city.jiangan.code and first["cost"] == "128000.00"
    assert set(first["indicators"]) == {row["key"] for row in detail["indicators"]}
    assert sum(cell["points"] for cell in first["indicators"].values()) == pytest.approx(
        first["total"]
    )


def test_the_breakdown_of_another_districts_compound_is_not_found(
    published_round, city, jiangan_officer
):
    client = api(jiangan_officer)
    url = f"/api/v1/rounds/{published_round.pk}/entries/"

    own = client.get(f"{url}{city.jiangan_compound.code}/")
    in_english = client.get(f"{url}{city.jiangan_compound.code}/", HTTP_ACCEPT_LANGUAGE="en")
    other = client.get(f"{url}{city.wuchang_compound.code}/")
    missing = client.get(f"{url}420102999999999/")

    assert own.status_code == 200
    assert own.json()["compound"] == city.jiangan_compound.code
    assert own.json()["sentences"][0].startswith(city.jiangan_compound.name)
    assert any("楼龄" in line["name"] for line in own.json()["lines"])
    assert any(line["name"] == "building age" for line in in_english.json()["lines"])
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()
    assert city.wuchang_compound.name not in other.content.decode()


def test_the_round_table_costs_a_fixed_number_of_queries(
    published_round, city_officer, django_assert_max_num_queries
):
    client = api(city_officer)
    with django_assert_max_num_queries(4):
        response = client.get(f"/api/v1/rounds/{published_round.pk}/entries/?page_size=2")
    assert response.json()["count"] == 6 and len(response.json()["results"]) == 2


def test_the_plan_detail_costs_a_fixed_number_of_queries(
    adopted, city_officer, city_scope, django_assert_max_num_queries
):
    scenarios.override_selection(
        actor=city_officer,
        scope=city_scope,
        annual_plan=adopted,
        compound=best_entry(adopted.adopted_scenario.round).compound,
        action="drop",
        reason="纳入棚改范围",
    )
    client = api(city_officer)
    with django_assert_max_num_queries(10):
        response = client.get(f"/api/v1/annual-plans/{adopted.pk}/")
    assert len(response.json()["selections"]) == 4 and len(response.json()["overrides"]) == 1


# --- scoring models ------------------------------------------------------------------------


def cyclic_matrix(n):
    """Building age 9× hazards, hazards 9× gaps, yet gaps 9× building age."""
    matrix = [[1] * n for _ in range(n)]
    matrix[0][1], matrix[1][0] = 9, "1/9"
    matrix[1][2], matrix[2][1] = 9, "1/9"
    matrix[2][0], matrix[0][2] = 9, "1/9"
    return matrix


def test_new_model_versions_from_weights_or_a_consistent_ahp_matrix(city, city_officer):
    client = api(city_officer)
    (v1,) = client.get("/api/v1/scoring-models/").json()["results"]
    n = len(v1["indicators"])
    url = f"/api/v1/scoring-models/{v1['id']}/versions/"
    matrix = [[1] * n for _ in range(n)]
    matrix[0][1], matrix[1][0] = 3, "1/3"

    typed = client.post(url, {"weights": {"building_age": 40, "safety_hazards": 10}}, format="json")
    ahp = client.post(url, {"ahp_matrix": matrix, "note": "楼龄优先"}, format="json")
    inconsistent = client.post(url, {"ahp_matrix": cyclic_matrix(n)}, format="json")
    listed = client.get("/api/v1/scoring-models/").json()

    assert typed.status_code == ahp.status_code == 201
    assert (typed.json()["version"], ahp.json()["version"]) == (2, 3)
    shares = {row["key"]: row["share"] for row in typed.json()["indicators"]}
    assert shares["building_age"] == 0.8 and sum(shares.values()) == pytest.approx(1)
    assert ahp.json()["weighting"]["method"] == "ahp"
    assert ahp.json()["weighting"]["consistency_ratio"] < 0.1
    assert inconsistent.status_code == 400
    assert inconsistent.json()["code"] == "scoring_inconsistent"
    assert "0.10" in inconsistent.json()["message"] and "楼龄" in inconsistent.json()["message"]
    assert [row["version"] for row in listed["results"]] == [3, 2, 1]
    assert listed["results"][2]["weighting"]["consistency_ratio"] is None


# --- scenarios, adoption and overrides ------------------------------------------------------


def test_the_city_office_solves_adopts_and_overrides_with_a_reason(
    published_round, city, candidates, city_officer, django_capture_on_commit_callbacks
):
    client = api(city_officer)
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(
            f"/api/v1/rounds/{published_round.pk}/scenarios/",
            {"name": "四个小区", "total_budget": str(4 * ONE_COMPOUND), "caps": {}},
            format="json",
        )
    scenario_url = f"/api/v1/scenarios/{queued.json()['id']}/"
    progress = client.get(queued.json()["progress_url"]).json()
    scenario = client.get(scenario_url).json()
    adopted = client.post(f"{scenario_url}adopt/")
    plan_url = f"/api/v1/annual-plans/{adopted.json()['id']}/"
    best = best_entry(published_round)
    overrides_url = f"{plan_url}overrides/"
    without_reason = client.post(
        overrides_url, {"compound": best.compound.code, "action": "drop"}, format="json"
    )
    blank_reason = client.post(
        overrides_url,
        {"compound": best.compound.code, "action": "drop", "reason": "  否 "},
        format="json",
    )
    dropped = client.post(
        overrides_url,
        {
            "compound": best.compound.code,
            "action": "drop",
            "reason": "该小区已纳入棚户区改造范围，不再列入老旧小区改造。",
        },
        format="json",
    )
    plan = client.get(plan_url).json()

    assert queued.status_code == 202 and queued.json()["status"] == "queued"
    assert progress["state"] == "succeeded"
    assert scenario["status"] == "done" and scenario["caps"] == {}
    result = scenario["result"]
    assert (result["status"], result["gap"]) == ("optimal", 0)
    assert len(result["selected"]) == 4 and set(result["selected"]) <= codes(candidates.all)
    assert set(result["by_district"]) <= {city.jiangan.code, city.wuchang.code}
    assert sum(row["count"] for row in result["by_district"].values()) == 4
    assert set(result["baselines"]) == {"greedy_score", "greedy_score_per_yuan"}
    assert adopted.status_code == 200 and adopted.json()["adopted_scenario"] == scenario["id"]
    assert without_reason.status_code == 400 and set(without_reason.json()["fields"]) == {"reason"}
    assert blank_reason.status_code == 400 and set(blank_reason.json()["fields"]) == {"reason"}
    assert dropped.status_code == 201
    assert dropped.json()["dropped"] == [best.compound.code] and len(dropped.json()["added"]) == 1
    assert dropped.json()["score_given_up"] > 0
    assert best.compound.code not in {row["compound"] for row in plan["selections"]}
    assert plan["overrides"][0]["reason"].startswith("该小区已纳入")
    assert Override.objects.count() == 1


def test_scenario_caps_are_given_by_district_code(
    published_round, city, city_officer, django_capture_on_commit_callbacks
):
    client = api(city_officer)
    caps = {city.wuchang.code: {"max_cost": str(ONE_COMPOUND), "min_count": None}}
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(
            f"/api/v1/rounds/{published_round.pk}/scenarios/",
            {"name": "武昌限一个", "total_budget": str(4 * ONE_COMPOUND), "caps": caps},
            format="json",
        )

    scenario = client.get(f"/api/v1/scenarios/{queued.json()['id']}/").json()

    assert scenario["caps"] == {city.wuchang.code: {"max_cost": "128000.00", "min_count": None}}
    assert scenario["result"]["by_district"][city.wuchang.code]["count"] == 1
    listed = client.get(f"/api/v1/rounds/{published_round.pk}/scenarios/").json()
    assert [row["name"] for row in listed] == ["武昌限一个"]


def test_draft_rounds_and_scenarios_are_the_city_offices_only(
    scored_round, adopted, city_officer, city_scope, jiangan_officer
):
    client = api(jiangan_officer)
    draft = rounds.create_round(
        actor=city_officer,
        scope=city_scope,
        annual_plan=scored_round.annual_plan,
        node=scored_round.node,
        model=scored_round.model,
        name="草稿轮次",
    )
    scenario = adopted.adopted_scenario

    answers = [
        client.get(f"/api/v1/rounds/{draft.pk}/").status_code,
        client.get(f"/api/v1/rounds/{draft.pk}/entries/").status_code,
        client.post(f"/api/v1/rounds/{draft.pk}/score/").status_code,
        client.get(f"/api/v1/scenarios/{scenario.pk}/").status_code,
        client.post(f"/api/v1/scenarios/{scenario.pk}/adopt/").status_code,
    ]
    listed = client.get("/api/v1/rounds/").json()
    round_detail = client.get(f"/api/v1/rounds/{scored_round.pk}/").json()

    assert answers == [404, 404, 404, 404, 404]
    assert [row["name"] for row in listed["results"]] == [scored_round.name]
    assert round_detail["scenarios"] == []
    assert client.get(f"/api/v1/rounds/{scored_round.pk}/scenarios/").json() == []


def test_writes_by_a_district_officer_are_forbidden_with_a_reason(
    adopted, published_round, city, jiangan_officer
):
    client = api(jiangan_officer)
    own = best_entry(published_round, city.jiangan).compound
    model = published_round.model
    events_before = AuditEvent.objects.count()

    answers = [
        client.post(
            f"/api/v1/annual-plans/{adopted.pk}/advance/", {"to_status": "submitted"}, format="json"
        ),
        client.post(
            f"/api/v1/annual-plans/{adopted.pk}/overrides/",
            {"compound": own.code, "action": "drop", "reason": "本区另有安排"},
            format="json",
        ),
        client.post(
            "/api/v1/rounds/",
            {"annual_plan": adopted.pk, "node": city.jiangan.code, "model": model.pk, "name": "x"},
            format="json",
        ),
        client.post(f"/api/v1/rounds/{published_round.pk}/score/"),
        client.post(f"/api/v1/rounds/{published_round.pk}/publish/"),
        client.post(
            f"/api/v1/rounds/{published_round.pk}/scenarios/",
            {"name": "x", "total_budget": "1"},
            format="json",
        ),
        client.post(
            f"/api/v1/scoring-models/{model.pk}/versions/",
            {"weights": {"building_age": 1}},
            format="json",
        ),
    ]

    assert [answer.status_code for answer in answers] == [403] * 7
    assert all(answer.json()["code"] == "permission_denied" for answer in answers)
    assert all("只有市改造办" in answer.json()["message"] for answer in answers)
    assert AuditEvent.objects.count() == events_before
    assert ScoringModelVersion.objects.count() == 1


REASON = "理由充分"
BAD_INPUT = [
    ("put", "plan/budgets/420102/", {"max_cost": "-1"}, {"max_cost"}),
    ("put", "plan/budgets/420102/", {"min_count": -2, "max_cost": "x"}, {"min_count", "max_cost"}),
    ("post", "plan/advance/", {"to_status": "frozen"}, {"to_status"}),
    (
        "post",
        "plan/overrides/",
        {"compound": "42010299", "action": "drop", "reason": REASON},
        {"compound"},
    ),
    (
        "post",
        "plan/overrides/",
        {"compound": "own", "action": "swap", "reason": REASON},
        {"action"},
    ),
    (
        "post",
        "rounds/",
        {"annual_plan": 0, "node": "4201", "model": "v1", "name": "x"},
        {"annual_plan"},
    ),
    (
        "post",
        "rounds/",
        {"annual_plan": "plan", "node": "9999", "model": 0, "name": ""},
        {"node", "model", "name"},
    ),
    (
        "post",
        "rounds/",
        {"annual_plan": "plan", "node": "4201", "model": "v1", "name": "x", "cost_per_m2": "-5"},
        {"cost_per_m2"},
    ),
    ("post", "round/scenarios/", {"name": "x", "total_budget": "-1"}, {"total_budget"}),
    (
        "post",
        "round/scenarios/",
        {"name": "x", "total_budget": "1", "caps": {"420199": {}}},
        {"caps"},
    ),
    (
        "post",
        "round/scenarios/",
        {"name": "x", "total_budget": "1", "caps": {"420102": {"min_count": -1}}},
        {"caps"},
    ),
    (
        "post",
        "round/scenarios/",
        {"name": "x", "total_budget": "1", "weights": {"building_age": -1}},
        {"weights"},
    ),
    (
        "post",
        "round/scenarios/",
        {"name": "x", "total_budget": "1", "time_limit": 0},
        {"time_limit"},
    ),
    ("post", "model/versions/", {}, {"weights", "ahp_matrix"}),
    (
        "post",
        "model/versions/",
        {"weights": {"building_age": 1}, "ahp_matrix": [[1]]},
        {"weights", "ahp_matrix"},
    ),
    ("post", "model/versions/", {"weights": {"building_age": -1}}, {"weights"}),
    ("post", "model/versions/", {"ahp_matrix": [[True]]}, {"ahp_matrix"}),
    ("post", "model/versions/", {"ahp_matrix": "1/3"}, {"ahp_matrix"}),
]


def test_bad_input_answers_400_naming_the_field(published_round, city, city_officer):
    plan = published_round.annual_plan
    prefixes = {
        "plan": f"annual-plans/{plan.pk}/",
        "round": f"rounds/{published_round.pk}/",
        "model": f"scoring-models/{published_round.model_id}/",
    }
    placeholders = {
        "plan": plan.pk,
        "v1": published_round.model_id,
        "own": city.jiangan_compound.code,
    }
    client = api(city_officer)
    expected, answered = [], []
    for method, path, template, fields in BAD_INPUT:
        head, _slash, rest = path.partition("/")
        url = "/api/v1/" + (prefixes[head] + rest if head in prefixes else path)
        body = {
            key: placeholders.get(value, value) if isinstance(value, str) else value
            for key, value in template.items()
        }
        response = getattr(client, method)(url, body, format="json")
        expected.append((url, body, 400, "invalid", fields))
        answer = response.json()
        answered.append((url, body, response.status_code, answer["code"], set(answer["fields"])))

    assert answered == expected
    assert not DistrictBudget.objects.exists() and not Override.objects.exists()


ENGINE_REFUSALS = [
    ({"ahp_matrix": [[1, 2], [3, 1]]}, "scoring_not_reciprocal"),
    ({"ahp_matrix": [[1, 2, 3], [1]]}, "scoring_not_square"),
    ({"ahp_matrix": [[1, "abc"], ["x", 1]]}, "scoring_not_a_number"),
    ({"ahp_matrix": [[1, 0], [0, 1]]}, "scoring_not_positive"),
    ({"weights": {"no_such_indicator": 1}}, "scoring_unknown_indicator"),
    ({"weights": {"building_age": 0}}, "scoring_zero_weights"),
]


def test_matrices_and_weights_the_engine_refuses_answer_400_in_words(city, city_officer):
    url = f"/api/v1/scoring-models/{rounds.default_model_version().pk}/versions/"
    client = api(city_officer)

    answers = [client.post(url, body, format="json") for body, _code in ENGINE_REFUSALS]

    assert [(a.status_code, a.json()["code"]) for a in answers] == [
        (400, code) for _body, code in ENGINE_REFUSALS
    ]
    assert all(answer.json()["message"] for answer in answers)
    assert ScoringModelVersion.objects.count() == 1


# --- authentication ------------------------------------------------------------------------


def test_token_callers_see_and_write_exactly_as_sessions_do(
    adopted, city, jiangan_officer, wuchang_officer, client
):
    token = Token.objects.create(user=jiangan_officer)
    by_token = APIClient()
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    client.force_login(jiangan_officer, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/api/v1/annual-plans/{adopted.pk}/"

    assert by_token.get(url).json() == client.get(url).json()
    reported = by_token.put(f"{url}budgets/{city.jiangan.code}/", {"min_count": 2}, format="json")
    refused = by_token.put(f"{url}budgets/{city.wuchang.code}/", {"min_count": 2}, format="json")
    assert (reported.status_code, refused.status_code) == (200, 404)
    assert by_token.get(f"{url}").json()["budgets"][0]["min_count"] == 2


def test_anonymous_callers_are_refused(client, plan):
    response = client.get(f"/api/v1/annual-plans/{plan.pk}/")
    assert response.status_code in (401, 403) and response.json()["message"]

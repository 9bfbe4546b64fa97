"""Nothing a user can type produces a 500 (ARCHITECTURE.md "Errors").

The walker resolves the project's URLconf and, signed in as the city officer, sends every URL
pattern the values fuzzing found: "²" (a digit to `str.isdigit()`, not to `int()`), 2^63 (one
past the database's bigint), -1 and "abc", in every integer path value and in every query
parameter the code reads (found in the source, so a new parameter is fuzzed without anyone
adding it here). Each answer must be below 500. Path values stay real records where the
scope tests know how to build one, so the query parameters reach the view's own parsing.
"""

from __future__ import annotations

import re
import sys
from contextlib import ExitStack, contextmanager
from decimal import Decimal
from pathlib import Path
from unittest.mock import patch
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from anju.core.errors import DomainError
from anju.core.params import BIGINT_MAX, IdConverter, id_list, is_id, optional_id, parse_id
from anju.core.scope import Scope

from .test_scope_coverage import OBJECT_URLS

pytestmark = pytest.mark.django_db

BAD_VALUES = ("²", str(BIGINT_MAX + 1), "-1", "abc")
ANJU = Path(__file__).resolve().parents[1].parent
QUERY_READ = re.compile(
    r"""(?:GET|query_params)\.get(?:list)?\(\s*["']([A-Za-z_][\w-]*)["']"""
    r"""|OpenApiParameter\(\s*["']([A-Za-z_][\w-]*)["']"""
)


def known_query_parameters() -> list[str]:
    """Every query parameter name the pages and API read or document."""
    names = set()
    for source in ANJU.rglob("*.py"):
        if "tests" in source.parts or "migrations" in source.parts:
            continue
        for match in QUERY_READ.finditer(source.read_text(encoding="utf-8")):
            names.add(match.group(1) or match.group(2))
    return sorted(names)


def patterns(resolver=None, namespace="", prefix=""):
    """(qualified name, route, {argument: converter}) for every URL pattern."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        converters = {**getattr(resolver.pattern, "converters", {})}
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from patterns(pattern, inner, route)
        elif isinstance(pattern, URLPattern):
            converters.update(getattr(pattern.pattern, "converters", {}))
            name = f"{namespace}{pattern.name}" if pattern.name else route
            yield name, route, converters


def is_integer(converter) -> bool:
    return isinstance(converter, IntConverter | IdConverter)


def address(route: str, values: dict) -> str:
    def value(match):
        return str(values.get(match.group(1), "x"))

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", value, route)


def planning_records(city, officer, capture) -> dict[str, dict]:
    """A scored round with a solved scenario in the conftest city: URL name → kwargs."""
    from anju.planning import rounds, scenarios, services
    from anju.planning.models import ManualIndicator

    scope = Scope(roles=frozenset({"city_office"}), node_paths=(city.city.path,))
    five = services.create_five_year_plan(
        actor=officer, scope=scope, node=city.city, name="十六五", start_year=2031, end_year=2035
    )
    for district in (city.jiangan, city.wuchang):
        services.set_district_target(
            actor=officer, scope=scope, plan=five, district=district, values={"compounds": 10}
        )
    plan = services.create_annual_plan(
        actor=officer, scope=scope, five_year_plan=five, year=2032, total_budget=Decimal("1e8")
    )
    scoring_round = rounds.create_round(
        actor=officer,
        scope=scope,
        annual_plan=plan,
        node=city.city,
        model=rounds.default_model_version(),
        name="2032年度",
    )
    scoring_round = rounds.score_round(actor=officer, scope=scope, scoring_round=scoring_round)
    with capture(execute=True):
        scenario = scenarios.create_scenario(
            actor=officer,
            scope=scope,
            scoring_round=scoring_round,
            name="方案1",
            total_budget=Decimal("1e8"),
        )
    round_kwargs = {"pk": scoring_round.pk}
    records = {
        "five-year-detail": {"pk": five.pk},
        "annual-detail": {"pk": plan.pk},
        "annual-advance": {"pk": plan.pk},
        "round-create": {"pk": plan.pk},
        "round-entry": {**round_kwargs, "compound_id": city.jiangan_compound.pk},
        "scenario-detail": {"pk": scenario.pk},
        "scenario-adopt": {"pk": scenario.pk},
        "model-detail": {"pk": scoring_round.model_id},
        "five-year-plan-detail": {"pk": five.pk},
        "annual-plan-detail": {"pk": plan.pk},
        "annual-plan-advance": {"pk": plan.pk},
        "annual-plan-overrides": {"pk": plan.pk},
        "annual-plan-budget": {"pk": plan.pk, "district_code": city.jiangan.code},
        "round-entries": round_kwargs,
        "round-scenarios": round_kwargs,
        "round-entry-api": {**round_kwargs, "compound_code": city.jiangan_compound.code},
    }
    for name in ("round-detail", "round-score", "round-publish", "round-compare", "round-export"):
        records[name] = round_kwargs
    indicator = ManualIndicator.objects.first()
    if indicator is not None:
        records["manual-detail"] = {"pk": indicator.pk}
    result = {}
    for name, kwargs in records.items():
        result[f"planning:{name}"] = kwargs
        result[f"api-{name}"] = kwargs
    result["api-round-detail"] = round_kwargs
    result["api-round-entry"] = records["round-entry-api"]
    result["api-scenario-detail"] = {"pk": scenario.pk}
    return result


def lifecycle_rank(url_name: str) -> int:
    """Builders share one database, and later stages' builders move the same projects on: so
    package proposals come first (projects take their compounds past proposing), construction
    and funding last (they take projects past noticing and review), and within construction
    the notice before acceptance before the satisfaction sample."""
    if "package" in url_name:
        return 0
    if "funding" in url_name:
        return 6
    if "construction" not in url_name:
        return 1
    if "sampl" in url_name or "satisfaction" in url_name:
        return 5
    if "accept" in url_name or "participant" in url_name or "defect" in url_name:
        return 4
    return 2


@pytest.fixture
def records(city, django_capture_on_commit_callbacks, city_officer):
    """URL name → kwargs of a real record the city officer may see."""
    ordered = sorted(OBJECT_URLS.items(), key=lambda item: lifecycle_rank(item[0]))
    built: dict = {}  # one call per builder: several URLs share a builder's records
    for _name, build in ordered:
        if build not in built:
            built[build] = build(city)[0]
    known = {name: built[build] for name, build in ordered}
    known.update(planning_records(city, city_officer, django_capture_on_commit_callbacks))
    return known


def signed_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_walker_finds_the_parameters_fuzzing_broke():
    names = known_query_parameters()
    assert {"district", "s", "organisation", "page"} <= set(names)


def test_no_url_uses_djangos_int_converter():
    """`<int:…>` lets 2^63 through to the database; `<id:…>` stops it at the URL."""
    plain = sorted(
        route
        for _name, route, converters in patterns()
        if any(type(c) is IntConverter for c in converters.values())
    )
    assert not plain, f"use <id:…> instead of <int:…> in: {plain}"


def test_bad_integers_in_paths_never_answer_500(records, city_officer):
    client = signed_in(city_officer)
    failures = []
    for name, route, converters in patterns():
        integers = [arg for arg, converter in converters.items() if is_integer(converter)]
        for arg in integers:
            for bad in BAD_VALUES:
                url = address(route, {**records.get(name, {}), arg: bad})
                for method in ("get", "post", "put", "delete"):
                    status = getattr(client, method)(url).status_code
                    if status >= 500:
                        failures.append((method, url, status))
    assert not failures, "\n".join(map(str, failures))


def called_from_anju() -> bool:
    caller = Path(sys._getframe(2).f_code.co_filename)
    return ANJU in caller.parents and "tests" not in caller.parts


@contextmanager
def recording_query_reads():
    """The query parameter names anju's own code reads (get, getlist, in) while inside; reads
    by Django's and DRF's internals (copying the query for a pager's links) do not count."""
    read: set[str] = set()
    originals = {name: getattr(QueryDict, name) for name in ("get", "getlist")}

    def recording(name):
        def method(self, key, *args, **kwargs):
            if called_from_anju():
                read.add(key)
            return originals[name](self, key, *args, **kwargs)

        return method

    def contains(self, key):
        if called_from_anju():
            read.add(key)
        return dict.__contains__(self, key)

    with ExitStack() as stack:
        for name in originals:
            stack.enter_context(patch.object(QueryDict, name, recording(name)))
        stack.enter_context(patch.object(QueryDict, "__contains__", contains))
        yield read


def test_bad_query_parameters_never_answer_500(records, city_officer):
    """Each page is first asked with every known parameter set to 1, recording which ones its
    view reads; then each of those is sent every bad value on its own."""
    client = signed_in(city_officer)
    known = known_query_parameters()
    # Twice: DRF answers 404 to any unknown ?format= before the view reads anything.
    probes = [
        "?" + urlencode(dict.fromkeys(names, "1"))
        for names in (known, [name for name in known if name != "format"])
    ]
    failures = []
    for name, route, converters in patterns():
        if any(is_integer(c) for c in converters.values()) and name not in records:
            continue  # its records are unknown here: only its path values are fuzzed
        url = address(route, records.get(name, {}))
        with recording_query_reads() as read:
            for probe in probes:
                client.get(url + probe)
        for parameter in sorted(read):
            for bad in BAD_VALUES:
                status = client.get(url + "?" + urlencode({parameter: bad})).status_code
                if status >= 500:
                    failures.append((url, parameter, bad, status))
    assert not failures, "\n".join(map(str, failures))


@pytest.mark.parametrize("bad", (*BAD_VALUES, "", " ", "0", "1.5", "١٢"))
def test_parse_id_refuses_anything_but_an_ascii_id_in_range(bad):
    assert not is_id(bad)
    if bad.strip():
        with pytest.raises(DomainError) as caught:
            parse_id(bad, name="district")
        assert caught.value.status == 400
        assert "district" in caught.value.fields


def test_parse_id_accepts_ids_up_to_the_bigint_limit():
    assert parse_id(str(BIGINT_MAX), name="pk") == BIGINT_MAX
    assert parse_id(" 42 ", name="pk") == 42
    assert optional_id("", name="pk") is None
    assert id_list(["3", "1", "3"], name="s", limit=5) == [3, 1]


def test_a_work_list_with_a_unicode_digit_organisation_is_a_400_for_a_utility_too(city):
    from rest_framework.test import APIClient

    from anju.coordination.tests.works_helpers import utility_in

    _organisation, user = utility_in(city, "江城水务", "water-user")
    client = APIClient()
    client.force_authenticate(user)
    for url in ("/api/v1/works/?organisation=²", "/api/v1/works/W-1/?organisation=²"):
        assert client.get(url).status_code in (400, 404), url
    for url in ("/api/v1/works/W-1/?organisation=²", f"/api/v1/works/W-1/?organisation={2**63}"):
        assert client.put(url, {}, format="json").status_code in (400, 404), url
        assert client.delete(url).status_code in (400, 404), url

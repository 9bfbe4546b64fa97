"""The OpenAPI schema at /api/schema/ says what the API answers: paginated lists as
`{count, next, previous, results}` (as they are sent), and every error as the one body
`{code, message, fields}` under 400/401/403/404."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema():
    return APIClient().get("/api/schema/?format=json").json()


def response_schema(schema, path, method="get", code="200"):
    answer = schema["paths"][path][method]["responses"][code]
    found = answer["content"]["application/json"]["schema"]
    while "$ref" in found:
        found = schema["components"]["schemas"][found["$ref"].rsplit("/", 1)[-1]]
    return found


def test_a_list_endpoint_is_documented_as_a_page_of_results(schema):
    page = response_schema(schema, "/api/v1/works/")

    assert page["type"] == "object"
    assert {"count", "next", "previous", "results"} <= set(page["properties"])
    assert page["properties"]["results"]["type"] == "array"


def test_every_list_documents_the_shape_it_sends(schema, city_officer, city):
    """Each GET list without path values, called as the city officer: a page where the schema
    says a page, an array where it says an array."""
    client = APIClient()
    client.force_authenticate(city_officer)
    checked = []
    for path, operations in schema["paths"].items():
        if "{" in path or "get" not in operations:
            continue
        documented = response_schema(schema, path)
        documents_page = "results" in documented.get("properties", {})
        if documented.get("type") != "array" and not documents_page:
            continue
        body = client.get(path).json()
        assert (isinstance(body, dict) and "results" in body) == documents_page, path
        checked.append(path)
    assert "/api/v1/compounds/" in checked and "/api/v1/works/" in checked


def test_the_error_body_is_declared_once_and_used_for_every_4xx(schema):
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "message", "fields"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            public = operation.get("security") == [{}]  # anyone may call it (a posted notice)
            codes = (set() if public else {"401", "403"}) | ({"404"} if "{" in path else set())
            if method != "get" or operation.get("parameters"):
                codes.add("400")
            for code in codes:
                content = response_schema(schema, path, method, code)
                # Error itself, or an operation's own error that extends it (an import's
                # rejected rows).
                assert {"code", "message", "fields"} <= set(content["required"]), (path, code)
            assert all(
                response_schema(schema, path, method, code) == error for code in codes - {"400"}
            ), (method, path)

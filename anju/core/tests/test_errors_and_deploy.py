"""Nothing a user types produces a 500; production settings pass `check --deploy` cleanly."""

import os
import subprocess
import sys

import pytest
from rest_framework.test import APIClient

from anju.core.errors import DomainError, NotFound

pytestmark = pytest.mark.django_db


def test_domain_error_is_a_4xx_body_with_code_message_fields():
    error = DomainError("面积不能为负数。", code="negative_area", fields={"area": ["不能为负"]})
    assert error.as_dict() == {
        "code": "negative_area",
        "message": "面积不能为负数。",
        "fields": {"area": ["不能为负"]},
    }
    assert NotFound().status == 404


def test_unknown_api_path_answers_json_404():
    response = APIClient().get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_unknown_page_answers_the_404_page(client):
    response = client.get("/workbench/compounds/nope/extra/")
    assert response.status_code == 404


def test_malformed_uuid_in_task_url_is_404(client_as, city_officer):
    assert client_as(city_officer).get("/workbench/tasks/not-a-uuid/").status_code == 404


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "anju.settings.production",
        "ANJU_SECRET_KEY": "x" * 60 + "production-like-secret-key-with-enough-entropy-1234",
        "ANJU_ALLOWED_HOSTS": "anju.example.gov.cn",
        "ANJU_VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-m", "anju", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout

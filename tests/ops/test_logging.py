"""Logs (ops/logging.py, ops/middleware.py): one JSON line per event in production, with the request's id,
the signed-in person's id, the view and the duration; the id travels to the tasks a request asks for."""

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from celery.signals import task_prerun
from django.conf import settings
from django.urls import reverse

from core.tasks import ping
from ops.logging import CONTEXT, ContextFilter, JsonFormatter, logging_config


@pytest.fixture
def json_lines():
    """The lines the production handler would write, for the duration of a test."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


@pytest.mark.django_db
def test_each_request_is_one_json_line_with_its_id_its_person_its_view_and_its_duration(
    world, client_for, json_lines
):
    agent = world.users["agent"]
    url = reverse("projects:detail", args=[world.project.pk])

    response = client_for("agent").get(url, HTTP_X_REQUEST_ID="proxy-1234abcd")

    assert response.status_code == 200
    assert response["X-Request-ID"] == "proxy-1234abcd"
    [line] = [line for line in json_lines() if line["logger"] == "fabrique.request"]
    assert line["request_id"] == "proxy-1234abcd"
    assert line["user_id"] == agent.pk
    assert line["view"] == "projects:detail"
    assert line["status"] == 200 and line["method"] == "GET"
    assert line["duration_ms"] > 0 and line["queries"] > 0
    assert line["level"] == "INFO" and line["time"]
    # The route, never the path: a path may carry a secret key.
    assert line["route"] == "projets/<int:pk>/" and str(world.project.pk) not in line["message"]


@pytest.mark.django_db
def test_a_request_without_a_usable_id_gets_one_and_an_anonymous_one_has_no_person(client, json_lines):
    response = client.get("/", HTTP_X_REQUEST_ID="<script>")

    request_id = response["X-Request-ID"]
    assert len(request_id) == 32 and request_id != "<script>"
    [line] = [line for line in json_lines() if line["logger"] == "fabrique.request"]
    assert line["request_id"] == request_id
    assert "user_id" not in line


@pytest.mark.django_db
def test_the_lines_a_request_causes_carry_its_id(client_for, world, json_lines):
    client_for("agent").get("/ressources/pas-une-page/", HTTP_X_REQUEST_ID="trace-5678efgh")

    lines = [line for line in json_lines() if line.get("request_id") == "trace-5678efgh"]
    assert {line["logger"] for line in lines} >= {"django.request", "fabrique.request"}


def test_a_task_knows_the_request_that_asked_for_it():
    seen = []

    def look(**kwargs):
        seen.append(dict(CONTEXT.get() or {}))

    task_prerun.connect(look)
    token = CONTEXT.set({"request_id": "demande-0001abcd"})
    try:
        ping.apply()
    finally:
        CONTEXT.reset(token)
        task_prerun.disconnect(look)
    assert seen[0]["task"] == "core.ping" and seen[0]["task_id"]
    assert seen[0]["request_id"] == "demande-0001abcd"
    assert CONTEXT.get() is None


def test_plain_text_in_development_json_in_production_and_nothing_else():
    assert logging_config(log_format="plain", level="INFO")["handlers"]["console"]["formatter"] == "plain"
    assert logging_config(log_format="json", level="INFO")["handlers"]["console"]["formatter"] == "json"
    with pytest.raises(ValueError):
        logging_config(log_format="xml", level="INFO")


def test_gunicorn_starts_its_logging_with_the_json_format_of_production():
    """gunicorn.conf.py's logging dictionary, set up as gunicorn does (its own process: the suite's logging
    is left alone); gunicorn refuses to start when the dictionary is incomplete."""
    script = (
        "import runpy; from gunicorn.config import Config; from gunicorn.glogging import Logger; "
        "config = Config(); "
        "config.set('logconfig_dict', runpy.run_path('gunicorn.conf.py')['logconfig_dict']); "
        "Logger(config).error('started')"
    )
    environment = {**os.environ, "DEBUG": "0", "LOG_FORMAT": "json"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stderr.strip().splitlines()[-1])["message"] == "started"

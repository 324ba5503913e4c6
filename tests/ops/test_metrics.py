"""Prometheus metrics (ops/metrics.py): only for the holder of the token; requests by view, status and
database statements; documents and e-mails waiting; the Celery queue's length and the tasks' durations."""

import urllib.error
import urllib.request
import uuid

import pytest
from django.utils import timezone
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from core.tasks import ping
from documents.models import Document, DocumentStatus
from fabrique.celery import app
from ops.tasks import serve_worker_metrics
from outbox.models import EmailStatus, OutgoingEmail
from tests.test_celery_worker import real_broker, redis_url  # noqa: F401 - fixtures

TOKEN = "jeton-de-test-des-metriques"
AUTH = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN
    return TOKEN


def scrape(client, **extra) -> dict:
    """{(name, labels as a sorted tuple): value} of every sample the metrics path answers."""
    response = client.get("/metrics", **AUTH, **extra)
    assert response.status_code == 200, response.status_code
    assert response["Cache-Control"] == "no-store"
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def test_without_a_token_configured_the_metrics_path_does_not_exist(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.parametrize("header", ["", "Bearer faux", f"Basic {TOKEN}", f"Bearer {TOKEN}x"])
def test_without_the_right_token_the_metrics_path_does_not_exist(client, token, header):
    response = client.get("/metrics", HTTP_AUTHORIZATION=header)
    assert response.status_code == 404
    assert b"fabrique_" not in response.content


@pytest.mark.django_db
def test_the_metrics_path_answers_a_node_s_internal_address_over_plain_http(client, token, settings):
    # Prometheus scrapes each node by its address on the private network: no public host name, no HTTPS.
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/metrics", HTTP_HOST="10.0.3.7:8000", **AUTH)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.django_db
def test_requests_are_counted_by_view_and_status_with_their_latency_and_statements(client, token, world):
    labels = {"view": "library:list", "method": "GET", "status": "200"}
    before = REGISTRY.get_sample_value("fabrique_http_requests_total", labels) or 0
    queries_before = REGISTRY.get_sample_value(
        "fabrique_db_queries_per_request_count", {"view": "library:list"}
    )

    assert client.get("/ressources/").status_code == 200
    assert client.get("/ressources/").status_code == 200
    assert client.get("/ressources/pas-une-page/").status_code == 404

    samples = scrape(client)
    assert samples[("fabrique_http_requests_total", tuple(sorted(labels.items())))] == before + 2
    latency = ("fabrique_http_request_duration_seconds_count", (("method", "GET"), ("view", "library:list")))
    assert samples[latency] >= 2
    queries = samples[("fabrique_db_queries_per_request_sum", (("view", "library:list"),))]
    assert queries >= 2, "at least a statement for each page"
    assert samples[("fabrique_db_queries_per_request_count", (("view", "library:list"),))] == (
        queries_before or 0
    ) + 2
    assert any(key[0] == "fabrique_http_requests_total" and ("status", "404") in key[1] for key in samples)


@pytest.mark.django_db
def test_documents_pending_and_failed_and_e_mails_waiting_are_read_at_each_scrape(client, token, world):
    for status in (DocumentStatus.PENDING, DocumentStatus.FAILED, DocumentStatus.FAILED):
        Document.objects.create(
            kind="dossier",
            territory=world.territory,
            project=world.project,
            title="Dossier",
            source_html=f"<p>{status}{Document.objects.count()}</p>",
            content_hash=uuid.uuid4().hex * 2,
            status=status,
        )
    for status in (EmailStatus.PENDING, EmailStatus.PENDING, EmailStatus.FAILED, EmailStatus.SENT):
        OutgoingEmail.objects.create(
            kind="rendered",
            to="personne@exemple.fr",
            language="fr",
            status=status,
            due_at=timezone.now(),
            sent_at=timezone.now() if status == EmailStatus.SENT else None,
        )

    samples = scrape(client)

    for status in DocumentStatus.values:
        expected = Document.objects.filter(status=status).count()
        assert samples[("fabrique_documents", (("status", status),))] == expected
    assert samples[("fabrique_outbox_emails", (("status", "pending"),))] == OutgoingEmail.objects.filter(
        status="pending"
    ).count()
    assert samples[("fabrique_outbox_emails", (("status", "failed"),))] == OutgoingEmail.objects.filter(
        status="failed"
    ).count()
    assert samples[("fabrique_documents_oldest_unfinished_seconds", ())] >= 0
    assert samples[("fabrique_outbox_oldest_pending_seconds", ())] >= 0


def test_a_task_s_duration_is_recorded_by_name_and_outcome():
    labels = {"task": "core.ping", "state": "success"}
    before = REGISTRY.get_sample_value("fabrique_celery_task_duration_seconds_count", labels) or 0

    assert ping.apply().get() == "pong"

    assert REGISTRY.get_sample_value("fabrique_celery_task_duration_seconds_count", labels) == before + 1


def test_a_worker_serves_its_own_metrics_to_the_token_holder_only(token):
    ping.apply()
    server = serve_worker_metrics(0, "127.0.0.1")
    url = f"http://127.0.0.1:{server.server_port}/metrics"
    try:
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {TOKEN}"})
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - this test's own server
            body = response.read().decode()
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url, timeout=10)  # noqa: S310
    finally:
        server.shutdown()
        server.server_close()
    assert 'fabrique_celery_task_duration_seconds_count{state="success",task="core.ping"}' in body
    assert refused.value.code == 404


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_queue_length_counts_the_tasks_waiting_in_the_broker(client, token, real_broker):  # noqa: F811
    app.control.purge()
    try:
        for _ in range(3):
            ping.delay()
        samples = scrape(client)
    finally:
        app.control.purge()
    assert samples[("fabrique_celery_queue_length", (("queue", "celery"),))] == 3

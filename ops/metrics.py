"""Prometheus metrics (prometheus-client, the reference client of Prometheus).

Recorded as they happen, in each process: requests by view (latency histogram, statuses, database queries),
Celery tasks by name (duration, outcome). Under gunicorn or a prefork Celery worker each process writes its
values to files of PROMETHEUS_MULTIPROC_DIR and the scrape adds them up (prometheus-client's multiprocess
mode; gunicorn.conf.py sets the folder). Read at each scrape from the shared services, the same on every
node: the Celery queue's length and what the apps register with `register_gauge` (documents pending or
failed, e-mails waiting in the outbox…).
"""

import logging
import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
QUERY_BUCKETS = (0, 1, 2, 4, 6, 8, 10, 12, 16, 24, 32, 64, 128)
TASK_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)

REQUESTS = Counter(
    "fabrique_http_requests", "Requests answered, by view, method and status.", ["view", "method", "status"]
)
LATENCY = Histogram(
    "fabrique_http_request_duration_seconds",
    "Time to answer a request, by view.",
    ["view", "method"],
    buckets=LATENCY_BUCKETS,
)
QUERIES = Histogram(
    "fabrique_db_queries_per_request",
    "Database statements run to answer a request, by view.",
    ["view"],
    buckets=QUERY_BUCKETS,
)
TASKS = Histogram(
    "fabrique_celery_task_duration_seconds",
    "Time a Celery task ran, by task and outcome (success, failure, retry).",
    ["task", "state"],
    buckets=TASK_BUCKETS,
)

# name -> (documentation, label names, function returning [(label values, value)]); see register_gauge.
GAUGES: dict[str, tuple[str, tuple[str, ...], object]] = {}


def register_gauge(name: str, documentation: str, labels, collect) -> None:
    """A gauge read at each scrape: `collect()` returns (label values, value) pairs. An app registers its own
    in its AppConfig.ready(), so this lower layer never imports it."""
    GAUGES[name] = (documentation, tuple(labels), collect)


class ScrapeCollector:
    """The registered gauges, read now; one that fails (its service down) is left out and logged."""

    def collect(self):
        for name, (documentation, labels, collect) in sorted(GAUGES.items()):
            try:
                values = list(collect())
            except Exception:
                logger.warning("metric %s could not be read", name, exc_info=True)
                continue
            family = GaugeMetricFamily(name, documentation, labels=labels)
            for label_values, value in values:
                family.add_metric([str(v) for v in label_values], value)
            yield family


def exposition() -> tuple[bytes, str]:
    """The metrics of this node in Prometheus' text format, and its content type."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        recorded = CollectorRegistry()
        multiprocess.MultiProcessCollector(recorded)
    else:
        recorded = REGISTRY
    scraped = CollectorRegistry()
    scraped.register(ScrapeCollector())
    return generate_latest(recorded) + generate_latest(scraped), CONTENT_TYPE_LATEST


def celery_queue_lengths():
    """Messages waiting in each Celery queue of the broker (none without a broker: tasks run in process)."""
    from django.conf import settings

    from fabrique.celery import app

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return []
    from kombu.exceptions import ChannelError

    names = sorted({queue.name for queue in app.amqp.queues.values()} or {app.conf.task_default_queue})
    lengths = []
    with app.connection_for_read() as connection:
        channel = connection.default_channel
        for name in names:
            try:
                lengths.append(((name,), channel.queue_declare(name, passive=True).message_count))
            except ChannelError:
                lengths.append(((name,), 0))  # Redis drops an empty queue's key: nothing waits
    return lengths


register_gauge(
    "fabrique_celery_queue_length",
    "Tasks waiting in a Celery queue of the broker.",
    ["queue"],
    celery_queue_lengths,
)

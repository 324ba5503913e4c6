"""Two web nodes and a worker that share nothing but PostgreSQL, Redis and the S3 bucket.

Two `gunicorn` processes on two ports (the production server, production settings: tests/ops/node_settings.py
changes only the static files' storage and the password hasher, as the suite does) and one `celery worker`
process, all on the test database, the test Redis (cache and broker) and a bucket of the S3 test server. One
person's browser talks to both nodes, as a load balancer would send it: a session opened on A works on B and
ended on A is ended on B; a file uploaded through A downloads through B, and removed through A is gone from
B and from the bucket; a PDF requested on A and rendered by the worker downloads from B; failed logins count
across both nodes.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from documents.models import Document, DocumentStatus
from fabrique.celery import app
from library.models import Attachment
from tests.factories import PASSWORD
from tests.s3 import s3_bucket  # noqa: F401 - fixture
from tests.test_celery_worker import real_broker, redis_url  # noqa: F401 - fixtures

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STARTUP = 60  # seconds for a process to answer, on a loaded machine
RENDER = 90  # seconds for the worker to render a note's PDF
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(bucket, broker) -> dict:
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{host}/{db['NAME']}",
        "REDIS_URL": os.environ["REDIS_URL"],
        "CELERY_BROKER_URL": broker,
        "STORAGE_URL": bucket.url,
        "DJANGO_SETTINGS_MODULE": "tests.ops.node_settings",
        "LOG_LEVEL": "WARNING",
    }


class Node:
    """A process of the platform, its output kept in a file for the failure's message."""

    def __init__(self, name, command, environment, tmp_path):
        self.name, self.log_path = name, tmp_path / f"{name}.log"
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            command, env=environment, stdout=log, stderr=subprocess.STDOUT, cwd=settings.BASE_DIR
        )
        log.close()

    def log(self) -> str:
        return f"--- {self.name}\n" + self.log_path.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


class WebNode(Node):
    def __init__(self, name, environment, tmp_path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "gunicorn", "fabrique.wsgi", "--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", "1", "--timeout", "60"]
        super().__init__(name, command, environment, tmp_path)


def _wait_for(condition, seconds, what, nodes):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} not within {seconds} s\n" + "\n".join(node.log() for node in nodes))


def _answers(node) -> bool:
    try:
        return requests.get(f"{node.url}/", timeout=5).status_code == 200
    except requests.RequestException:  # not listening yet, or still loading the application
        return False


@pytest.fixture
def nodes(world, s3_bucket, real_broker, tmp_path):  # noqa: F811 - fixtures
    app.control.purge()  # the world's own PDF (its validated note): not this test's
    cache.clear()  # earlier tests' rate-limit counters
    environment = _environment(s3_bucket, real_broker)
    started = [
        WebNode("a", environment, tmp_path),
        WebNode("b", environment, tmp_path),
        Node(
            "worker",
            [sys.executable, "-m", "celery", "-A", "fabrique", "worker", "--pool=solo", "--loglevel=WARNING"]
            + ["--without-gossip", "--without-mingle", "-n", "two-nodes@%h"],
            environment,
            tmp_path,
        ),
    ]
    try:
        for node in started[:2]:
            _wait_for(lambda node=node: _answers(node), STARTUP, f"node {node.name}", started)
        yield started
    finally:
        for node in started:
            node.stop()


def _browser() -> requests.Session:
    """A browser behind the load balancer: every node is asked for the same public host name (allauth counts
    failed logins per host and address), and the cookies go to both (same host, another port)."""
    browser = requests.Session()
    browser.headers["Host"] = "localhost"
    return browser


def _csrf(browser, url) -> str:
    page = browser.get(url, timeout=30)
    assert page.status_code == 200, (url, page.status_code)
    return CSRF_FIELD.search(page.text).group(1)


def _log_in(browser, node, email, password) -> requests.Response:
    login = node.url + reverse("account_login")
    return browser.post(
        login,
        data={"csrfmiddlewaretoken": _csrf(browser, login), "login": email, "password": password},
        timeout=30,
        allow_redirects=False,
    )


def test_people_served_by_two_web_nodes_in_turn_see_one_platform(nodes, world, s3_bucket):  # noqa: F811
    a, b, _worker = nodes
    browser = _browser()
    agent = world.users["agent"]

    # A session opened on A works on B.
    assert _log_in(browser, a, agent.email, PASSWORD).status_code == 302
    my_space = reverse("dashboards:my_space")
    space = browser.get(b.url + my_space, timeout=30, allow_redirects=False)
    assert space.status_code == 200 and agent.full_name in space.text

    # A file uploaded through A downloads through B.
    content = b"%PDF-1.4\n% uploaded through node A\n"
    resource = world.draft_resource.pk
    edit = reverse("library:edit", args=[resource])
    uploaded = browser.post(
        a.url + reverse("library:attachment_add", args=[resource]),
        data={"csrfmiddlewaretoken": _csrf(browser, a.url + edit), "title": "Compte rendu"},
        files={"file": ("compte-rendu.pdf", content, "application/pdf")},
        timeout=30,
        allow_redirects=False,
    )
    assert uploaded.status_code == 302, uploaded.text[-2000:]
    attachment = Attachment.objects.get(resource=world.draft_resource, title="Compte rendu")
    assert attachment.file.name in s3_bucket.names()
    download = browser.get(b.url + attachment.get_absolute_url(), timeout=30)
    assert download.status_code == 200 and download.content == content

    # A PDF requested on A, rendered by the worker, downloads from B.
    requested = browser.post(
        a.url + reverse("documents:request_note", args=[world.project.pk, "cadrage"]),
        data={"csrfmiddlewaretoken": _csrf(browser, a.url + world.cadrage.get_absolute_url())},
        timeout=30,
        allow_redirects=False,
    )
    assert requested.status_code == 302, requested.text[-2000:]
    document = Document.objects.filter(deliverable=world.cadrage).latest("pk")

    def rendered():
        document.refresh_from_db()
        return document.status in (DocumentStatus.READY, DocumentStatus.FAILED)

    _wait_for(rendered, RENDER, "the worker's PDF", nodes)
    assert document.status == DocumentStatus.READY, document.error
    pdf = browser.get(b.url + reverse("documents:download", args=[document.pk]), timeout=30)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.content == s3_bucket.read(document.file.name)

    # A file removed through A is gone from B, and from the bucket once the removal is committed.
    removed = browser.post(
        a.url + reverse("library:attachment_remove", args=[resource, attachment.pk]),
        data={"csrfmiddlewaretoken": _csrf(browser, a.url + edit)},
        timeout=30,
        allow_redirects=False,
    )
    assert removed.status_code == 302
    assert browser.get(b.url + attachment.get_absolute_url(), timeout=30).status_code == 404
    assert attachment.file.name not in s3_bucket.names()

    # A session ended on A is ended on B.
    browser.post(
        a.url + reverse("account_logout"),
        data={"csrfmiddlewaretoken": _csrf(browser, a.url + my_space)},
        timeout=30,
    )
    assert browser.get(b.url + my_space, timeout=30, allow_redirects=False).status_code == 302

    # Failed logins count across both nodes (Redis): login_failed allows 5 per 5 minutes for an address; 3
    # on A and 2 on B, none enough on its own, and the right password is refused on both.
    elu = world.users["elu"]
    for node in (a, b, a, b, a):
        assert _log_in(_browser(), node, elu.email, "pas le bon mot de passe").status_code == 200
    for node in (b, a):
        refused = _log_in(_browser(), node, elu.email, PASSWORD)
        assert refused.status_code != 302, f"{node.name} let the 6th attempt in\n{a.log()}\n{b.log()}"
    assert _log_in(_browser(), b, world.users["dgs"].email, PASSWORD).status_code == 302

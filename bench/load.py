"""A bounded headless load run: the journeys' mixed traffic against one web node, then two, the same total
number of gunicorn processes in both runs (the same CPU budget), on the same PostgreSQL and Redis.

    DATABASE_URL=… REDIS_URL=… python bench/load.py [--users 12] [--seconds 30] [--processes 2]

The database must hold the demo (`manage.py seed_demo`). Each run starts its nodes (`gunicorn`, production
settings but static files by name: bench/load_settings.py), then virtual users — a third anonymous, the others
signed in as the demo's agent, DGS, élu·e and facilitatrice — walk their journey's pages for `--seconds`,
without pause, each request sent to the next node in turn as a load balancer would (same Host header). It
prints, per run: requests, throughput, median, 95th and 99th percentile latency, errors (a status of 400 or
more, or no answer), and the share of each node. A plain script on purpose: threads and `requests` (already a
dependency) are enough for a bounded, closed-loop run; a load tool would be one more dependency to keep.
Not part of the test suite.
"""

import argparse
import itertools
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter

import requests
from common import ROOT, setup_django

setup_django()

from django.urls import reverse  # noqa: E402

from library.models import Resource, ResourceStatus  # noqa: E402
from projects.models import Project  # noqa: E402
from territories.demo import PILOT_NAME  # noqa: E402
from territories.models import Territory  # noqa: E402

HOST = "localhost"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PASSWORD = os.environ.get("DEMO_PASSWORD") or "transition-demo-2026"
SIGNED_IN = ["agent", "dgs", "elu", "facilitatrice"]


def journeys() -> dict[str, list]:
    """The pages each kind of visitor goes through, from the demo's rows (a tuple is a form sent)."""
    pilot = Territory.objects.get(name=PILOT_NAME)
    project = Project.objects.filter(territory=pilot).order_by("pk").first()
    resources = list(Resource.objects.filter(status=ResourceStatus.PUBLISHED).order_by("pk")[:3])
    public = [
        "/",
        reverse("territories:list"),
        pilot.get_absolute_url(),
        reverse("library:list"),
        *(resource.get_absolute_url() for resource in resources),
        reverse("alliance:directory"),
        reverse("alliance:charter"),
    ]
    member = [
        reverse("dashboards:my_space"),
        # A write among the reads: adding the first resource to one's favourites, or taking it out.
        ("POST", reverse("library:bookmark", args=[resources[0].pk])),
        reverse("notifications:list"),
        reverse("projects:mine"),
        project.get_absolute_url(),
        *(deliverable.get_absolute_url() for deliverable in project.deliverables.all()),
        pilot.get_absolute_url(),
        reverse("library:list"),
        reverse("cooperation:groups"),
    ]
    return {"anonymous": public, "member": member}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_nodes(count: int, workers: int) -> list[tuple[subprocess.Popen, str]]:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "ALLOWED_HOSTS": HOST,
        "LOG_LEVEL": "WARNING",
    }
    nodes = []
    for _ in range(count):
        port = free_port()
        command = [sys.executable, "-m", "gunicorn", "fabrique.wsgi", "--bind", f"127.0.0.1:{port}"]
        command += ["--workers", str(workers), "--timeout", "120"]
        process = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        nodes.append((process, f"http://127.0.0.1:{port}"))
    deadline = time.monotonic() + 120
    for _process, url in nodes:
        while True:
            try:
                if requests.get(url + "/", headers={"Host": HOST}, timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"{url} did not answer within 120 s")
            time.sleep(0.5)
    return nodes


def stop_nodes(nodes) -> None:
    for process, _url in nodes:
        process.send_signal(signal.SIGTERM)
    for process, _url in nodes:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()


class Balancer:
    """Each request to the next node in turn."""

    def __init__(self, urls):
        self._urls = itertools.cycle(urls)
        self._lock = threading.Lock()

    def next(self) -> str:
        with self._lock:
            return next(self._urls)


def log_in(browser, balancer, who) -> None:
    url = balancer.next() + reverse("account_login")
    token = CSRF_FIELD.search(browser.get(url, timeout=60).text).group(1)
    email = f"{who}@demo.fabrique.test"
    answer = browser.post(
        url,
        data={"csrfmiddlewaretoken": token, "login": email, "password": PASSWORD},
        timeout=60,
        allow_redirects=False,
    )
    if answer.status_code != 302:
        raise SystemExit(f"{email} could not sign in ({answer.status_code}): is the demo seeded?")


def virtual_user(index, balancer, pages, until, results) -> None:
    browser = requests.Session()
    browser.headers["Host"] = HOST
    kind = "anonymous" if index % 3 == 0 else "member"
    if kind == "member":
        log_in(browser, balancer, SIGNED_IN[index % len(SIGNED_IN)])
    token = ""
    for step in itertools.cycle(pages[kind]):
        if time.monotonic() >= until:
            return
        node = balancer.next()
        method, path = step if isinstance(step, tuple) else ("GET", step)
        start = time.perf_counter()
        try:
            if method == "POST":
                answer = browser.post(
                    node + path, data={"csrfmiddlewaretoken": token}, timeout=60, allow_redirects=False
                )
            else:
                answer = browser.get(node + path, timeout=60, allow_redirects=False)
            status = answer.status_code
        except requests.RequestException:
            status = 0
        results.append((node, f"{method} {path}", status, time.perf_counter() - start))
        if status == 200 and (found := CSRF_FIELD.search(answer.text)):
            token = found.group(1)


def run(label, nodes_count, processes, users, seconds, pages) -> dict:
    nodes = start_nodes(nodes_count, max(1, processes // nodes_count))
    try:
        balancer = Balancer([url for _process, url in nodes])
        results: list = []
        until = time.monotonic() + seconds
        threads = [
            threading.Thread(target=virtual_user, args=(index, balancer, pages, until, results))
            for index in range(users)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        stop_nodes(nodes)
    latencies = sorted(duration * 1000 for _node, _path, _status, duration in results)
    errors = [(path, status) for _node, path, status, _duration in results if status == 0 or status >= 400]
    centiles = statistics.quantiles(latencies, n=100)
    shares = Counter(node for node, _path, _status, _duration in results)
    by_page: dict[str, list[float]] = {}
    for _node, path, _status, duration in results:
        by_page.setdefault(path, []).append(duration * 1000)
    slowest = sorted(((statistics.median(times), path) for path, times in by_page.items()), reverse=True)[:4]
    return {
        "label": label,
        "requests": len(results),
        "throughput": len(results) / elapsed,
        "median": statistics.median(latencies),
        "p95": centiles[94],
        "p99": centiles[98],
        "errors": len(errors),
        "error_sample": Counter(errors).most_common(3),
        "shares": "/".join(str(count) for count in shares.values()),
        "slowest": ", ".join(f"{path} {median:.0f} ms" for median, path in slowest),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=12, help="virtual users, each without think time")
    parser.add_argument("--seconds", type=float, default=30, help="length of each run")
    parser.add_argument("--processes", type=int, default=2, help="gunicorn processes in all, per run")
    arguments = parser.parse_args()
    pages = journeys()
    print(
        f"{arguments.users} virtual users, {arguments.seconds:.0f} s per run, {arguments.processes} gunicorn "
        f"processes in all per run, {os.cpu_count()} CPUs seen"
    )
    header = f"{'run':<28} {'requêtes':>9} {'req/s':>7} {'médiane':>9} {'p95':>9} {'p99':>9} {'erreurs':>8}"
    header += "  nœuds"
    print(header)
    print("-" * len(header))
    for label, count in (("un nœud", 1), ("deux nœuds", 2)):
        label = f"{label} ({count}×{max(1, arguments.processes // count)} processus)"
        result = run(label, count, arguments.processes, arguments.users, arguments.seconds, pages)
        print(
            f"{result['label']:<28} {result['requests']:>9} {result['throughput']:>7.1f} "
            f"{result['median']:>6.0f} ms {result['p95']:>6.0f} ms {result['p99']:>6.0f} ms "
            f"{result['errors']:>8}  {result['shares']}",
            flush=True,
        )
        print(f"  pages les plus lentes (médiane) : {result['slowest']}")
        if result["errors"]:
            print(f"  erreurs : {result['error_sample']}")


if __name__ == "__main__":
    main()

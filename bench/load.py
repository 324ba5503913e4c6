"""A bounded headless load run: the journeys' mixed traffic against one web node, then two, the same total
number of gunicorn processes in both runs (the same CPU budget), on the same PostgreSQL and Redis.

    DATABASE_URL=… REDIS_URL=… python bench/load.py [--users 12] [--seconds 30] [--processes 2]
    DATABASE_URL=… REDIS_URL=… STORAGE_URL=… python bench/load.py --proxy --worker [...]

The database must hold the demo (`manage.py seed_demo`). Each run starts its nodes (`gunicorn`, production
settings but static files by name: bench/load_settings.py), then locust, headless (bench/locustfile.py),
runs the virtual users — a third anonymous, the others signed in as the demo's agent, DGS, élu·e and
facilitatrice — who walk their journey's pages for `--seconds`, without pause, each request sent to the next
node in turn as a load balancer would (same Host header). It prints, from the requests locust measured,
per run: requests, throughput, median, 95th and 99th percentile latency, errors (a status of 400 or
more, or no answer), the share of each node, and the CPU the nodes' processes (gunicorn's master and workers,
read from /proc) spent per request: on a shared machine, a steadier figure than the throughput.

--proxy puts the real reverse proxy in front, as docker-compose.scale.yml does: nginx (on the PATH) runs
deploy/nginx-scale.conf with this machine's addresses (bench/proxy_conf.py), every request goes through it,
and the nodes' shares are read from its access log; the nodes are told they are behind a proxy. --worker
starts a Celery worker for the whole run, as the compose file does: /sante/ must then answer 200 through the
proxy (database, cache, broker, worker), the demo's pending PDFs are rendered into the storage before the
load, and the signed-in journey downloads them (from the bucket, with STORAGE_URL). Locust (a dev dependency)
is the load driver rather than threads written here: its users are cheap greenlets in their own process, and
its figures (percentiles, failures by page) are the standard ones operators read. Not part of the test suite.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import proxy_conf
import requests
from common import ROOT, setup_django

setup_django()

from django.urls import reverse  # noqa: E402

from documents.models import Document, DocumentStatus  # noqa: E402
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
        # The project's rendered PDFs (after --worker rendered them): streamed from the storage by the node.
        *(
            reverse("documents:download", args=[document.pk])
            for document in Document.objects.filter(project=project, status=DocumentStatus.READY)
        ),
        pilot.get_absolute_url(),
        reverse("library:list"),
        reverse("cooperation:groups"),
    ]
    return {"anonymous": public, "member": member}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def node_environment(behind_proxy: bool) -> dict:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "ALLOWED_HOSTS": HOST,
        "LOG_LEVEL": "WARNING",
    }
    if behind_proxy:
        # nginx appends the address it saw to X-Forwarded-For: the client is the last entry.
        environment |= {"BEHIND_PROXY": "1", "TRUSTED_PROXY_COUNT": "1"}
    return environment


def start_nodes(count: int, workers: int, behind_proxy: bool = False) -> list[tuple[subprocess.Popen, str]]:
    environment = node_environment(behind_proxy)
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


def start_worker(log_folder: Path) -> subprocess.Popen:
    """One Celery worker, one process (the compose file's worker, on the machine's budget)."""
    command = [sys.executable, "-m", "celery", "-A", "fabrique", "worker", "--concurrency", "1"]
    command += ["--loglevel", "WARNING", "--without-gossip", "--without-mingle", "-n", "load@%h"]
    with (log_folder / "worker.log").open("wb") as log:
        return subprocess.Popen(
            command, cwd=ROOT, env=node_environment(False), stdout=log, stderr=subprocess.STDOUT
        )


def wait_for_documents(seconds: float = 180) -> None:
    """The demo's PDFs requested when it was seeded: rendered by the worker into the storage."""
    deadline = time.monotonic() + seconds
    pending = [DocumentStatus.PENDING, DocumentStatus.RUNNING]
    while Document.objects.filter(status__in=pending).exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"the worker did not render the demo's documents within {seconds:.0f} s")
        time.sleep(1)
    failed = Document.objects.filter(status=DocumentStatus.FAILED).count()
    if failed:
        raise SystemExit(f"{failed} document(s) failed to render: see the worker's log")


def start_proxy(folder: Path, nodes) -> tuple[subprocess.Popen, str]:
    """nginx with deploy/nginx-scale.conf in front of the nodes, on a free port."""
    if not shutil.which("nginx"):
        raise SystemExit("--proxy needs nginx on the PATH (Debian: apt-get install nginx-light)")
    port = free_port()
    upstreams = [url.split("://", 1)[1] for _process, url in nodes]
    configuration = proxy_conf.write(folder, f"127.0.0.1:{port}", upstreams)
    (folder / proxy_conf.ACCESS_LOG).unlink(missing_ok=True)
    process = subprocess.Popen(
        ["nginx", "-c", str(configuration), "-p", str(folder), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            health = requests.get(url + reverse("core:health"), headers={"Host": HOST}, timeout=10)
            if health.status_code == 200:
                return process, url
        except requests.RequestException:
            health = None
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            error_log = (folder / "error.log").read_text() if (folder / "error.log").exists() else ""
            answer = f"{health.status_code} {health.text[:300]}" if health is not None else "no answer"
            raise SystemExit(f"/sante/ through nginx: {answer}\n{error_log[-2000:]}")
        time.sleep(0.5)


def proxy_shares(folder: Path) -> str:
    """Requests per node, from the proxy's access log (its last field: the node that answered)."""
    lines = (folder / proxy_conf.ACCESS_LOG).read_text().splitlines()
    shares = Counter(line.split()[-1] for line in lines)
    return "/".join(str(count) for _node, count in sorted(shares.items()))


def process_tree(pid: int) -> list[int]:
    """A process and its descendants (gunicorn's master and its workers), from /proc."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        queue.extend(int(child) for child in children)
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time the processes have used so far (Linux' /proc/PID/stat, in clock ticks)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime and stime: the 14th and 15th fields
    return ticks / os.sysconf("SC_CLK_TCK")


def stop_nodes(nodes) -> None:
    for process, _url in nodes:
        process.send_signal(signal.SIGTERM)
    for process, _url in nodes:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()


def locust_plan(folder: Path, nodes: list[str], pages) -> Path:
    """What bench/locustfile.py reads: where to send the requests and what each kind of user asks."""
    plan = {
        "nodes": nodes,
        "host": HOST,
        "login": reverse("account_login"),
        "password": PASSWORD,
        "signed_in": [f"{who}@demo.fabrique.test" for who in SIGNED_IN],
        "pages": {
            kind: [list(step) if isinstance(step, tuple) else ["GET", step] for step in steps]
            for kind, steps in pages.items()
        },
        "requests_file": str(folder / "requests.json"),
    }
    path = folder / "plan.json"
    path.write_text(json.dumps(plan))
    return path


def run_locust(plan: Path, users: int, seconds: float) -> float:
    """locust, headless, all users started at once, for `seconds`; each request it recorded is left in the
    plan's requests file."""
    command = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"]
    command += ["--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds:.0f}s"]
    command += ["--only-summary", "--loglevel", "WARNING"]
    command += ["--exit-code-on-error", "0"]
    started = time.monotonic()
    finished = subprocess.run(
        command, cwd=ROOT, env={**os.environ, "FABRIQUE_LOAD_PLAN": str(plan)}, capture_output=True, text=True
    )
    if finished.returncode != 0:
        raise SystemExit(f"locust stopped with {finished.returncode}:\n{finished.stderr[-3000:]}")
    return time.monotonic() - started


def run(label, nodes_count, processes, users, seconds, pages, folder: Path, proxy: bool) -> dict:
    nodes = start_nodes(nodes_count, max(1, processes // nodes_count), behind_proxy=proxy)
    nginx = None
    folder.mkdir(mode=0o755)
    try:
        if proxy:
            nginx, proxy_url = start_proxy(folder, nodes)
            targets = [proxy_url]
        else:
            targets = [url for _process, url in nodes]
        pids = [pid for process, _url in nodes for pid in process_tree(process.pid)]
        plan = locust_plan(folder, targets, pages)
        cpu_before = cpu_seconds(pids)
        elapsed = run_locust(plan, users, seconds)
        cpu = cpu_seconds(pids) - cpu_before
    finally:
        if nginx is not None:
            nginx.send_signal(signal.SIGQUIT)  # nginx's graceful stop: its access log is complete
            nginx.wait(30)
        stop_nodes(nodes)
    # [name, node, status, milliseconds, failed] per request
    recorded = json.loads((folder / "requests.json").read_text())
    latencies = sorted(milliseconds for _name, _node, _status, milliseconds, _failed in recorded)
    errors = [(name, status) for name, _node, status, _ms, failed in recorded if failed]
    centiles = statistics.quantiles(latencies, n=100)
    by_page: dict[str, list[float]] = {}
    for name, _node, _status, milliseconds, _failed in recorded:
        by_page.setdefault(name, []).append(milliseconds)
    slowest = sorted(((statistics.median(times), name) for name, times in by_page.items()), reverse=True)[:4]
    shares = Counter(node for _name, node, _status, _ms, _failed in recorded)
    return {
        "label": label,
        "requests": len(recorded),
        "throughput": len(recorded) / seconds,
        "median": statistics.median(latencies),
        "p95": centiles[94],
        "p99": centiles[98],
        "errors": len(errors),
        "error_sample": Counter(errors).most_common(3),
        "shares": proxy_shares(folder)
        if proxy
        else "/".join(str(count) for _node, count in sorted(shares.items())),
        # Every request the users sent, the sign-ins included; the nodes' CPU over the whole locust run, its
        # start and stop included (a second or two of idle nodes).
        "cpu_ms": cpu * 1000 / max(1, len(recorded)),
        "slowest": ", ".join(f"{path} {median:.0f} ms" for median, path in slowest),
        "seconds": elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=12, help="virtual users, each without think time")
    parser.add_argument("--seconds", type=float, default=30, help="length of each run")
    parser.add_argument("--processes", type=int, default=2, help="gunicorn processes in all, per run")
    parser.add_argument("--proxy", action="store_true", help="through nginx and deploy/nginx-scale.conf")
    parser.add_argument("--worker", action="store_true", help="with a Celery worker, as deployed")
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="fabrique-load-"))
    # nginx started by root runs its workers as another user, who writes the proxy's temporary files in it.
    folder.chmod(0o755)
    worker = start_worker(folder) if arguments.worker else None
    try:
        if worker is not None:
            wait_for_documents()
        pages = journeys()
        print(
            f"{arguments.users} virtual users, {arguments.seconds:.0f} s per run, "
            f"{arguments.processes} gunicorn processes in all per run, {os.cpu_count()} CPUs seen"
            + (", through nginx (deploy/nginx-scale.conf)" if arguments.proxy else "")
            + (", with a Celery worker" if worker is not None else "")
        )
        header = f"{'run':<28} {'requêtes':>9} {'req/s':>7} {'médiane':>9} {'p95':>9} {'p99':>9}"
        header += f" {'erreurs':>8} {'CPU/req':>9}  nœuds"
        print(header)
        print("-" * len(header))
        for label, count in (("un nœud", 1), ("deux nœuds", 2)):
            label = f"{label} ({count}×{max(1, arguments.processes // count)} processus)"
            result = run(
                label,
                count,
                arguments.processes,
                arguments.users,
                arguments.seconds,
                pages,
                folder=folder / f"run-{count}",
                proxy=arguments.proxy,
            )
            print(
                f"{result['label']:<28} {result['requests']:>9} {result['throughput']:>7.1f} "
                f"{result['median']:>6.0f} ms {result['p95']:>6.0f} ms {result['p99']:>6.0f} ms "
                f"{result['errors']:>8} {result['cpu_ms']:>6.1f} ms  {result['shares']}",
                flush=True,
            )
            print(f"  pages les plus lentes (médiane) : {result['slowest']}")
            if result["errors"]:
                print(f"  erreurs : {result['error_sample']}")
    finally:
        if worker is not None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

"""docker-compose.scale.yml run for real: the image, the one-shot migrations, the healthchecks, the proxy's
DNS re-resolution, and one person served by two web replicas in turn, with the times each step took.

    python bench/compose_scale.py [--no-build] [--keep]

Needs Docker, Docker Compose 2.24 or later, the images the compose files name (or `--no-build` and a local
`fabrique:latest`), and the dev dependencies (moto's standalone server, requests). Linux only: the replicas,
which publish no port, are reached at their containers' addresses.

The committed tree (`git archive HEAD`) is exported to a temporary folder with an .env of its own (random
secrets, a bucket of a moto server started here and reached through Docker's bridge), so neither the
operator's .env nor the working tree is read. The project, `fabrique-bench`, is started, the demo is seeded
into it (`seed_demo --allow-production`: a throwaway database), then checked:

- `migrate` exited 0 before any web replica, worker or beat started; every service turns healthy;
- a session opened on replica A serves on replica B; a file uploaded through A downloads through B, byte for
  byte; a note's PDF requested on A and rendered by a worker container downloads from B;
- `--scale web=3`: the proxy (`server web:8000 resolve`) sends the new replica its share without a restart.

It prints how long `up` took, each web replica's time from its start to gunicorn listening, and each
replica's share of the requests sent through the proxy. The project and its volumes are removed at the end
(unless --keep). Not part of the test suite.
"""

import argparse
import ipaddress
import json
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "fabrique-bench"
HOST = "fabrique.example.org"
PASSWORD = "transition-demo-2026"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BUCKET = "fabrique-bench"

# Run in the web container: the demo's agent, a library resource she may edit and a deliverable she reads.
ADDRESSES = """
import json
from django.urls import reverse
from accounts.models import User
from library.access import rights_of
from library.models import Resource
from projects.access import get_deliverable_for_user
from projects.models import Deliverable
agent = User.objects.get(email="agent@demo.fabrique.test")
resource = next(r for r in Resource.objects.order_by("pk") if rights_of(agent, r).can_edit)
def readable(deliverable):
    try:
        get_deliverable_for_user(agent, deliverable.project_id, deliverable.kind)
    except Exception:
        return False
    return True
deliverable = next(d for d in Deliverable.objects.order_by("pk") if readable(d))
print(json.dumps({
    "email": agent.email, "name": agent.full_name,
    "login": reverse("account_login"), "my_space": reverse("dashboards:my_space"),
    "edit": reverse("library:edit", args=[resource.pk]),
    "attachment_add": reverse("library:attachment_add", args=[resource.pk]),
    "deliverable": deliverable.get_absolute_url(),
    "request_note": reverse("documents:request_note", args=[deliverable.project_id, deliverable.kind]),
}))
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run(*command, cwd=None) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True, cwd=cwd).stdout


class Project:
    def __init__(self, folder: Path):
        self.folder = folder
        self.compose = ["docker", "compose", "-p", PROJECT, "-f", "docker-compose.yml", "-f",
                        "docker-compose.scale.yml"]

    def __call__(self, *arguments) -> str:
        return _run(*self.compose, *arguments, cwd=self.folder)

    def containers(self, service: str) -> list[dict]:
        ids = self("ps", "-a", "-q", service).split()
        return sorted((json.loads(_run("docker", "inspect", cid))[0] for cid in ids), key=lambda c: c["Name"])

    def manage(self, *arguments) -> str:
        return self("exec", "-T", "web", "python", "manage.py", *arguments)


def _logs(container: dict) -> str:
    # The platform's lines and gunicorn's go to both streams: read them together.
    logs = subprocess.run(["docker", "logs", container["Name"].lstrip("/")], capture_output=True, text=True)
    return logs.stdout + logs.stderr


def _time(value: str) -> datetime:
    # Docker's nanoseconds: datetime reads microseconds.
    return datetime.fromisoformat(re.sub(r"(\.\d{6})\d*", r"\1", value).replace("Z", "+00:00"))


def _address(container: dict) -> str:
    return next(iter(container["NetworkSettings"]["Networks"].values()))["IPAddress"]


class Browser:
    """One person behind the public TLS proxy. The session cookie is Secure and the replicas speak plain HTTP
    behind it (X-Forwarded-Proto), so the cookies are kept here rather than by requests' jar."""

    def __init__(self):
        self.cookies = {}

    def send(self, method, url, **options):
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "Referer": f"https://{HOST}/",
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
        }
        answer = requests.request(method, url, headers=headers, allow_redirects=False, timeout=60, **options)
        self.cookies.update({cookie.name: cookie.value for cookie in answer.cookies})
        return answer

    def csrf(self, url) -> str:
        page = self.send("GET", url)
        assert page.status_code == 200, (url, page.status_code)
        return CSRF_FIELD.search(page.text).group(1)


def _export(folder: Path, storage_url: str, web_port: int) -> None:
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    (folder / ".env").write_text(
        f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
        f"POSTGRES_PASSWORD={secrets.token_urlsafe(18)}\n"
        f"ALLOWED_HOSTS={HOST}\nSITE_URL=https://{HOST}\nCONTACT_EMAIL=contact@{HOST}\n"
        f"STORAGE_URL={storage_url}\nWEB_PORT=127.0.0.1:{web_port}\n"
    )


def _check_order_and_health(project: Project) -> None:
    (migrate,) = project.containers("migrate")
    assert migrate["State"]["ExitCode"] == 0, project("logs", "migrate")[-2000:]
    migrated = _time(migrate["State"]["FinishedAt"])
    for service in ("web", "worker", "beat"):
        for container in project.containers(service):
            assert _time(container["State"]["StartedAt"]) > migrated, (container["Name"], "started first")
    print(f"migrate: exited 0 at {migrated:%H:%M:%S.%f}, before every web replica, worker and beat started")
    deadline = time.monotonic() + 180
    while True:
        states = {c["Name"].lstrip("/"): c["State"].get("Health", {}).get("Status", c["State"]["Status"])
                  for service in ("web", "worker", "beat", "proxy", "postgres", "redis")
                  for c in project.containers(service)}
        if all(state == "healthy" for state in states.values()):
            break
        assert time.monotonic() < deadline, states
        time.sleep(5)
    print("healthy:", ", ".join(sorted(states)))


def _listening_seconds(project: Project) -> dict[str, float]:
    seconds = {}
    for container in project.containers("web"):
        line = next(line for line in _logs(container).splitlines() if "Listening at" in line)
        listening = _time(json.loads(line)["time"])
        started = _time(container["State"]["StartedAt"])
        seconds[container["Name"].lstrip("/")] = (listening - started).total_seconds()
    return seconds


def _one_person_on_two_replicas(project: Project) -> None:
    urls = json.loads(project.manage("shell", "-c", ADDRESSES).strip().splitlines()[-1])
    (a, b) = [(c["Name"].lstrip("/"), f"http://{_address(c)}:8000") for c in project.containers("web")[:2]]
    browser = Browser()
    login = urls["login"]
    answer = browser.send("POST", a[1] + login, data={
        "csrfmiddlewaretoken": browser.csrf(a[1] + login), "login": urls["email"], "password": PASSWORD})
    assert answer.status_code == 302, answer.status_code
    space = browser.send("GET", b[1] + urls["my_space"])
    assert space.status_code == 200 and urls["name"] in space.text
    print(f"session: opened on {a[0]}, served on {b[0]}")

    content = f"%PDF-1.4\n% uploaded through {a[0]} at {time.time()}\n".encode()
    form = {"csrfmiddlewaretoken": browser.csrf(a[1] + urls["edit"]), "title": "Banc compose"}
    answer = browser.send("POST", a[1] + urls["attachment_add"], data=form,
                          files={"file": ("banc.pdf", content, "application/pdf")})
    assert answer.status_code == 302, answer.status_code
    page = browser.send("GET", b[1] + urls["edit"]).text
    links = set(re.findall(r'href="([^"]*/pieces-jointes/\d+/)"', page))
    assert any(browser.send("GET", b[1] + link).content == content for link in links), links
    print(f"file: uploaded through {a[0]}, the same bytes downloaded through {b[0]}")

    def renders():
        succeeded = re.compile(r"render_document\[[^]]+\] succeeded")
        workers = project.containers("worker")
        return Counter({c["Name"].lstrip("/"): len(succeeded.findall(_logs(c))) for c in workers})

    rendered_before = renders()
    answer = browser.send("POST", a[1] + urls["request_note"],
                          data={"csrfmiddlewaretoken": browser.csrf(a[1] + urls["deliverable"])})
    assert answer.status_code == 302, answer.status_code
    status = answer.headers["Location"]
    download = status.rstrip("/") + "/telecharger/"
    deadline = time.monotonic() + 180
    while not (pdf := browser.send("GET", b[1] + download)).content.startswith(b"%PDF"):
        assert time.monotonic() < deadline, (pdf.status_code, pdf.text[-500:])
        time.sleep(2)
    rendered = sorted(renders() - rendered_before)
    # Nobody when the note had been rendered already (the demo's): the platform serves that document again.
    print(f"PDF: requested on {a[0]}, rendered by {', '.join(rendered) or 'nobody (already rendered)'}, "
          f"{len(pdf.content)} bytes downloaded from {b[0]}")


def _proxy_shares(project: Project, web_port: int, requests_sent: int) -> Counter:
    """How many of `requests_sent` home pages asked through the proxy each replica served (its own log)."""

    def served():
        return Counter({c["Name"].lstrip("/"): _logs(c).count('"route": "", "status": 200')
                        for c in project.containers("web")})

    before = served()
    for _ in range(requests_sent):
        answer = requests.get(f"http://127.0.0.1:{web_port}/", timeout=30,
                              headers={"Host": HOST, "X-Forwarded-Proto": "https"})
        assert answer.status_code == 200, answer.status_code
    return served() - before


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="use the local fabrique:latest image")
    parser.add_argument("--keep", action="store_true", help="leave the project running at the end")
    options = parser.parse_args()

    # The host as the containers reach it: the default bridge's gateway (its subnet's first address when
    # the daemon does not name it).
    bridge = json.loads(_run("docker", "network", "inspect", "bridge"))[0]["IPAM"]["Config"][0]
    gateway = bridge.get("Gateway") or str(next(ipaddress.ip_network(bridge["Subnet"]).hosts()))
    s3_port, web_port = _free_port(), _free_port()
    moto_server = str(Path(sys.executable).parent / "moto_server")
    moto = subprocess.Popen([moto_server, "-H", "0.0.0.0", "-p", str(s3_port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    folder = Path(tempfile.mkdtemp(prefix="fabrique-compose-"))
    project = Project(folder)
    try:
        for _ in range(50):
            try:
                requests.put(f"http://127.0.0.1:{s3_port}/{BUCKET}", timeout=2).raise_for_status()
                break
            except requests.RequestException:
                time.sleep(0.2)
        _export(folder, f"s3+http://testing:testing@{gateway}:{s3_port}/{BUCKET}", web_port)

        started = time.monotonic()
        project("up", "-d", *(["--no-build"] if options.no_build else ["--build"]))
        print(f"up: {time.monotonic() - started:.0f} s, until the proxy started (after healthy replicas)")
        _check_order_and_health(project)
        print("web replica, start to gunicorn listening:",
              ", ".join(f"{name} {seconds:.1f} s" for name, seconds in _listening_seconds(project).items()))

        project.manage("seed_demo", "--allow-production")
        _one_person_on_two_replicas(project)
        print("proxy, 30 requests over 2 replicas:", dict(_proxy_shares(project, web_port, 30)))

        started = time.monotonic()
        project("up", "-d", "--no-build", "--scale", "web=3")
        print(f"--scale web=3: {time.monotonic() - started:.0f} s")
        time.sleep(11)  # the proxy's resolver keeps an answer 10 s (deploy/nginx-scale.conf)
        shares = _proxy_shares(project, web_port, 30)
        print("proxy, 30 requests over 3 replicas, no restart:", dict(shares))
        assert len(shares) == 3 and all(shares.values()), shares
    finally:
        if not options.keep:
            project("down", "-v", "--remove-orphans")
            shutil.rmtree(folder, ignore_errors=True)
        moto.terminate()


if __name__ == "__main__":
    main()

"""The virtual users of bench/load.py, run by locust (headless). Not meant to be started by hand: load.py
starts the nodes, writes the plan (the nodes' addresses, the journeys' pages, who signs in) to the file named
by FABRIQUE_LOAD_PLAN, runs `locust --headless -f bench/locustfile.py` and reads locust's CSV figures back.

A third of the users are anonymous visitors, the others sign in as the demo's agent, DGS, élu·e and
facilitatrice in turn; each walks its journey's pages in a loop without think time (a closed loop: the load
follows the platform's speed). Each request goes to the next node in turn, as a load balancer would (one node
when the run goes through the reverse proxy). Locust counts a status of 400 or more, or no answer, as a
failure; a redirection is not followed (the sign-in's 302 is the expected answer).
"""

import itertools
import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from locust import HttpUser, constant, events, task
from locust.exception import StopUser

PLAN = json.loads(Path(os.environ["FABRIQUE_LOAD_PLAN"]).read_text())
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# Locust's users are greenlets of one thread: these are shared without a lock.
_nodes = itertools.cycle(PLAN["nodes"])
_members = itertools.count()
_requests: list = []


class Visitor(HttpUser):
    abstract = True
    wait_time = constant(0)
    host = PLAN["nodes"][0]
    journey = ""

    def on_start(self):
        self.client.headers["Host"] = PLAN["host"]
        self.steps = itertools.cycle(PLAN["pages"][self.journey])
        self.token = ""

    def send(self, method: str, path: str, name: str | None = None, data: dict | None = None):
        name = name or f"{method} {path}"
        return self.client.request(
            method, next(_nodes) + path, name=name, data=data, allow_redirects=False, timeout=60
        )

    @task
    def next_page(self):
        method, path = next(self.steps)
        data = {"csrfmiddlewaretoken": self.token} if method == "POST" else None
        answer = self.send(method, path, data=data)
        if answer.status_code == 200 and (found := CSRF_FIELD.search(answer.text or "")):
            self.token = found.group(1)


class Anonymous(Visitor):
    weight = 1
    journey = "anonymous"


class Member(Visitor):
    weight = 2
    journey = "member"

    def on_start(self):
        super().on_start()
        who = PLAN["signed_in"][next(_members) % len(PLAN["signed_in"])]
        form = self.send("GET", PLAN["login"], name="sign-in form")
        found = CSRF_FIELD.search(form.text or "")
        signed_in = found and self.send(
            "POST",
            PLAN["login"],
            name="sign-in",
            data={"csrfmiddlewaretoken": found.group(1), "login": who, "password": PLAN["password"]},
        )
        if not signed_in or signed_in.status_code != 302:
            # A refused sign-in answers 200 (the form again), which locust would count as a success.
            self.environment.events.request.fire(
                request_type="POST",
                name="sign-in refused",
                response_time=0,
                response_length=0,
                response=None,
                context={},
                exception=RuntimeError(f"{who} could not sign in: is the demo seeded?"),
            )
            raise StopUser()


@events.request.add_listener
def record(name, response_time, exception=None, url=None, response=None, **_kwargs):
    """Every request as locust measured it. load.py computes its figures from these rather than from locust's
    CSV files, which are written on a timer and may miss the last second's requests."""
    status = getattr(response, "status_code", 0) or 0
    _requests.append(
        [name, urlsplit(url).netloc if url else "", status, response_time, exception is not None]
    )


@events.quitting.add_listener
def write_requests(environment, **_kwargs):
    Path(PLAN["requests_file"]).write_text(json.dumps(_requests))

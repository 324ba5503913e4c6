"""One way out of the process: e-mails leave only through the outbox, tasks are handed to Celery only
through `core.queue.enqueue` (which never fails a request). A new `send_mail(…)` or `.delay(…)` elsewhere
would bring back the 500s of a broker outage and the e-mails lost with it."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIPPED = {".venv", "node_modules", "tests", "bench", "migrations", "staticfiles", ".git"}

SENDING_MAIL = re.compile(
    r"(?<!def )\b(send_mail|send_mass_mail|mail_admins|mail_managers|EmailMessage|EmailMultiAlternatives)\("
)
ENQUEUEING = re.compile(r"\.(delay|apply_async|send_task)\(")


def _sources():
    for path in ROOT.rglob("*.py"):
        if not SKIPPED.intersection(path.relative_to(ROOT).parts):
            yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def _offenders(pattern, allowed):
    return sorted(
        f"{name}:{number}: {line.strip()}"
        for name, text in _sources()
        if name not in allowed
        for number, line in enumerate(text.splitlines(), 1)
        if pattern.search(line) and not line.lstrip().startswith("#")
    )


def test_only_the_outbox_sends_email():
    assert _offenders(SENDING_MAIL, {"outbox/services.py"}) == []


def test_only_core_queue_hands_tasks_to_the_broker():
    # fabrique/celery.py asks for the sweeps when a worker starts: the broker is up by definition.
    assert _offenders(ENQUEUEING, {"core/queue.py", "fabrique/celery.py"}) == []


def test_the_scan_sees_the_project():
    names = {name for name, _text in _sources()}
    assert {"outbox/services.py", "notifications/services.py", "core/queue.py"} <= names

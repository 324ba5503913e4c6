"""App CPU of the base template alone (templates/base.html around an empty page), per kind of person.

    DATABASE_URL=postgres://…/fab_bench_pages python bench/base_template.py [--renders 500]

Every page pays for base.html: its menu, footer, language form, the header's unread count (one
statement) and the context processors. This renders it around an empty block for a visitor, a member and
an admin of the database built by bench/pages.py (run that first), through the engine and the context
processors as a view's render() does, with a request that carries no CSRF cookie (a new token is made each
time, as on a first visit). Printed: the median CPU of one rendering (`time.process_time()`) and its size.
Not part of the test suite.
"""

import argparse
import statistics
import sys
import time

from common import setup_django, web_settings

PEOPLE = {"visiteur": None, "membre": "agent0@bench.test", "admin": "admin@bench.test"}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--renders", type=int, default=500, help="Rendus mesurés par personne.")
    parser.add_argument("--path", default="/ressources/", help="Adresse de la page rendue.")
    args = parser.parse_args()
    setup_django()

    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.base import SessionBase
    from django.template import engines
    from django.test import RequestFactory

    from accounts.models import User

    with web_settings():
        template = engines["django"].from_string(
            '{% extends "base.html" %}{% block content %}<p>Page vide.</p>{% endblock %}'
        )
        factory = RequestFactory()

        def request_of(user):
            request = factory.get(args.path)
            request.user = user or AnonymousUser()
            request.session = SessionBase()
            return request

        print(f"{'personne':<10} {'CPU':>9} {'HTML':>8}")
        for label, email in PEOPLE.items():
            user = User.objects.get(email=email) if email else None
            html = template.render({}, request_of(user))  # warm-up: templates loaded, caches filled
            timings = []
            for _ in range(args.renders):
                request = request_of(user)
                started = time.process_time()
                template.render({}, request)
                timings.append((time.process_time() - started) * 1000)
            print(
                f"{label:<10} {statistics.median(timings):>6.2f} ms {len(html) / 1024:>5.1f} KB", flush=True
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Generated input posted to every form of the platform, as each role: never a server error, and every value
the platform accepts can be shown back.

The forms are those the access table declares (`Access(form=True)`); a form added later joins this test
as soon as its URL is declared with `form=True`. Each form is posted to as every role allowed to use it
and as one role that is not.

The random examples go where they find things: one role per form (the first allowed role in the order of
`FULL_BUDGET_ORDER`, whose requests run the deepest code) gets the full budget, the other roles a few
examples each. `FABRIQUE_FUZZ_EXAMPLES` raises the budget for a long local run, e.g.
`FABRIQUE_FUZZ_EXAMPLES=200 make test PYTEST_ARGS=tests/test_forms_fuzz.py`.

After every post that stored something, every page that reads what was stored is read back (as the same role,
or as a role that may read it), and the PDF documents' HTML of the world's projects is rendered again: a
value that is accepted but cannot be shown back fails here, with the payload that stored it.
"""

import datetime
import io
import os
import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.urls import Resolver404, get_resolver, resolve, reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.access import ROLES, SIGNED_IN, TABLE

from . import form_states
from .factories import PASSWORD, png_bytes
from .form_states import STATES
from .url_kwargs import url_for

# Importing the URL configuration fills the access table.
get_resolver().url_patterns  # noqa: B018

FULL_BUDGET = int(os.environ.get("FABRIQUE_FUZZ_EXAMPLES", "10"))
SMALL_BUDGET = max(2, FULL_BUDGET // 5)
# The role that gets a form's full budget: the first allowed one here. A visitor first for the forms open to
# everyone (signing up, logging in: a signed-in person is sent away from them); then team members before
# reviewers and admins, whose broader rights skip some of the checks a team member's request goes through.
FULL_BUDGET_ORDER = ("anonymous", "agent", "dgs", "elu", "facilitator", "outsider", "admin")


def _denied_role(who):
    """A role the form turns away: a signed-in one when there is one (more code runs), else anonymous."""
    for role in ROLES:
        if role in SIGNED_IN and role not in who:
            return role
    return None if "anonymous" in who else "anonymous"


def _full_budget_role(who):
    return next(role for role in FULL_BUDGET_ORDER if role in who)


def _cases():
    """(name, role, full budget?) for every form: each allowed role, and one role that is not allowed."""
    for name, access in sorted(TABLE.items()):
        if not access.form:
            continue
        full = _full_budget_role(access.who)
        for role in ROLES:
            if role in access.who:
                yield name, role, role == full
        denied = _denied_role(access.who)
        if denied is not None:
            yield name, denied, False


CASES = list(_cases())
FULL_CASES = [pytest.param(n, r, id=f"{n}-{r}") for n, r, full in CASES if full]
OTHER_CASES = [
    pytest.param(n, r, id=f"{n}-{r}" + ("" if r in TABLE[n].who else "-denied"))
    for n, r, full in CASES
    if not full
]


# Plausible values by input type, so that a realistic form can be posted and then spoiled field by field.
PLAUSIBLE = {
    "email": "elu@exemple.fr",
    "url": "https://exemple.fr",
    "number": "1",
    "password": PASSWORD,
    "tel": "05 63 00 00 00",
    "checkbox": "on",
}


class _Forms(HTMLParser):
    """The POST forms of a page: their action, and for each field the values a browser could send."""

    def __init__(self):
        super().__init__()
        self.forms = []  # [action, {name: [candidate values]}], or None for a GET form
        self._select = None

    def _add(self, name, value):
        if self.forms and self.forms[-1] is not None:
            values = self.forms[-1][1].setdefault(name, [])
            if value not in values:
                values.append(value)

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        name = attrs.get("name")
        if tag == "form":
            is_post = (attrs.get("method") or "get").lower() == "post"
            self.forms.append([attrs.get("action", ""), {}] if is_post else None)
        elif tag in ("input", "button") and name:
            kind = attrs.get("type", "text").lower()
            if kind == "file":
                self._add(name, None)  # a file: generated below
            else:
                self._add(name, attrs.get("value") or PLAUSIBLE.get(kind, "Texte de la Fabrique"))
        elif tag == "textarea" and name:
            self._add(name, "Un texte\nsur deux lignes.")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and attrs.get("value"):
            self._add(self._select, attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _forms_by_target(html, page_url):
    """The fields of the page's POST forms, by the URL name each form submits to."""
    parser = _Forms()
    parser.feed(html)
    by_target = {}
    for form in parser.forms:
        if form is None:
            continue
        action, form_fields = form
        try:
            match = resolve((action or page_url).split("?", 1)[0])
        except Resolver404:
            continue
        _merge(by_target.setdefault(match.view_name, {}), form_fields)
    return by_target


def _merge(known, fields):
    for key, values in fields.items():
        known.setdefault(key, []).extend(v for v in values if v not in known.get(key, []))


_TABLE_COUNTS = """
    SELECT relname, n_tup_ins + n_tup_upd + n_tup_del, seq_scan + coalesce(idx_scan, 0)
    FROM pg_stat_xact_user_tables
"""


def _table_counts():
    """Rows written and scans made per table, so far in this transaction (PostgreSQL keeps the counts)."""
    with connection.cursor() as cursor:
        cursor.execute(_TABLE_COUNTS)
        return {name: (written, scans) for name, written, scans in cursor.fetchall()}


def _changed(before, after, index):
    """The tables whose count `index` (0: rows written, 1: scans) moved between the two readings."""
    return {name for name, counts in after.items() if counts[index] != before.get(name, (0, 0))[index]}


class _Survey:
    """Every page of the access table that a role may read, read once per world as that role: the forms each
    page holds (a POST-only form is found on the page that shows it) and the tables each page reads."""

    def __init__(self, world, role, client):
        self.fields = {}  # URL name a form submits to -> {field name: [values a browser could send]}
        self.tables = {}  # page URL -> the tables PostgreSQL scanned to build it
        self.names = {}  # page URL -> its URL name
        pages = [
            (name, url_for(name, world))
            for name, access in sorted(TABLE.items())
            if access.get and access.probe and role in access.who
        ]
        for name, url in pages:
            self._read(name, url, client, redirects=1)
        # The pages that show a form only in another state of the world, read in that state (rolled back).
        for state_name in {state: name for name, state in STATES.items()}.values():
            with transaction.atomic():
                # Whoever may read the page in that state (the access table speaks of its usual objects).
                for name, url in form_states.apply(state_name, world).pages:
                    self._read(name, url, client, redirects=1, known=False)
                transaction.set_rollback(True)
        # The tables most pages read (the person, the notifications counted in the header, the access rules'
        # rows): a post that writes one of them is read back on its own app's pages only.
        counts = Counter(table for tables in self.tables.values() for table in tables)
        self.ambient = {table for table, count in counts.items() if count * 2 >= len(self.tables)}

    def _read(self, name, url, client, redirects, known=True):
        """Read the page for its forms; `known`: its tables too, the pages read back after a post."""
        if known and url in self.tables:
            return
        with transaction.atomic():
            before = _table_counts()
            response = client.get(url)
            tables = _changed(before, _table_counts(), 1)
            transaction.set_rollback(True)
        location = response.get("Location", "")
        if response.status_code in (301, 302) and redirects and location.startswith("/"):
            # A page that sends the reader elsewhere in this state (nothing to migrate, already signed…): the
            # page it leads to is the one a person reads.
            try:
                target = resolve(location.split("?", 1)[0]).view_name
            except Resolver404:
                return
            self._read(target, location, client, redirects - 1, known)
            return
        if response.status_code != 200:
            return
        if known:
            self.tables[url] = tables
            self.names[url] = name
        if "text/html" in response.get("Content-Type", ""):
            for target, fields in _forms_by_target(response.content.decode(), url).items():
                _merge(self.fields.setdefault(target, {}), fields)


# Kept across tests while the shared world stays the same (the forms' values name its objects).
_SURVEYS = {}


def _survey(world, role, client_for):
    key = (getattr(world, "_generation", id(world)), role)
    if key not in _SURVEYS:
        _SURVEYS[key] = _Survey(world, role, client_for(role))
    return _SURVEYS[key]


def _fields(name, role, world, client_for):
    """The fields of the form `name` as the role reads it, or as another allowed role does when the world
    shows it only to them (the élu may delete their account, the agent who alone manages the territory
    may not): the post then tries that form's validation, and the role's refusal."""
    fields = _survey(world, role, client_for).fields.get(name)
    if fields:
        return fields
    for other in ROLES:
        if other in TABLE[name].who and (fields := _survey(world, other, client_for).fields.get(name)):
            return fields
    return {}


# -- The generated input ------------------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "\x00",
    "abc\x00def",
    "\x01\x02\x1b[31m\x7f",
    "\r\n\r\n",
    "\u202eevil\u202c",  # right-to-left override
    "مرحبا بالعالم",  # Arabic (RTL)
    "שלום עולם",  # Hebrew (RTL)
    "👩🏽‍🌾🏳️‍🌈🇫🇷",  # emoji, ZWJ sequences, flags
    "e\u0301\u0301\u0301\u0301z\u0336\u0336",  # combining characters
    "\ufeff\u200b\u2028\u2029",  # BOM, zero-width space, line and paragraph separators
    "<script>alert(1)</script>",
    "'; DROP TABLE alliance_organisation; --",
    "{{ 7*7 }}{% debug %}",
    "../../etc/passwd",
    "javascript:alert(1)",
    "http://",
    "@",
    "0",
    "-1",
    "99999999999999999999999999999",
    "1e309",
    "NaN",
    "true",
    "on",
]

short_text = st.text(max_size=60)  # any code point but surrogates: controls, NUL, RTL, emoji…
huge_text = st.builds(
    lambda chunk, length: (chunk * (length // len(chunk) + 1))[:length],
    st.one_of(st.sampled_from(NASTY[2:]), st.text(min_size=1, max_size=8)),
    st.integers(min_value=1000, max_value=20_000),
)
numbers = st.one_of(st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.booleans()).map(str)
scalar = st.one_of(st.sampled_from(NASTY), short_text, numbers, huge_text)


class _Upload(io.BytesIO):
    """A file to upload under any name at all (Django's own upload classes refuse odd names)."""

    def __init__(self, name, content):
        super().__init__(content)
        self.name = name

    def __repr__(self):
        return f"_Upload({self.name!r}, {self.getvalue()[:20]!r}…)"


files = st.builds(
    _Upload,
    st.one_of(st.sampled_from(["logo.png", "logo.jpg", "logo.svg", "logo", ".png", "a.PNG.exe"]), short_text),
    st.one_of(
        st.binary(max_size=200),
        st.sampled_from([png_bytes(), png_bytes()[:40], b"<svg onload='alert(1)'/>", b"GIF89a"]),
    ),
)
value = st.one_of(scalar, st.lists(scalar, min_size=0, max_size=3), files)


def random_payloads(field_names):
    """Anything at all: real field names and random keys, with any values."""
    keys = st.one_of(st.sampled_from(field_names), short_text) if field_names else short_text
    return st.dictionaries(keys, value, max_size=12)


@st.composite
def spoiled_payloads(draw, fields):
    """A form as a browser would fill it, then fields removed, spoiled, and unknown ones added."""
    payload = {}
    for key, candidates in sorted(fields.items()):
        plain = [c for c in candidates if c is not None]
        payload[key] = draw(st.sampled_from(plain)) if plain else draw(files)
    keys = sorted(payload)
    for key in draw(st.lists(st.sampled_from(keys), unique=True)) if keys else []:
        del payload[key]  # missing fields
    for key in draw(st.lists(st.sampled_from(keys), unique=True, max_size=3)) if keys else []:
        payload[key] = draw(value)  # wrong types, huge, unicode, control characters…
    payload.update(draw(st.dictionaries(short_text, value, max_size=2)))  # unknown fields
    return payload


def payloads(fields):
    if not fields:
        return random_payloads([])
    return st.one_of(random_payloads(sorted(fields)), spoiled_payloads(fields))


# -- Reading back what was stored ----------------------------------------------------------------------

# Bookkeeping every request may write; a post that writes nothing else stored nothing to show back.
BOOKKEEPING = frozenset({"accounts_session"})


def _documents_html(world):
    """The HTML of the world's PDF documents: each note's draft and each project's dossier."""
    from documents.rendering import dossier_html, dossier_notes, note_html
    from projects.services import snapshot_content

    for project in (world.project, world.draft_project):
        project.refresh_from_db()
        for deliverable in project.deliverables.all():
            note_html(deliverable=deliverable, content=snapshot_content(deliverable), is_draft=True)
        dossier_html(project=project, notes=dossier_notes(project))


def _read_back(response, written, role, world, client, survey, payload):
    """As the role that posted: the page the post led to, every page it may read that reads a table the post
    wrote, and the HTML of the world's PDF documents when a project's rows changed."""
    location = response.get("Location") or response.get("HX-Redirect")
    urls = {location} if location and not urlsplit(location).netloc else set()
    specific = written - survey.ambient
    apps = {table.split("_", 1)[0] + ":" for table in written & survey.ambient}
    urls |= {
        url
        for url, tables in survey.tables.items()
        if tables & specific or survey.names[url].startswith(tuple(apps))
    }
    failures = []
    if os.environ.get("FUZZ_STATS"):
        with open(os.environ["FUZZ_STATS"], "a") as stats:
            stats.write(f"{role} {len(urls)} {sorted(written)}\n")
    for url in sorted(urls):
        page = client.get(url)
        if page.status_code >= 500:
            failures.append(f"{url}: {page.status_code}")
    if any(table.startswith(("projects_", "methods_")) for table in written):
        _documents_html(world)
    assert not failures, f"{role} stored {payload!r}, then: {failures}"


# -- What a post stored -----------------------------------------------------------------------------------

_NEXT_XID = "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint % 4294967296"
_TODAY_STAMP = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?")


def _next_xid():
    """The transaction id PostgreSQL hands out next: every row the post writes (in this transaction's
    subtransactions) carries one at least as large in its `xmin`."""
    with connection.cursor() as cursor:
        cursor.execute(_NEXT_XID)
        return cursor.fetchone()[0]


def _stored(written, since):
    """What the post stored, as a value that is equal for two posts that stored the same things: the rows it
    wrote (found by their `xmin`), without what differs from one post to the next whatever was posted — the
    ids the sequences hand out, the clock's timestamps. None when a table is not a model's (no comparison)."""
    models = {model._meta.db_table: model for model in apps.get_models(include_auto_created=True)}
    if not written <= models.keys():
        return None
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(written):
            meta = models[table]._meta
            columns = [field.column for field in meta.concrete_fields if field.column != meta.pk.column]
            selected = ", ".join(f'"{column}"' for column in [meta.pk.column, *columns])
            cursor.execute(f'SELECT {selected} FROM "{table}" WHERE xmin::text::bigint >= %s', [since])
            rows[table] = [(row[0], dict(zip(columns, row[1:], strict=True))) for row in cursor.fetchall()]
    # A password is stored hashed with a random salt, and never shown: any new one is as good as another.
    user_table = get_user_model()._meta.db_table
    for _pk, values in rows.get(user_table, []):
        values["password"] = "a password"
    new_ids = {str(pk) for table_rows in rows.values() for pk, _values in table_rows}
    now = timezone.now()
    today = now.date().isoformat()

    def plain(value):
        if isinstance(value, datetime.datetime) and abs(value - now) < datetime.timedelta(days=1):
            return "now"
        if isinstance(value, int | str) and not isinstance(value, bool) and str(value) in new_ids:
            return "new id"
        if isinstance(value, str | dict | list):
            text = value if isinstance(value, str) else repr(value)
            return _TODAY_STAMP.sub(lambda m: "now" if m.group().startswith(today) else m.group(), text)
        return value

    return tuple(
        (table, tuple(sorted(repr({c: plain(v) for c, v in values.items()}) for _pk, values in table_rows)))
        for table, table_rows in sorted(rows.items())
    )


# The stored values already read back, per (world, form, role): a post that stored the same as an earlier
# example of the same test (resuming a project whatever the reason given, the same choice in a select) would
# read back the same pages in the same state. Only new stored values are read back.
_READ_BACK = {}


# -- The tests -----------------------------------------------------------------------------------------


def _post_one(name, role, data, world, client_for):
    access = TABLE[name]
    # Field names are read as an allowed role: the form is not shown to the others.
    reader = role if role in access.who else _full_budget_role(access.who)
    fields = _fields(name, reader, world, client_for)
    payload = {} if data is None else data.draw(payloads(fields), label="payload")
    # allauth's rate limits count in the cache: without clearing it, examples after the first few would
    # only meet the 429 page and the forms behind it would go untested.
    cache.clear()
    # Each example in a savepoint rolled back afterwards, so one example's changes don't leak into the next.
    with transaction.atomic():
        # The state in which the form is shown, so that its validation is tried and not only its refusal.
        target = form_states.apply(name, world).target if name in STATES else None
        url = reverse(name, kwargs=target) if target else url_for(name, world)
        client = client_for(role)
        before, since = _table_counts(), _next_xid()
        response = client.post(url, payload)
        assert response.status_code < 500, f"{name} as {role}: {response.status_code} for {payload!r}"
        written = _changed(before, _table_counts(), 0) - BOOKKEEPING
        if written and role in access.who:
            stored = _stored(written, since)
            location = response.get("Location") or response.get("HX-Redirect")
            seen = _READ_BACK.setdefault((getattr(world, "_generation", id(world)), name, role), set())
            if stored is None or (stored, location) not in seen:
                _read_back(response, written, role, world, client, _survey(world, role, client_for), payload)
                if stored is not None:
                    seen.add((stored, location))
            elif os.environ.get("FUZZ_STATS"):
                with open(os.environ["FUZZ_STATS"], "a") as stats:
                    stats.write(f"{role} same as before {sorted(written)}\n")
        transaction.set_rollback(True)


_HYPOTHESIS = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize(("name", "role"), FULL_CASES)
@hypothesis_settings(max_examples=FULL_BUDGET, **_HYPOTHESIS)
@given(data=st.data())
@example(data=None)  # the empty form first
def test_generated_input_never_causes_a_server_error(name, role, data, world, client_for):
    _post_one(name, role, data, world, client_for)


@pytest.mark.parametrize(("name", "role"), OTHER_CASES)
@hypothesis_settings(max_examples=SMALL_BUDGET, **_HYPOTHESIS)
@given(data=st.data())
@example(data=None)
def test_generated_input_as_the_other_roles_never_causes_a_server_error(name, role, data, world, client_for):
    _post_one(name, role, data, world, client_for)


def test_the_fuzz_walks_every_form_the_access_table_declares():
    declared = {name for name, access in TABLE.items() if access.form}
    walked = {name for name, _role, _full in CASES}
    assert walked == declared
    assert {"alliance:apply", "alliance:organisation_edit", "alliance:membership_decide"} <= walked
    for name in declared:
        roles = {role for case_name, role, _full in CASES if case_name == name}
        assert TABLE[name].who <= roles  # every allowed role, plus one that is not when there is one
        assert sum(1 for case_name, _role, full in CASES if case_name == name and full) == 1


def test_the_fuzz_finds_the_fields_of_every_form_it_posts_to(world, client_for):
    """A form whose fields are never found is only ever posted random keys: its validation goes untested."""
    unfound = [
        (name, role) for name, role, full in CASES if full and not _fields(name, role, world, client_for)
    ]
    assert unfound == []


def test_the_read_back_fails_on_a_stored_value_that_breaks_a_page(world, client_for, monkeypatch):
    """As when a step ending in year 9999 broke the Gantt of the note de faisabilité for every reader."""
    from django.http import HttpResponseRedirect

    from projects import charts
    from projects.models import Step

    drawn = charts.steps_svg

    def breaks_on_poison(steps, **kwargs):
        if "poison" in repr(list(steps)):
            raise OverflowError("date value out of range")
        return drawn(steps, **kwargs)

    monkeypatch.setattr(charts, "steps_svg", breaks_on_poison)
    Step.objects.filter(pk=world.step.pk).update(title="poison")
    survey = _survey(world, "agent", client_for)
    with pytest.raises(OverflowError):
        _read_back(
            HttpResponseRedirect("/"), {"projects_step"}, "agent", world, client_for("agent"), survey, {}
        )

"""Generated input posted to every form of the platform, as each role: never a server error.

The forms are those the access table declares (`Access(form=True)`); a form added later joins this test
as soon as its URL is declared with `form=True`. Each form is posted to as every role allowed to use it
and as one role that is not.
"""

import io
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import Resolver404, get_resolver, resolve, reverse
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.access import ROLES, SIGNED_IN, TABLE

from .factories import PASSWORD, png_bytes

# Importing the URL configuration fills the access table.
get_resolver().url_patterns  # noqa: B018


def _denied_role(who):
    """A role the form turns away: a signed-in one when there is one (more code runs), else anonymous."""
    for role in ROLES:
        if role in SIGNED_IN and role not in who:
            return role
    return None if "anonymous" in who else "anonymous"


def _cases():
    for name, access in sorted(TABLE.items()):
        if not access.form:
            continue
        for role in ROLES:
            if role in access.who:
                yield pytest.param(name, role, id=f"{name}-{role}")
        denied = _denied_role(access.who)
        if denied is not None:
            yield pytest.param(name, denied, id=f"{name}-{denied}-denied")


CASES = list(_cases())


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


def _forms_for(html, page_url, target_name):
    """The fields of the page's POST forms that submit to the URL name `target_name`."""
    parser = _Forms()
    parser.feed(html)
    fields = {}
    for form in parser.forms:
        if form is None:
            continue
        action, form_fields = form
        try:
            match = resolve((action or page_url).split("?", 1)[0])
        except Resolver404:
            continue
        if match.view_name == target_name:
            for key, values in form_fields.items():
                fields.setdefault(key, []).extend(v for v in values if v not in fields.get(key, []))
    return fields


def _real_fields(name, world, make_client):
    """The real fields of the form at `name`: read on its own page, or on the page that holds it."""
    known = world.__dict__.setdefault("_fuzz_fields", {})
    if name in known:
        return known[name]
    access = TABLE[name]
    fields = {}
    pages = [name] if access.get else []
    # A POST-only view's form lives on another page: look first at the pages built from the same object.
    pages += sorted(
        (other for other, rule in TABLE.items() if rule.get and rule.probe and other != name),
        key=lambda other: TABLE[other].kwargs is not access.kwargs,
    )
    client = make_client()
    for page in pages:
        rule = TABLE[page]
        url = reverse(page, kwargs=rule.kwargs(world) if rule.kwargs else None)
        with transaction.atomic():
            response = client.get(url)
            transaction.set_rollback(True)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            fields = _forms_for(response.content.decode(), url, name)
        if fields:
            break
    known[name] = fields
    return fields


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


@pytest.mark.parametrize(("name", "role"), CASES)
@hypothesis_settings(
    # Ten generated payloads per form and role (with the empty form first): every form of the table is
    # fuzzed as each role it serves, within the suite's time budget.
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
@example(data=None)  # the empty form first
def test_generated_input_never_causes_a_server_error(name, role, data, world, client_for):
    access = TABLE[name]
    url = reverse(name, kwargs=access.kwargs(world) if access.kwargs else None)
    # Field names are read as an allowed role: the form is not shown to the others.
    reader = role if role in access.who else sorted(access.who)[0]
    fields = _real_fields(name, world, lambda: client_for(reader))
    payload = {} if data is None else data.draw(payloads(fields), label="payload")
    # allauth's rate limits count in the cache: without clearing it, examples after the first few would
    # only meet the 429 page and the forms behind it would go untested.
    cache.clear()
    # Each example in a savepoint rolled back afterwards, so one example's changes don't leak into the next.
    with transaction.atomic():
        client = client_for(role)
        response = client.post(url, payload)
        transaction.set_rollback(True)
    assert response.status_code < 500, f"{name} as {role}: {response.status_code} for {payload!r}"


def test_the_fuzz_walks_every_form_the_access_table_declares():
    declared = {name for name, access in TABLE.items() if access.form}
    walked = {case.values[0] for case in CASES}
    assert walked == declared
    assert {"alliance:apply", "alliance:organisation_edit", "alliance:membership_decide"} <= walked
    for name in declared:
        roles = {case.values[1] for case in CASES if case.values[0] == name}
        assert TABLE[name].who <= roles  # every allowed role, plus one that is not when there is one

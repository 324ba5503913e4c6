"""The English translation: French by default, English once chosen, and a complete, compiled catalogue.

After `make messages` (makemessages + compilemessages), every msgid of locale/en/LC_MESSAGES/django.po
must have an English msgstr and no `fuzzy` flag, and the committed django.mo must hold exactly the
translations of the .po. The catalogue tests name the msgids at fault.
"""

import ast
import gettext
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from .factories import CharterFactory

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "django.po"
MO_FILE = LC_MESSAGES / "django.mo"
FIX = "Translate them in locale/en/LC_MESSAGES/django.po, then run `make messages`."


def parse_po(path: Path) -> list[dict]:
    """The entries of a .po file (the header included, obsolete `#~` entries left out).

    Each entry: msgid, optional msgctxt and msgid_plural, msgstr as {index: text}, flags as a set.
    """
    entries = []
    entry, field = None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line:
            if entry is not None and "msgid" in entry:
                entries.append(entry)
            entry, field = None, None
            continue
        if entry is None:
            entry = {"msgstr": {}, "flags": set()}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if isinstance(field, int):
                entry["msgstr"][field] += text
            else:
                entry[field] += text
        else:
            match = re.fullmatch(r'(msgctxt|msgid|msgid_plural|msgstr)(?:\[(\d+)\])? (".*")', line)
            assert match, f"{path}: unexpected line {line!r}"
            keyword, index, text = match.group(1), match.group(2), ast.literal_eval(match.group(3))
            if keyword == "msgstr":
                field = int(index or 0)
                entry["msgstr"][field] = text
            else:
                field = keyword
                entry[keyword] = text
    return entries


def messages() -> list[dict]:
    return [entry for entry in parse_po(PO_FILE) if entry["msgid"]]


def label(entry) -> str:
    return repr(entry["msgid"]) + (f" (context {entry['msgctxt']!r})" if "msgctxt" in entry else "")


# --- The language of the pages ---------------------------------------------------------------------


@pytest.mark.django_db
def test_home_page_is_french_by_default(client):
    response = client.get(reverse("pages:home"), secure=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Les 4 fondamentaux de la conduite de changement systémique" in html


@pytest.mark.django_db
def test_choosing_english_translates_the_home_and_charter_pages(client):
    CharterFactory()
    charter_url = reverse("alliance:charter")

    response = client.post(reverse("set_language"), {"language": "en", "next": charter_url}, secure=True)

    assert response.status_code == 302
    assert response["Location"] == charter_url

    home = client.get(reverse("pages:home"), secure=True).content.decode()
    assert '<html lang="en">' in home
    assert "The 4 fundamentals of leading systemic change" in home
    assert "Les 4 fondamentaux" not in home
    assert "Skip to content" in home  # base.html

    charter = client.get(charter_url, secure=True).content.decode()
    assert '<html lang="en">' in charter
    assert "The alliance charter" in charter
    assert "Sign the charter and join" in charter
    assert "Signer la charte" not in charter


@pytest.mark.django_db
def test_choosing_french_again_brings_the_french_pages_back(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"}, secure=True)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"}, secure=True)

    html = client.get(reverse("pages:home"), secure=True).content.decode()

    assert '<html lang="fr">' in html
    assert "Les 4 fondamentaux de la conduite de changement systémique" in html


# --- The catalogue ----------------------------------------------------------------------------------


def test_the_po_file_declares_english_and_its_plural_forms():
    header = parse_po(PO_FILE)[0]
    assert header["msgid"] == ""
    assert "fuzzy" not in header["flags"], "django.po: remove the `#, fuzzy` flag of the header"
    assert "Language: en\n" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"][0]


def test_every_msgid_has_an_english_translation():
    untranslated = [
        label(entry)
        for entry in messages()
        if not entry["msgstr"] or any(not text.strip() for text in entry["msgstr"].values())
    ]
    assert not untranslated, f"{len(untranslated)} msgid(s) without a translation: {FIX}\n  " + "\n  ".join(
        untranslated
    )


def test_no_translation_is_fuzzy():
    fuzzy = [label(entry) for entry in messages() if "fuzzy" in entry["flags"]]
    assert not fuzzy, (
        f"{len(fuzzy)} fuzzy translation(s): check each one, fix it and remove its `#, fuzzy` flag. {FIX}\n  "
        + "\n  ".join(fuzzy)
    )


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{.*?\}\}")


def test_translations_keep_the_placeholders():
    wrong = []
    for entry in messages():
        for index, text in entry["msgstr"].items():
            plural = "msgid_plural" in entry
            source = entry["msgid_plural"] if plural and index > 0 else entry["msgid"]
            expected, found = sorted(PLACEHOLDER.findall(source)), sorted(PLACEHOLDER.findall(text))
            # An English singular may spell out "1" where the French one does: only new names are wrong.
            if found != expected and not (plural and index == 0 and set(found) <= set(expected)):
                wrong.append(f"{label(entry)} -> {text!r}")
    assert not wrong, "Placeholders changed by the translation:\n  " + "\n  ".join(wrong)


def test_the_compiled_mo_file_matches_the_po_file():
    """django.mo is committed: it must hold exactly the (non-fuzzy) translations of django.po."""
    expected = {}
    for entry in messages():
        if "fuzzy" in entry["flags"] or not all(entry["msgstr"].values()):
            continue  # msgfmt leaves these out; the tests above report them.
        msgid = entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if "msgid_plural" in entry:
            expected.update({(msgid, index): text for index, text in entry["msgstr"].items()})
        else:
            expected[msgid] = entry["msgstr"][0]

    assert MO_FILE.exists(), f"{MO_FILE} is missing: run `make messages`"
    with MO_FILE.open("rb") as mo:
        compiled = dict(gettext.GNUTranslations(mo)._catalog)
    compiled.pop("", None)  # the header (its POT-Creation-Date changes at every makemessages)

    stale = sorted(repr(key) for key in expected.keys() - compiled.keys())
    stale += sorted(repr(key) for key in expected.keys() & compiled.keys() if expected[key] != compiled[key])
    extra = sorted(repr(key) for key in compiled.keys() - expected.keys())
    assert not (stale or extra), (
        "django.mo is out of date with django.po: run `make messages` (or `manage.py compilemessages -l en`)."
        + ("\n  missing or different in the .mo:\n    " + "\n    ".join(stale) if stale else "")
        + ("\n  no longer in the .po:\n    " + "\n    ".join(extra) if extra else "")
    )


# --- What makemessages can read ---------------------------------------------------------------------

GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}
MAYBE_IN_BRACES = re.compile(r"\{[^{}]*\b(?:_|n?gettext|pgettext)(?:_lazy)?\(")


def _project_sources():
    root = Path(settings.BASE_DIR)
    skipped = {".venv", "node_modules", "tests", "bench", "staticfiles", "media", ".git", "__pycache__"}
    for folder, folders, files in os.walk(root):
        folders[:] = [name for name in folders if name not in skipped and not name.startswith(".")]
        for name in files:
            if name.endswith(".py"):
                yield root, Path(folder) / name


def test_no_text_is_marked_for_translation_inside_an_f_string():
    """xgettext reads no f-string: `f"{_('Échelle')}"` never reaches the catalogue, and English readers
    read French. The text goes in a variable first."""
    hidden = []
    for root, path in _project_sources():
        source = path.read_text(encoding="utf-8")
        if not MAYBE_IN_BRACES.search(source):
            continue  # no call of a gettext function after a brace: nothing to parse (keeps the test fast)
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr):
                continue
            for call in ast.walk(node):
                name = getattr(getattr(call, "func", None), "id", None)
                if isinstance(call, ast.Call) and name in GETTEXT_NAMES:
                    hidden.append(f"{path.relative_to(root)}:{call.lineno}")
    assert not hidden, "Translations inside f-strings, invisible to makemessages:\n  " + "\n  ".join(hidden)

"""A person whose language is English walks the main pages and reads no French sentence of the platform.

What counts as French: any sentence of the French catalogue (a msgid of locale/en/LC_MESSAGES/django.po
whose English differs), or its longer fragments around placeholders, found in what the page shows (its text
and the attributes a reader meets: alt, title, aria-label, placeholder, value of buttons); a French date
(« 5 décembre 2026 », « … à 14:05 »). What people wrote (the world's French titles and texts) is no
catalogue sentence, so it is not mistaken for the interface."""

import html
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse

from core.access import TABLE

from .test_i18n import PO_FILE, parse_po
from .url_kwargs import url_for

pytestmark = pytest.mark.django_db

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}|\{\w*\}")
SHORTEST = 14  # shorter fragments ("Thèmes", "Ajouter") are words that English keeps or names share
FRENCH_MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
FRENCH_DATE = re.compile(
    rf"\b(1er|\d{{1,2}}) ({FRENCH_MONTHS.replace(' ', '|')}) \d{{4}}\b|\d{{4}} à \d{{1,2}}:\d{{2}}"
)
# « Sujet : personne ; … »: French puts a space before these, English does not.
FRENCH_SPACING = re.compile(r"[\w)] [:;](?= )")
SHOWN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder", "aria-description")
# A word with a French accent: shorter French words (« Échelle ») escape the catalogue's sentences; an English
# page shows one only when English says it too (« Département », « Français », the regions' names).
ACCENTED = re.compile(r"[\w'’-]*[éèêëàâçùûôîïœÉÈÊÀÂÇÔÎ][\w'’-]*")


def _french_sentences() -> list[str]:
    """The French texts of the catalogue that English says otherwise, cut at their placeholders."""
    found = set()
    for entry in parse_po(PO_FILE):
        if not entry["msgid"] or "fuzzy" in entry["flags"]:
            continue
        sources = [entry["msgid"], entry.get("msgid_plural", "")]
        translations = set(entry["msgstr"].values())
        for source in filter(None, sources):
            if source in translations:
                continue  # the same in both languages (a name, an acronym)
            for piece in PLACEHOLDER.split(source):
                # Each sentence of a longer text too: a page may show one of them alone.
                for fragment in re.split(r"(?<=[.?!:])\s+|\n+", piece):
                    fragment = " ".join(fragment.split()).strip(" ,.:;«»()")
                    if len(fragment) >= SHORTEST and " " in fragment:
                        found.add(fragment)
    return sorted(found, key=len, reverse=True)


FRENCH = _french_sentences()


def _english_words() -> set[str]:
    """The accented words English says too, as the English catalogue writes them."""
    words = set()
    for entry in parse_po(PO_FILE):
        for text in entry["msgstr"].values():
            words.update(ACCENTED.findall(text))
    return words


ENGLISH_ACCENTED = _english_words()


class _Shown(HTMLParser):
    """The text a reader meets on a page: text nodes outside scripts and styles, and shown attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        for name, value in attrs:
            if value and (name in SHOWN_ATTRIBUTES or (name == "value" and tag == "button")):
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data)


def shown_text(page: str) -> str:
    parser = _Shown()
    parser.feed(page)
    return " ".join(" ".join(html.unescape(part).split()) for part in parser.parts)


# The platform's own texts stored in the database: they are the interface, not what people wrote.
PLATFORM_TEXTS = {
    "core.Theme",
    "cooperation.GroupKind",
    "methods.ValueDimension",
    "projects.QuestionSet",
    "projects.Question",
    "notifications.Notification",
    "core.AuditEntry",
    "outbox.OutgoingEmail",
}


MARKDOWN = re.compile(r"\*\*|__|`")


def people_wrote() -> list[str]:
    """Every line of text people typed that the database holds (titles, names, bodies of the world), the
    longest first: taken out of a page before looking for the interface's French."""
    local = {
        config.label for config in apps.get_app_configs() if not config.name.startswith(("django", "allauth"))
    }
    lines = set()
    for model in apps.get_models():
        if model._meta.app_label not in local or model._meta.label in PLATFORM_TEXTS:
            continue
        # Texts, and lists of texts kept as JSON (a charter's commitments).
        kinds = (models.CharField, models.TextField, models.JSONField)
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, kinds)]
        fields = [name for name in fields if not model._meta.get_field(name).choices]
        for row in model._default_manager.values_list(*fields) if fields else ():
            texts = [item for value in row for item in (value if isinstance(value, list) else [value])]
            for value in texts:
                if not isinstance(value, str):
                    continue
                for line in value.splitlines():
                    line = " ".join(line.split())
                    if len(line) >= 3:
                        lines.add(line)
                        lines.add(MARKDOWN.sub("", line))  # a récit's text is shown without its markup
    # A notification stored before its sentence was registered (or of no registered sentence) is shown as
    # stored: there is nothing to translate it with.
    Notification = apps.get_model("notifications", "Notification")
    lines.update(Notification.objects.filter(message="").values_list("title", flat=True))
    return sorted(lines, key=len, reverse=True)


def french_in(page: str, written=()) -> list[str]:
    text = shown_text(page)
    for line in written:
        text = text.replace(line, " ¶ ")
    found = [sentence for sentence in FRENCH if sentence in text]
    found += [match.group(0) for match in FRENCH_DATE.finditer(text)]
    found += sorted({word for word in ACCENTED.findall(text) if word not in ENGLISH_ACCENTED} - set(found))
    found += list(dict.fromkeys(match.group(0) for match in FRENCH_SPACING.finditer(text)))
    return [f"{sentence!r} in «…{_around(text, sentence)}…»" for sentence in found]


def _around(text, sentence, width=50):
    at = text.find(sentence)
    return text[max(at - width, 0) : at + len(sentence) + width]


def test_the_check_finds_the_french_interface_and_leaves_people_s_words_alone():
    assert len(FRENCH) > 1000
    french = "<main><h1>My space</h1><p>Vous n'avez encore reçu aucune notification.</p></main>"
    assert french_in(french)
    assert french_in("<p>Enregistré le 5 décembre 2026 à 14:05</p>")[0].startswith("'5 décembre 2026'")
    assert french_in("<p>Saved on 5 December 2026 à 14:05</p>")[0].startswith("'2026 à 14:05'")
    assert french_in('<button aria-label="Tout marquer comme lu">x</button>')
    assert not french_in("<p>Saved on 5 December 2026 at 14:05</p>")
    assert french_in("<text>Échelle : −2 very negative</text>")[0].startswith("'Échelle'")
    assert not french_in("<p>Language: Français English</p>")
    assert french_in("<p>Subject : none ; nobody.</p>") == [
        "'t :' in «…Subject : none ; nobody.…»",
        "'e ;' in «…Subject : none ; nobody.…»",
    ]
    assert not french_in("<script>const text = 'Tout marquer comme lu';</script>")
    # What people wrote is theirs, even when it reads like the interface.
    assert not french_in("<p>Tout marquer comme lu</p>", written=["Tout marquer comme lu"])


def _pages(world):
    return {
        "Mon espace": reverse("dashboards:my_space"),
        "notifications": reverse("notifications:list"),
        "project": world.project.get_absolute_url(),
        "deliverable (being written)": world.draft.get_absolute_url(),
        "deliverable (submitted)": world.cadrage.get_absolute_url(),
        "library": reverse("library:list"),
        "resource": reverse("library:detail", args=[world.resource.pk]),
        "peer groups": reverse("cooperation:groups"),
        "peer group": reverse("cooperation:group_detail", args=[world.agents_group.pk]),
        "trainings": reverse("trainings:index", args=[world.territory.pk]),
        "training cycle": reverse("trainings:cycle_detail", args=[world.training_cycle.pk]),
        "value created": reverse("methods:evaluation_detail", args=[world.evaluation.pk]),
        "profile": reverse("accounts:profile"),
    }


def assert_no_french_for_an_english_reader(person, pages, **headers):
    """Sign `person` in with English chosen on their account, read each of `pages` ({name: url}) and fail
    with every French sentence found outside what people wrote, page by page."""
    person.language = "en"  # chosen on their account: no cookie needed
    person.save(update_fields=["language"])
    client = Client()
    client.force_login(person)
    written = people_wrote()
    found = {}
    for name, url in pages.items():
        response = client.get(url, **headers)
        assert response.status_code == 200, f"{name}: {url} answered {response.status_code}"
        page = response.content.decode()
        if "text/html" in response.get("Content-Type", ""):
            assert '<html lang="en">' in page, name
        french = french_in(page, written)
        if french:
            found[f"{name} ({url})"] = french
    assert not found, "French on English pages:\n" + "\n".join(
        f"  {page}:\n    " + "\n    ".join(sentences) for page, sentences in found.items()
    )


def test_an_english_reader_walks_the_main_pages_without_meeting_french(world):
    # A browser asking for French: the account's choice wins.
    assert_no_french_for_an_english_reader(world.users["agent"], _pages(world), HTTP_ACCEPT_LANGUAGE="fr")


def _more_pages(world):
    """The pages around the main ones: the territory, the agenda, the alliance, the method's tools."""
    territory = world.territory.pk
    return {
        "territory": reverse("territories:detail", args=[territory]),
        "territory dashboard": reverse("territories:dashboard", args=[territory]),
        "team": reverse("territories:team", args=[territory]),
        "agenda": reverse("calendars:agenda"),
        "charter": reverse("alliance:charter"),
        "directory": reverse("alliance:directory"),
        "notification preferences": reverse("notifications:preferences"),
        "rating": reverse("methods:evaluation_rate", args=[world.evaluation.pk]),
        "deliberation": reverse("methods:evaluation_deliberate", args=[world.territory_evaluation.pk]),
        "evaluations of the project": reverse("methods:evaluations_project", args=[world.project.pk]),
        "effects": reverse("trainings:effects", args=[territory]),
    }


def _facilitator_pages(world):
    """What the facilitator of the project reads: the notes waiting for them, a submitted note's review."""
    cadrage = world.cadrage
    return {
        "review queue": reverse("projects:review_queue"),
        "review": reverse("projects:review", args=[cadrage.project_id, cadrage.kind]),
        "versions": reverse("projects:versions", args=[cadrage.project_id, cadrage.kind]),
        "Mon espace (facilitator)": reverse("dashboards:my_space"),
    }


def _admin_pages(world):
    """What the alliance's admins read: the applications, the charter, the question sets, the audit journal
    (its objects named in the reader's language: « Intention note — … », not « Note d'intention — … »)."""
    return {
        "applications": reverse("alliance:review_queue"),
        "charter (admin)": reverse("alliance:charter_manage"),
        "question sets": reverse("projects:question_sets"),
        "audit journal": reverse("alliance:audit_log"),
    }


@pytest.mark.parametrize(
    ("role", "pages"), [("agent", _more_pages), ("facilitator", _facilitator_pages), ("admin", _admin_pages)]
)
def test_an_english_reader_meets_no_french_around_the_main_pages_either(world, role, pages):
    assert_no_french_for_an_english_reader(world.users[role], pages(world))


def _tool_pages(world):
    """Every page of the method's tools and of the territory's synthesis that the project's lead reads: the
    actor map, the actantial schemas, the récits, the value created, their forms and drawings (SVG text is
    read like a page's), the « Bilan du territoire » and the synthesis itself."""
    return {
        name: url_for(name, world)
        for name, access in sorted(TABLE.items())
        if name.split(":")[0] in ("methods", "reports") and access.get and "agent" in access.who
    }


def test_an_english_reader_meets_no_french_in_the_methods_tools_and_the_synthesis(world):
    pages = _tool_pages(world)
    assert {"methods:actor_map", "methods:actantial_schema", "methods:journal_project"} <= pages.keys()
    assert {"methods:evaluation_radar_svg", "reports:synthesis", "reports:synthesis_detail"} <= pages.keys()
    assert_no_french_for_an_english_reader(world.users["agent"], pages)

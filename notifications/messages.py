"""The sentences of notifications, registered by each app in its `AppConfig.ready()` like the kinds.

A notification stores the key of its sentence and the parameters to fill it with (`Notification.message`,
`Notification.params`), not the sentence: the list renders it at display time in the reader's language. A
parameter that is a label of the platform (a kind of deliverable, a decision) is stored as its code and
named with its choices, so it is translated too; a date is stored as its ISO form and written as a long date
of the reader's language; names and titles people typed are stored as they are. The French sentence is also
stored (`Notification.title`, `Notification.excerpt`): the rows of sentences no longer registered use it.

The excerpt under a notification is a message too when the platform writes it (`excerpt_message`,
`excerpt_params`); when it quotes what a person wrote (a post, a comment), it is stored as written.

A sentence that puts a little word before a name writes it through `core.french`: for every parameter `x`,
`%(of_x)s` is « du Pôle », « d'Élise », « de l'Espace… » (English: "of …"), `%(to_x)s` « au Pôle »
(English: "to …") and `%(the_x)s` « le Pôle » (English: the bare name). The article of a name stored as text
is the parameter `x_article` (a `core.french.Article` value); a label of the platform with a `noun` (a
kind of deliverable) brings its own.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation

from core.dates import long_date
from core.french import Noun, of, the_name, to

_FRENCH_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre")
_FRENCH_MONTHS += ("octobre", "novembre", "décembre")
_FRENCH_DATE = re.compile(r"(1er|\d{1,2}) (\w+) (\d{4})")


def _iso_of_french_date(text: str) -> str | None:
    """« 1er mars 2027 » or « 1 mars 2027 » -> "2027-03-01"; None if it is not such a date."""
    match = _FRENCH_DATE.fullmatch(text)
    if match is None or match.group(2) not in _FRENCH_MONTHS:
        return None
    day = 1 if match.group(1) == "1er" else int(match.group(1))
    try:
        return datetime.date(int(match.group(3)), _FRENCH_MONTHS.index(match.group(2)) + 1, day).isoformat()
    except ValueError:
        return None


@dataclass(frozen=True)
class Message:
    key: str
    template: str  # a lazy translation with %(name)s placeholders
    choices: dict = field(default_factory=dict)  # parameter -> the TextChoices its code belongs to
    dates: tuple = ()  # parameters stored as ISO dates

    def render(self, params: dict) -> str:
        values = dict(params)
        nouns = {}
        for name, choices in self.choices.items():
            # A code no longer known is shown as stored.
            if name in values and values[name] in choices.values:
                member = choices(values[name])
                values[name] = member.label
                if isinstance(getattr(member, "noun", None), Noun):
                    nouns[name] = member.noun
        for name in self.dates:
            if name in values:
                values[name] = long_date(datetime.date.fromisoformat(values[name]))
        for name, value in params.items():
            if name.endswith("_article") or not isinstance(value, str):
                continue
            noun = nouns.get(name) or Noun(str(values[name]), params.get(f"{name}_article", ""))
            values.setdefault(f"of_{name}", of(noun))
            values.setdefault(f"to_{name}", to(noun))
            values.setdefault(f"the_{name}", the_name(noun))
        return str(self.template) % values

    def parse(self, text: str) -> dict | None:
        """The parameters of a French sentence of this message, or None if it is not one: how the old rows,
        stored as sentences, were given their parameters."""
        with translation.override(settings.LANGUAGE_CODE):
            french = str(self.template)
            labels = {
                name: {str(label): value for value, label in choices.choices}
                for name, choices in self.choices.items()
            }
        parts = re.split(r"%\((\w+)\)s", french)
        pattern = ""
        for index, part in enumerate(parts):
            pattern += re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)"
        match = re.fullmatch(pattern, text, flags=re.DOTALL)
        if match is None:
            return None
        params = match.groupdict()
        for name in self.dates:
            if name in params:
                params[name] = _iso_of_french_date(params[name])
                if params[name] is None:
                    return None
        for name, by_label in labels.items():
            if name in params:
                if params[name] not in by_label:
                    return None
                params[name] = by_label[params[name]]
        return params


MESSAGES: dict[str, Message] = {}


def register(key: str, template, *, dates: tuple = (), **choices) -> Message:
    """`choices`: parameter -> the TextChoices its stored code belongs to; `dates`: the parameters stored
    as ISO dates (`date.isoformat()`)."""
    if key in MESSAGES:
        raise ValueError(f"Notification message {key!r} is registered twice")
    MESSAGES[key] = Message(key, template, choices, tuple(dates))
    return MESSAGES[key]


def render(key: str, params: dict) -> str | None:
    """The sentence in the active language, or None for a key no longer registered or parameters that do
    not fit it (the stored French sentence is shown then)."""
    message = MESSAGES.get(key)
    if message is None:
        return None
    try:
        return message.render(params or {})
    except (KeyError, TypeError, ValueError):
        return None


def french(key: str, params: dict) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        text = render(key, params)
    if text is None:
        raise ValueError(f"Notification message {key!r} is not registered or its parameters do not fit it")
    return text


def parse(text: str, keys=None) -> tuple[str, dict] | None:
    """The message and parameters of a French sentence, trying every registered message (or those of
    `keys`)."""
    for message in MESSAGES.values() if keys is None else (MESSAGES[key] for key in keys if key in MESSAGES):
        params = message.parse(text)
        if params is not None:
            return message.key, params
    return None

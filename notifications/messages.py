"""The sentences of notifications, registered by each app in its `AppConfig.ready()` like the kinds.

A notification stores the key of its sentence and the parameters to fill it with (`Notification.message`,
`Notification.params`), not the sentence: the list renders it at display time in the reader's language. A
parameter that is a label of the platform (a kind of deliverable, a decision) is stored as its code and
named with its choices, so it is translated too; names and titles people typed are stored as they are.
The French sentence is also stored (`Notification.title`): the e-mails, written in French, and the rows of
sentences no longer registered use it.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation


@dataclass(frozen=True)
class Message:
    key: str
    template: str  # a lazy translation with %(name)s placeholders
    choices: dict = field(default_factory=dict)  # parameter -> the TextChoices its code belongs to

    def render(self, params: dict) -> str:
        values = dict(params)
        for name, choices in self.choices.items():
            # A code no longer known is shown as stored.
            if name in values and values[name] in choices.values:
                values[name] = choices(values[name]).label
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
        for name, by_label in labels.items():
            if name in params:
                if params[name] not in by_label:
                    return None
                params[name] = by_label[params[name]]
        return params


MESSAGES: dict[str, Message] = {}


def register(key: str, template, **choices) -> Message:
    if key in MESSAGES:
        raise ValueError(f"Notification message {key!r} is registered twice")
    MESSAGES[key] = Message(key, template, choices)
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


def parse(text: str) -> tuple[str, dict] | None:
    """The message and parameters of a French sentence, trying every registered message."""
    for message in MESSAGES.values():
        params = message.parse(text)
        if params is not None:
            return message.key, params
    return None

"""What each kind of e-mail says, registered by each app in its `AppConfig.ready()`.

A renderer is called by the worker when the e-mail leaves, with the row, in the row's language; it reads the
current state of its object and returns the Message to send, or None when there is nothing to send any more
(an invitation revoked, a person deactivated): the row is then cancelled.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

# A message rendered when it was queued (allauth's), stored in the row itself.
RENDERED = "rendered"


@dataclass(frozen=True)
class Message:
    to: list[str]
    subject: str
    text: str
    html: str = ""
    reply_to: list[str] = field(default_factory=list)


Renderer = Callable[..., Message | None]

_renderers: dict[str, Renderer] = {}


class UnknownEmailKind(ValueError):
    """An e-mail was queued with a kind no app registered: a programming error, never a user's."""


def register(kind: str, render: Renderer) -> None:
    if kind == RENDERED or _renderers.get(kind, render) is not render:
        raise ValueError(f"E-mail kind {kind!r} is registered twice")
    _renderers[kind] = render


def check(kind: str) -> None:
    if kind != RENDERED and kind not in _renderers:
        raise UnknownEmailKind(
            f"Unknown e-mail kind {kind!r}: register its renderer in your AppConfig.ready() with "
            f"outbox.registry.register({kind!r}, render). Registered kinds: {', '.join(sorted(_renderers))}."
        )


def render(email) -> Message | None:
    if email.kind == RENDERED:
        return Message(to=[email.to], subject=email.subject, text=email.text, html=email.html)
    check(email.kind)
    return _renderers[email.kind](email)

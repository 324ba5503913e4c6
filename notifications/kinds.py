"""The kinds of notification, registered by each app in its `AppConfig.ready()`.

A kind says what happened ("a deliverable was submitted"); each person chooses, per kind, to be told at
once, in a daily digest or not at all (NotificationPreference), the kind's default applying until they do.
"""

from dataclasses import dataclass

FREQUENCIES = ("immediate", "digest", "none")  # the values of models.Frequency, readable before models load


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    default_frequency: str = "immediate"


class UnknownKind(ValueError):
    """`notify` was called with a kind no app registered: a programming error, never a user's."""


# In registration order, which is the order of INSTALLED_APPS: the preferences page lists them so.
KINDS: dict[str, Kind] = {}


def register(key: str, label, default_frequency: str = "immediate") -> None:
    if key in KINDS:
        raise ValueError(f"Notification kind {key!r} is registered twice")
    if default_frequency not in FREQUENCIES:
        raise ValueError(f"Notification kind {key!r}: default frequency must be one of {FREQUENCIES}")
    KINDS[key] = Kind(key, label, default_frequency)


def get(key: str) -> Kind:
    try:
        return KINDS[key]
    except KeyError:
        known = ", ".join(sorted(KINDS)) or "none yet"
        raise UnknownKind(
            f"Unknown notification kind {key!r}: register it in your AppConfig.ready() with "
            f"notifications.kinds.register({key!r}, _('Libellé')). Registered kinds: {known}."
        ) from None


def label_of(key: str) -> str:
    """The French label of a kind; empty for a kind no longer registered (its notifications remain)."""
    kind = KINDS.get(key)
    return kind.label if kind else ""

"""Entries that apps of higher layers add to a page of a lower app, without the lower app importing them.

The lower app owns a `ContextProviders` for its page and merges `providers.context(...)` into the page's
context; each higher app registers, in its AppConfig.ready(), a function that takes the same arguments and
returns the entries it adds (docs/architecture.md: how a lower app tells a higher one).
"""

from collections.abc import Callable


class ContextProviders:
    def __init__(self):
        self._providers: list[Callable[..., dict]] = []

    def register(self, provider: Callable[..., dict]) -> Callable[..., dict]:
        if provider not in self._providers:
            self._providers.append(provider)
        return provider

    def context(self, *args) -> dict:
        added = {}
        for provider in self._providers:
            added.update(provider(*args))
        return added

"""What apps of higher layers add to the territory's dashboard, without `territories` importing them.

Each app registers, in its AppConfig.ready(), a function taking (request, territory, rights) and returning the
template and the context of its section, or None when it has nothing to show to this reader. The dashboard
includes the sections in the order they were registered.

An app whose figures the dashboard's own template shows in place (the projects by stage, the projects that
answer the diagnostic's recommendations, the trainings) registers with `register_context` a function taking
(territory, context), the dashboard's context so far, and returning the entries it adds.
"""

from collections.abc import Callable
from dataclasses import dataclass

from core.extensions import ContextProviders

SECTIONS: list[Callable] = []
# Entries of the dashboard's own context: provider(territory, context) -> dict.
CONTEXTS = ContextProviders()


@dataclass(frozen=True)
class Section:
    template: str
    context: dict


def register(builder: Callable) -> None:
    if builder not in SECTIONS:
        SECTIONS.append(builder)


def sections_for(request, territory, rights) -> list[Section]:
    return [section for builder in SECTIONS if (section := builder(request, territory, rights)) is not None]


def register_context(provider: Callable) -> None:
    CONTEXTS.register(provider)


def context_for(territory, context: dict) -> dict:
    return CONTEXTS.context(territory, context)

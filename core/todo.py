"""The shape of the « À faire » lists that each capability offers to « Mon espace ».

Each capability has a selector `todo_for(user, ...)` returning the `TodoList`s that concern the person (an
empty list included when the person's role makes it relevant: its empty text then says what is done). The
dashboards app composes them; no capability knows about the others or about the page.
"""

from dataclasses import dataclass, field
from datetime import datetime

from .dates import duration

# Items shown in one list; the rest is counted and reached through the list's `more_url`.
TODO_LIMIT = 5


@dataclass
class TodoItem:
    # What to act on, as a sentence fragment: « Note de cadrage — Management par la coopération ».
    label: str
    # Where the action happens.
    url: str
    # Since when it waits, and how to say its age: « à reprendre depuis %(duration)s ».
    since: datetime | None = None
    age: str = ""
    # A short status (« À reprendre ») and its CSS modifier.
    status: str = ""
    status_class: str = ""
    # A quoted message (the reviewer's), with who wrote it.
    message: str = ""
    message_by: str = ""
    # A second line of context.
    detail: str = ""


    @property
    def age_text(self) -> str:
        """« à reprendre depuis 3 jours »."""
        if self.since is None or not self.age:
            return ""
        return self.age % {"duration": duration(self.since)}


@dataclass
class TodoList:
    # A stable key: lists of the same key from several capabilities are shown as one (invitations).
    key: str
    title: str
    # Shown when there is nothing to do: it says what is done (« Rien à relire »).
    empty: str
    items: list[TodoItem] = field(default_factory=list)
    # How many there are in all; more than `items` when the list is cut at TODO_LIMIT.
    count: int = 0
    # The page that shows all `count` of them, and its link text.
    more_url: str = ""
    more_label: str = ""
    # Lists are shown in this order.
    order: int = 50

    @property
    def hidden(self) -> int:
        return max(self.count - len(self.items), 0)


def merge(lists: list[TodoList]) -> list[TodoList]:
    """One list per key, in order; items of lists sharing a key together, the oldest first."""
    merged: dict[str, TodoList] = {}
    for todo in lists:
        if todo.key not in merged:
            merged[todo.key] = TodoList(
                key=todo.key,
                title=todo.title,
                empty=todo.empty,
                items=list(todo.items),
                count=todo.count,
                more_url=todo.more_url,
                more_label=todo.more_label,
                order=todo.order,
            )
            continue
        into = merged[todo.key]
        into.items += todo.items
        into.count += todo.count
        into.more_url = into.more_url or todo.more_url
        into.more_label = into.more_label or todo.more_label
        into.items.sort(key=lambda item: (item.since is None, item.since.timestamp() if item.since else 0))
    return sorted(merged.values(), key=lambda todo: todo.order)

"""Rows built once per test process and shared by every test that asks for them.

Building the `world` (tests/worlds/) costs about 950 statements; most tests only read it or change it inside
their own transaction. So, like Django's `TestCase.setUpTestData` but for the whole session, the role users
and the world are built once, inside transactions that stay open below every test's own savepoint: each test
starts from the same rows, and whatever it writes is rolled back with its savepoint.

Levels stack: 0 = nothing shared, 1 = the role users, 2 = the role users and the world, 3 = those and the
mirror world (another territory with its own team and one object of every kind, for cross-tenant probes). A
test gets exactly the level its fixtures ask for (a test without `world` never sees the world's rows): the
open levels above it are rolled back first. `pytest_collection_modifyitems` sorts the tests by level, so each
level is built about once per process. A transactional test (browser, worker) commits for real and is flushed
afterwards, which an open transaction would forbid: every shared level is rolled back before it, and it builds
its own rows.

Python objects are copied per test (`copy.deepcopy`), so a test that changes an attribute without saving it
leaves the next test unaffected, as `setUpTestData` does.
"""

import copy
from types import SimpleNamespace

from django.db import transaction
from django.test.utils import override_settings

NONE, PEOPLE, WORLD, MIRROR = 0, 1, 2, 3

# The fixtures that need each level (the fixtures that depend on them need it too: pytest's closure of an
# item's fixtures includes them).
PEOPLE_FIXTURES = frozenset({"users", "outsider", "agent", "elu", "dgs", "facilitator", "admin_user"})
WORLD_FIXTURES = frozenset({"world"})
MIRROR_FIXTURES = frozenset({"mirror"})


def depth_for(fixturenames) -> int:
    names = set(fixturenames)
    if names & MIRROR_FIXTURES:
        return MIRROR
    if names & WORLD_FIXTURES:
        return WORLD
    if names & PEOPLE_FIXTURES:
        return PEOPLE
    return NONE


def is_transactional(item) -> bool:
    """The same rule as pytest-django's: these tests commit, and are flushed when they end."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


class SharedRows:
    def __init__(self, builders):
        # builders[level - 1](objects) -> adds that level's objects to the namespace `objects`.
        self.builders = builders
        self.atomics = []  # one open `transaction.atomic` per built level
        self.objects = SimpleNamespace(users=None, world=None, mirror=None)
        # Bumped whenever a level is rebuilt, so caches keyed on the shared objects know they changed.
        self.generation = 0

    @property
    def depth(self) -> int:
        return len(self.atomics)

    def settle(self, depth: int, blocker, build_settings: dict) -> None:
        """Leave exactly `depth` levels open: roll back the ones above it, build the missing ones."""
        if self.depth == depth:
            return
        with blocker.unblock():
            while self.depth > depth:
                atomic = self.atomics.pop()
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
                self._forget(self.depth + 1)
            with override_settings(**build_settings):
                while self.depth < depth:
                    atomic = transaction.atomic()
                    atomic.__enter__()
                    self.atomics.append(atomic)
                    try:
                        self.builders[self.depth - 1](self.objects)
                    except BaseException:
                        self.atomics.pop()
                        transaction.set_rollback(True)
                        atomic.__exit__(None, None, None)
                        raise
                    self.generation += 1

    def _forget(self, level: int) -> None:
        if level <= MIRROR:
            self.objects.mirror = None
        if level <= WORLD:
            self.objects.world = None
        if level <= PEOPLE:
            self.objects.users = None

    def copy(self) -> SimpleNamespace:
        """The shared objects for one test: one deep copy, so the world's users are the role fixtures."""
        return copy.deepcopy(self.objects)

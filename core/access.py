"""The access table: every URL name of the platform declares who may use it.

Views still check access themselves (login_required, the `get_<thing>_for_user` helpers); the table is the
declaration the test suite holds them to: a test walks every URL pattern and fails on a name without a rule,
then requests each one as every role and compares the outcome with the rule.
"""

from dataclasses import dataclass, field

from django.urls import path

# The named users of the test suite (and of the demo data).
ROLES = ("anonymous", "outsider", "agent", "elu", "dgs", "facilitator", "admin")

EVERYONE = frozenset(ROLES)
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
ADMINS = frozenset({"admin"})
STAFF = frozenset({"admin"})


@dataclass(frozen=True)
class Access:
    who: frozenset
    # The view answers GET; views that only accept POST are probed with POST.
    get: bool = True
    # The view takes a form by POST: the fuzz test posts generated input to it as each role.
    form: bool = False
    # A sentence for the reader of the table, when the rule needs one.
    note: str = ""
    # Roles a view turns away with 404 (private objects of others) rather than 403.
    hidden_from: frozenset = field(default_factory=frozenset)
    # False only for steps of a flow that need a secret key or a pending login (allauth's own tests cover
    # them); the note then says why.
    probe: bool = True
    # The URL parameters of the probes are the tests' business: tests/url_kwargs.py builds them from the test
    # world, keyed by URL name. Declaring them here is refused, so production code never knows the test world.
    kwargs: None = None

    def __post_init__(self):
        if self.kwargs is not None:
            raise TypeError("Access(kwargs=…) is gone: add the URL's kwargs builder to tests/url_kwargs.py")


TABLE: dict[str, Access] = {}
# A namespace that belongs to a third-party app (the Django admin) is declared once, as a whole.
NAMESPACES: dict[str, Access] = {}


def declare(name: str, access: Access) -> None:
    if name in TABLE:
        raise ValueError(f"URL name {name!r} is declared twice in the access table")
    TABLE[name] = access


def route(route_str: str, view, *, name: str, access: Access, namespace: str):
    """`path()` that records the URL name's rule in the access table."""
    declare(f"{namespace}:{name}", access)
    return path(route_str, view, name=name)


def routes(namespace: str):
    """The `route()` of one URL namespace: `r = routes("projects")`, then `r(path, view, name, access)`."""

    def r(route_str: str, view, name: str, access: Access):
        return route(route_str, view, name=name, access=access, namespace=namespace)

    return r


def rule_for(qualified_name: str) -> Access | None:
    if qualified_name in TABLE:
        return TABLE[qualified_name]
    namespace = qualified_name.split(":", 1)[0] if ":" in qualified_name else None
    return NAMESPACES.get(namespace)

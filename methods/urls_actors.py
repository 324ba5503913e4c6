from core.access import Access, route

from .views import actors

# In the test world (tests/worlds/methods_actors.py) the pilot's project has three actors, an influence and
# two chained actions. The agent (lead) and the DGS (member) are on its team and the facilitator is assigned
# to it: they edit the map. The élu (territory team, not the project's) and an admin read it. The outsider's
# territory is another one: the project does not exist for them.
READERS = frozenset({"agent", "dgs", "elu", "facilitator", "admin"})
EDITORS = frozenset({"agent", "dgs", "facilitator"})
OUTSIDER = frozenset({"outsider"})
MAP = "projets/<int:pk>/acteurs/"
ACTOR = MAP + "<int:actor_pk>/"
INFLUENCE = MAP + "influences/<int:influence_pk>/"
ACTION = MAP + "actions/<int:action_pk>/"


def _project(world):
    return {"pk": world.project.pk}


def _actor(world):
    return {"pk": world.project.pk, "actor_pk": world.actor_c.pk}


def _influence(world):
    return {"pk": world.project.pk, "influence_pk": world.influence.pk}


def _action(world):
    return {"pk": world.project.pk, "action_pk": world.action_b.pk}


def r(route_str, view, name, access):
    return route(route_str, view, name=name, namespace="methods", access=access)


def _reads(kwargs):
    return Access(READERS, kwargs=kwargs, hidden_from=OUTSIDER)


def _edits(kwargs, *, get=False):
    return Access(EDITORS, kwargs=kwargs, get=get, form=True, hidden_from=OUTSIDER)


urlpatterns = [
    r(MAP, actors.actor_map, "actor_map", _reads(_project)),
    r(MAP + "carte.svg", actors.actor_map_svg, "actor_map_svg", _reads(_project)),
    r(MAP + "ajouter/", actors.actor_add, "actor_add", _edits(_project)),
    r(MAP + "importer/", actors.actor_import, "actor_import", _edits(_project)),
    r(ACTOR + "modifier/", actors.actor_edit, "actor_edit", _edits(_actor, get=True)),
    r(ACTOR + "selection/", actors.actor_select, "actor_select", _edits(_actor)),
    r(ACTOR + "supprimer/", actors.actor_delete, "actor_delete", _edits(_actor)),
    r(MAP + "influences/ajouter/", actors.influence_add, "actor_influence_add", _edits(_project)),
    r(INFLUENCE + "modifier/", actors.influence_edit, "actor_influence_edit", _edits(_influence, get=True)),
    r(INFLUENCE + "supprimer/", actors.influence_delete, "actor_influence_delete", _edits(_influence)),
    r(MAP + "actions/ajouter/", actors.action_add, "actor_action_add", _edits(_project)),
    r(ACTION + "modifier/", actors.action_edit, "actor_action_edit", _edits(_action, get=True)),
    r(ACTION + "supprimer/", actors.action_delete, "actor_action_delete", _edits(_action)),
]

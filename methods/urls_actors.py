from core.access import Access, routes

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


r = routes("methods")


def _reads():
    return Access(READERS, hidden_from=OUTSIDER)


def _edits(*, get=False):
    return Access(EDITORS, get=get, form=True, hidden_from=OUTSIDER)


urlpatterns = [
    r(MAP, actors.actor_map, "actor_map", _reads()),
    r(MAP + "carte.svg", actors.actor_map_svg, "actor_map_svg", _reads()),
    r(MAP + "ajouter/", actors.actor_add, "actor_add", _edits()),
    r(MAP + "importer/", actors.actor_import, "actor_import", _edits()),
    r(ACTOR + "modifier/", actors.actor_edit, "actor_edit", _edits(get=True)),
    r(ACTOR + "selection/", actors.actor_select, "actor_select", _edits()),
    r(ACTOR + "supprimer/", actors.actor_delete, "actor_delete", _edits()),
    r(MAP + "influences/ajouter/", actors.influence_add, "actor_influence_add", _edits()),
    r(INFLUENCE + "modifier/", actors.influence_edit, "actor_influence_edit", _edits(get=True)),
    r(INFLUENCE + "supprimer/", actors.influence_delete, "actor_influence_delete", _edits()),
    r(MAP + "actions/ajouter/", actors.action_add, "actor_action_add", _edits()),
    r(ACTION + "modifier/", actors.action_edit, "actor_action_edit", _edits(get=True)),
    r(ACTION + "supprimer/", actors.action_delete, "actor_action_delete", _edits()),
]

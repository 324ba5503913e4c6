from core.access import Access, routes

from .views import actantial

# In the test world (tests/worlds/methods_actantial.py) the pages show the pilot project's schema
# (world.schema, with world.actant_entry). Whoever sees the project reads the schemas: its team, the élu of
# the territory, the facilitator, an admin. The project team (the agent leads it, the DGS is a member) and
# the facilitator assigned to it edit them; the élu and an admin only read. The outsider's territory is
# another one, so the project does not exist for them.
READERS = frozenset({"agent", "dgs", "elu", "facilitator", "admin"})
EDITORS = frozenset({"agent", "dgs", "facilitator"})
OUTSIDER = frozenset({"outsider"})
SCHEMAS = "projets/<int:pk>/schema-actantiel/"
SCHEMA = SCHEMAS + "<int:schema_pk>/"
ENTRY = SCHEMA + "entrees/<int:entry_pk>/"


r = routes("methods")


urlpatterns = [
    r(
        SCHEMAS,
        actantial.actantial_page,
        "actantial",
        Access(
            READERS,
            hidden_from=OUTSIDER,
            note="Le premier passage d'un·e éditeur·ice crée le schéma du projet ; un lecteur ne crée rien.",
        ),
    ),
    r(
        SCHEMAS + "ajouter/",
        actantial.actantial_schema_add,
        "actantial_schema_add",
        Access(EDITORS, get=False, form=True, hidden_from=OUTSIDER),
    ),
    r(
        SCHEMA,
        actantial.actantial_schema,
        "actantial_schema",
        Access(READERS, hidden_from=OUTSIDER),
    ),
    r(
        SCHEMA + "schema.svg",
        actantial.actantial_svg_download,
        "actantial_svg",
        Access(READERS, hidden_from=OUTSIDER),
    ),
    r(
        SCHEMA + "quete/",
        actantial.actantial_schema_edit,
        "actantial_schema_edit",
        Access(EDITORS, get=False, form=True, hidden_from=OUTSIDER),
    ),
    r(
        SCHEMA + "supprimer/",
        actantial.actantial_schema_delete,
        "actantial_schema_delete",
        Access(
            EDITORS,
            get=False,
            form=True,
            hidden_from=OUTSIDER,
            note="Le schéma du projet ne se supprime pas (message) ; les schémas de quête, si.",
        ),
    ),
    r(
        SCHEMA + "entrees/ajouter/",
        actantial.actantial_entry_add,
        "actantial_entry_add",
        Access(EDITORS, get=False, form=True, hidden_from=OUTSIDER),
    ),
    r(
        ENTRY,
        actantial.actantial_entry_edit,
        "actantial_entry_edit",
        Access(EDITORS, form=True, hidden_from=OUTSIDER),
    ),
    r(
        ENTRY + "supprimer/",
        actantial.actantial_entry_delete,
        "actantial_entry_delete",
        Access(EDITORS, get=False, form=True, hidden_from=OUTSIDER),
    ),
    r(
        ENTRY + "deplacer/",
        actantial.actantial_entry_move,
        "actantial_entry_move",
        Access(EDITORS, get=False, form=True, hidden_from=OUTSIDER),
    ),
]

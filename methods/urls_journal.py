"""Raconter la coopération: a project's journal (/projets/<pk>/recits/…) and a territory's
(/territoires/<territory_pk>/recits/…); a récit is changed at its own address (/recits/<entry_pk>/…), whose
journal it knows.

In the test world (tests/worlds/methods_journal.py), the agent wrote the project's récits:
world.journal_entry, shared with the accompaniment, and world.journal_entry_team, kept to the team. The agent
manages the territory; the DGS and the élu are on its team (so they write in its projects' journals too, but
change only their own récits); the facilitator follows the territory; the outsider manages another one.
"""

from core.access import Access, routes

from .views import journal

TEAM = frozenset({"agent", "dgs", "elu"})
READERS = TEAM | {"facilitator", "admin"}
# The shared récit's author, who is also the territory's manager.
CHANGERS = frozenset({"agent"})
OUTSIDER = frozenset({"outsider"})


r = routes("methods")


urlpatterns = [
    r(
        "projets/<int:pk>/recits/",
        journal.journal_project,
        "journal_project",
        Access(
            READERS,
            hidden_from=OUTSIDER,
            note="Les récits réservés à l'équipe n'y figurent pas pour l'accompagnement et les admins.",
        ),
    ),
    r(
        "territoires/<int:territory_pk>/recits/",
        journal.journal_territory,
        "journal_territory",
        Access(
            READERS,
            note="Les récits du territoire et ceux de ses projets ; un territoire publié refuse (403).",
        ),
    ),
    r(
        "projets/<int:pk>/recits/nouveau/",
        journal.journal_entry_create_project,
        "journal_entry_create_project",
        Access(
            TEAM,
            form=True,
            hidden_from=OUTSIDER,
            note="L'équipe du territoire et l'équipe projet écrivent ; l'accompagnement lit.",
        ),
    ),
    r(
        "territoires/<int:territory_pk>/recits/nouveau/",
        journal.journal_entry_create_territory,
        "journal_entry_create_territory",
        Access(
            TEAM, form=True, note="L'équipe du territoire écrit ; l'accompagnement lit."
        ),
    ),
    r(
        "recits/<int:entry_pk>/modifier/",
        journal.journal_entry_edit,
        "journal_entry_edit",
        Access(
            CHANGERS,
            form=True,
            hidden_from=OUTSIDER,
            note="Son auteur·ice et les responsables du territoire ; un récit réservé à l'équipe est "
            "introuvable (404) hors de l'équipe.",
        ),
    ),
    r(
        "recits/<int:entry_pk>/supprimer/",
        journal.journal_entry_delete,
        "journal_entry_delete",
        Access(
            CHANGERS,
            form=True,
            hidden_from=OUTSIDER,
            note="Son auteur·ice et les responsables du territoire.",
        ),
    ),
]

"""Demo data of the cooperation journal: three récits of the Tarn pilot's project "Management des
organisations par la coopération" (DOMAIN.md §3), written through the services: the agents' space takes
over the exercise (shared), the DGS group never really "takes" and the two visions of the Pôle are put to
work (kept to the team), and the effects of the croisement (shared)."""

from datetime import date

from django.db import transaction

from .access import get_scope_for_user
from .models import JournalEntry, JournalPrompt, JournalVisibility
from .services import journal as services

RECITS = (
    {
        "author": "agent",
        "happened_on": date(2022, 3, 15),
        "prompt": JournalPrompt.PEER_GROUPS,
        "title": "L'espace des agents s'approprie l'exercice",
        "body": (
            "Troisième séance de l'espace des agents. Nous étions venus pour un exercice proposé "
            "par La Fabrique ; nous sommes repartis avec *notre* exercice : le groupe a réécrit lui-même la "
            "grille des besoins, fixé ses prochaines dates et désigné deux rapporteurs.\n\n"
            "Ce qui a fait la différence :\n\n"
            "- un espace **entre pairs**, sans hiérarchie dans la salle ;\n"
            "- des besoins dits avec nos mots, à partir de situations vécues dans les cinq communautés de "
            "communes ;\n"
            "- un argumentaire détaillé, que chacun·e peut reprendre devant son DGS ou ses élu·es."
        ),
        "participants": ("agent",),
        "other_participants": "Les chargé·es de mission des cinq communautés de communes",
        "visibility": JournalVisibility.SHARED,
    },
    {
        "author": "dgs",
        "happened_on": date(2022, 5, 10),
        "prompt": JournalPrompt.DISPUTES,
        "title": "Le groupe des DGS ne « prend » pas : mettre le différend au travail",
        "body": (
            "Deuxième réunion du groupe des DGS. Le malaise est revenu : pour certain·es, le Pôle reste "
            "**une strate administrative de plus** ; pour d'autres, c'est l'échelle cohérente pour "
            "mutualiser nos moyens, à condition qu'elle soit fondée sur la coopération.\n\n"
            "Plutôt que d'éviter le sujet, nous avons pris une heure pour poser les deux visions côte à "
            "côte, sans chercher à trancher. Le groupe n'a pas vraiment « pris », mais le différend est "
            "nommé : nous le gardons entre nous pour l'instant, le temps que chacun·e en parle à son "
            "exécutif."
        ),
        "participants": ("dgs", "agent"),
        "other_participants": "",
        "visibility": JournalVisibility.TEAM,
    },
    {
        "author": "agent",
        "happened_on": date(2022, 10, 4),
        "prompt": JournalPrompt.EFFECTS,
        "title": "Ce que le croisement des regards a produit",
        "body": (
            "Les deux espaces se sont retrouvés pour croiser leurs points de vue et se sont accordés sur des "
            "propositions communes, qui montent aux élu·es lors de la phase d'interpellation tripartite.\n\n"
            "Ce que nous en retenons :\n\n"
            "- **+** l'argumentaire des agents, partagé et détaillé, a servi de base au croisement ;\n"
            "- **+** deux EPCI envisagent de revoir leur organisation interne ;\n"
            "- **−** pas encore de vision partagée entre élu·es, ni entre DGS."
        ),
        "participants": ("agent", "dgs", "elu", "facilitatrice"),
        "other_participants": "",
        "visibility": JournalVisibility.SHARED,
    },
)


def seed_journal(project, *, users):
    """The pilot project's three récits; a récit already there (same title) is left as it is.

    `users` are seed_demo's accounts by the local part of their e-mail: agent, dgs, elu, facilitatrice.
    Returns the récits created (none when run again)."""
    existing = set(JournalEntry.objects.filter(project=project).values_list("title", flat=True))
    entries = []
    with transaction.atomic():
        for recit in RECITS:
            if recit["title"] in existing:
                continue
            author = users[recit["author"]]
            entries.append(
                services.entry_create(
                    actor=author,
                    scope=get_scope_for_user(author, project_pk=project.pk),
                    prompt=recit["prompt"],
                    happened_on=recit["happened_on"],
                    title=recit["title"],
                    body=recit["body"],
                    participants=[users[key] for key in recit["participants"]],
                    other_participants=recit["other_participants"],
                    visibility=recit["visibility"],
                )
            )
    return entries

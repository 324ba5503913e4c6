"""The cooperation journal in the test world: on the pilot's project, a récit shared with the accompaniment
(world.journal_entry) and one kept to the team (world.journal_entry_team), both written by the agent; a récit
of the territory's own journal written by the DGS (world.territory_journal_entry); and one on the other
territory's project (world.other_journal_entry), for the 404s.

Created directly rather than through the services: the world needs no audit trail, and no notification that
would change what the facilitator finds in their list."""

from datetime import date

from methods.models import JournalEntry, JournalPrompt, JournalVisibility


def build(world):
    users = world.users
    world.journal_entry = JournalEntry.objects.create(
        territory=world.territory,
        project=world.project,
        happened_on=date(2024, 3, 14),
        prompt=JournalPrompt.PEER_GROUPS,
        title="Le croisement des groupes d'agents et de DGS",
        body="Les deux groupes ont croisé leurs points de vue et se sont accordés sur **trois** idées.",
        other_participants="Un agent du CNFPT",
        visibility=JournalVisibility.SHARED,
        author=users["agent"],
    )
    world.journal_entry.participants.set([users["agent"], users["dgs"], users["facilitator"]])
    world.journal_entry_team = JournalEntry.objects.create(
        territory=world.territory,
        project=world.project,
        happened_on=date(2024, 2, 1),
        prompt=JournalPrompt.DISPUTES,
        title="Un différend entre DGS sur le rôle du Pôle",
        body="Deux visions du Pôle se sont affrontées ; nous l'avons gardé pour l'équipe.",
        visibility=JournalVisibility.TEAM,
        author=users["agent"],
    )
    world.journal_entry_team.participants.set([users["agent"], users["dgs"]])
    world.territory_journal_entry = JournalEntry.objects.create(
        territory=world.territory,
        happened_on=date(2023, 11, 20),
        prompt=JournalPrompt.REFLEXIVE_SPACES,
        title="Un premier espace de parole des agents",
        body="Les agents des cinq communautés de communes se sont retrouvés pour la première fois.",
        visibility=JournalVisibility.SHARED,
        author=users["dgs"],
    )
    world.other_journal_entry = JournalEntry.objects.create(
        territory=world.other_territory,
        project=world.other_project,
        happened_on=date(2024, 1, 10),
        prompt=JournalPrompt.EFFECTS,
        title="Un récit d'un autre territoire",
        body="Ce que la coopération a changé ailleurs.",
        visibility=JournalVisibility.SHARED,
        author=users["outsider"],
    )

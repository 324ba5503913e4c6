"""The states in which the world's pages show a form that its usual state hides, for the form fuzzing.

The shared world is caught at one point of its life (the proposal already addressed, the project running,
the agent sole manager of the territory…), and a page shows a form only when the action is possible. For
each such form, a function here moves the world's objects to a state where it is, inside the caller's
savepoint (rolled back afterwards), and names the pages that then show the form. The fuzzing reads those
pages to find the form's fields, and posts to the form in that state, so that its validation is tried and
not only its refusal.
"""

from typing import NamedTuple

from django.urls import reverse

from . import url_kwargs as k


class State(NamedTuple):
    pages: list  # (URL name, URL) of the pages that show the form in this state
    target: dict | None = None  # the form's URL kwargs in this state, when not the access table's


def _page(name, kwargs=None):
    return name, reverse(name, kwargs=kwargs)


def _library_draft(world):
    """The agent's draft resource, which they may submit for review (no change needed)."""
    return [_page("library:detail", k.library_draft(world))]


def _library_in_review(world):
    """The resource under review, which a publisher may publish (no change needed)."""
    return [_page("library:detail", k.library_in_review(world))]


def _proposal_being_agreed(world):
    """The joint proposal before either group agreed: each group may record its agreement."""
    from cooperation.models import JointProposal, ProposalStatus

    proposal = world.joint_proposal
    proposal.agreements.all().delete()
    JointProposal.objects.filter(pk=proposal.pk).update(
        status=ProposalStatus.DRAFT, shared_at=None, addressed_at=None, addressed_by=None
    )
    return [_page("cooperation:proposal_detail", k.cooperation_proposal(world))]


def _proposal_shared(world):
    """The joint proposal agreed by both groups, not yet addressed to the élus."""
    from cooperation.models import JointProposal, ProposalStatus

    JointProposal.objects.filter(pk=world.joint_proposal.pk).update(
        status=ProposalStatus.SHARED, addressed_at=None, addressed_by=None
    )
    return [_page("cooperation:proposal_detail", k.cooperation_proposal(world))]


def _contribution_agreed(world):
    """The agents' group agreed its text: it may share it in the croisement."""
    from cooperation import services

    services.contribution_agree(actor=world.users["agent"], contribution=world.group_contribution)
    return [_page("cooperation:crossing_detail", k.cooperation_crossing(world))]


def _dgs_group(world):
    """The DGS' group, where the élu is invited and the outsider asks to join (no change needed)."""
    return [
        _page("cooperation:group_detail", k.cooperation_dgs(world)),
        _page("cooperation:members", k.cooperation_dgs(world)),
    ]


def _quest_schema_with_two_entries(world):
    """A schema for one quest of the project (the project's own schema may not be deleted), with two
    entries in one actant (an entry moves among others)."""
    from methods.models import Actant
    from methods.services import actantial

    agent = world.users["agent"]
    schema = actantial.schema_create(actor=agent, project=world.project, quest="Une quête du projet")
    for label in ("Les élus du Pôle", "Les habitants"):
        entry = actantial.entry_add(actor=agent, schema=schema, actant=Actant.SUJET, label=label)
    kwargs = {"pk": world.project.pk, "schema_pk": schema.pk}
    return State([_page("methods:actantial_schema", kwargs)], {"schema_delete": kwargs, "entry": entry})


def _schema_delete(world):
    state = _quest_schema_with_two_entries(world)
    return State(state.pages, state.target["schema_delete"])


def _entry_move(world):
    state = _quest_schema_with_two_entries(world)
    entry = state.target["entry"]
    return State(state.pages, {"pk": world.project.pk, "schema_pk": entry.schema_id, "entry_pk": entry.pk})


def _answer_saved_twice(world):
    """The draft's first answer saved once more: its first text may be restored."""
    from projects import services

    answer = world.draft.answers.get(question__number=1)
    services.answer_save(
        actor=world.users["agent"],
        deliverable=world.draft,
        question=answer.question,
        text="Un agent à plein temps.",
        base_version=answer.version,
    )
    return [_page("projects:answer_history", k.projects_deliverables_draft_question(world))]


def _new_questions_published(world):
    """A new version of the note de faisabilité's questions is in force: the draft may move to it."""
    from projects import services

    admin = world.users["admin"]
    draft = services.question_set_draft(actor=admin, kind=world.draft.kind)
    services.question_set_publish(actor=admin, question_set=draft)
    return [_page("projects:deliverable_migrate", k.projects_deliverables_draft(world))]


def _project_abandoned(world):
    from projects.models import Project, Stage

    Project.objects.filter(pk=world.project.pk).update(
        stage=Stage.ABANDONED, abandon_reason="Le projet attendra le prochain mandat."
    )
    return [_page("projects:detail", k.projects_projects_project(world))]


def _invitation_for_the_outsider(world):
    """The territory's invitation sent to the outsider, who is in no team of the pilot: they may answer it."""
    from territories.models import Invitation

    Invitation.objects.filter(pk=world.invitation.pk).update(email=world.users["outsider"].email)
    return [_page("territories:invitation", k.territories_invitation_token(world))]


def _new_charter_version(world):
    """A new version of the charter, which its members have not signed yet."""
    from alliance import services

    services.charter_publish(
        actor=world.users["admin"],
        preamble="La charte, revue par l'assemblée.",
        commitments=["Coopérer entre territoires.", "Partager ce que l'on apprend."],
    )
    return [_page("alliance:charter_resign")]


# The form's URL name -> the state in which the world's pages show it: a function of the world that returns
# the pages to read, or a State.
STATES = {
    "alliance:charter_resign": _new_charter_version,
    "cooperation:crossing_share": _contribution_agreed,
    "cooperation:invitation_answer": _dgs_group,
    "cooperation:join": _dgs_group,
    "cooperation:proposal_address": _proposal_shared,
    "cooperation:proposal_agree": _proposal_being_agreed,
    "cooperation:request_decide": _dgs_group,
    "library:publish": _library_in_review,
    "library:submit": _library_draft,
    "methods:actantial_entry_move": _entry_move,
    "methods:actantial_schema_delete": _schema_delete,
    "projects:answer_restore": _answer_saved_twice,
    "projects:deliverable_migrate": _new_questions_published,
    "projects:resume": _project_abandoned,
    "territories:invitation": _invitation_for_the_outsider,
}


def apply(name, world) -> State:
    """Put the world in the state that shows the form `name` (in the caller's savepoint)."""
    state = STATES[name](world)
    return state if isinstance(state, State) else State(state)

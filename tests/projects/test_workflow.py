"""The deliverable state machine, through the services: every allowed transition and every refused one."""

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from core.errors import DomainError
from core.models import AuditEntry
from projects import services
from projects.models import (
    AnswerRevision,
    DeliverableKind,
    DeliverableStatus,
    DeliverableVersion,
    Objective,
    ObjectiveKind,
    Project,
    QuestionSet,
    Stage,
    Stakeholder,
    Step,
)
from tests.worlds.projects import answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh(world):
    """A new project of the pilot territory, its note d'intention a blank draft."""
    project = services.project_create(
        actor=world.users["agent"], territory=world.territory, title="Un nouveau projet"
    )
    return project, project.deliverables.get()


def _submit_and_validate(world, deliverable):
    answer_all(world.users["agent"], deliverable)
    services.deliverable_submit(actor=world.users["agent"], deliverable=deliverable)
    return services.deliverable_validate(actor=world.users["facilitator"], deliverable=deliverable)


def test_a_new_project_opens_its_note_d_intention_only(world, fresh):
    project, intention = fresh
    assert intention.kind == DeliverableKind.INTENTION
    assert intention.status == DeliverableStatus.DRAFT
    assert intention.question_set == QuestionSet.objects.get(kind="intention", is_current=True)
    assert intention.question_set.questions.count() == 4
    assert project.stage == Stage.INTENTION
    assert set(project.members.all()) == {world.users["agent"]}
    assert set(project.facilitators.all()) == {world.users["facilitator"]}


def test_question_sets_hold_the_method_s_questions_verbatim(db):
    counts = {qs.kind: qs.questions.count() for qs in QuestionSet.objects.filter(is_current=True)}
    assert counts == {"intention": 4, "cadrage": 5, "faisabilite": 4}
    texts = list(
        QuestionSet.objects.get(kind="faisabilite", is_current=True).questions.values_list("text", flat=True)
    )
    assert texts[2] == "Quelles sont les principales étapes et livrables du projet ?"


def test_submitting_with_missing_answers_lists_them_and_changes_nothing(world, fresh):
    _project, intention = fresh
    question = intention.question_set.questions.get(number=2)
    services.answer_save(
        actor=world.users["agent"],
        deliverable=intention,
        question=question,
        text="Des enjeux.",
        base_version=0,
    )
    with pytest.raises(services.MissingAnswers) as refused:
        services.deliverable_submit(actor=world.users["agent"], deliverable=intention)
    assert [q.number for q in refused.value.questions] == [1, 3, 4]
    assert "1, 3, 4" in refused.value.message
    intention.refresh_from_db()
    assert intention.status == DeliverableStatus.DRAFT
    assert not intention.versions.exists()


def test_a_blank_answer_does_not_count_as_answered(world, fresh):
    _project, intention = fresh
    answer_all(world.users["agent"], intention, text="   \n ")
    with pytest.raises(services.MissingAnswers):
        services.deliverable_submit(actor=world.users["agent"], deliverable=intention)


def test_submitting_freezes_a_snapshot_and_waits_for_review(world, fresh):
    _project, intention = fresh
    answer_all(world.users["agent"], intention, text="Notre réponse.")
    version = services.deliverable_submit(actor=world.users["agent"], deliverable=intention)
    intention.refresh_from_db()
    assert intention.status == DeliverableStatus.SUBMITTED
    assert intention.submitted_at is not None
    assert version.number == 1
    assert version.decision == DeliverableVersion.Decision.PENDING
    assert [q["answer"] for q in version.content["questions"]] == ["Notre réponse."] * 4


def test_a_submitted_deliverable_cannot_be_edited_nor_submitted_again(world, fresh):
    _project, intention = fresh
    answer_all(world.users["agent"], intention)
    services.deliverable_submit(actor=world.users["agent"], deliverable=intention)
    answer = intention.answers.first()
    with pytest.raises(DomainError):
        services.answer_save(
            actor=world.users["agent"],
            deliverable=intention,
            question=answer.question,
            text="Changé",
            base_version=answer.version,
        )
    with pytest.raises(DomainError):
        services.deliverable_submit(actor=world.users["agent"], deliverable=intention)
    answer.refresh_from_db()
    assert answer.text == "Réponse de l'équipe."


def test_changes_requested_need_a_message_and_return_the_draft_to_the_team(world, fresh):
    _project, intention = fresh
    answer_all(world.users["agent"], intention)
    services.deliverable_submit(actor=world.users["agent"], deliverable=intention)
    with pytest.raises(DomainError):
        services.deliverable_request_changes(
            actor=world.users["facilitator"], deliverable=intention, message=" "
        )
    services.deliverable_request_changes(
        actor=world.users["facilitator"], deliverable=intention, message="Précisez les enjeux."
    )
    intention.refresh_from_db()
    assert intention.status == DeliverableStatus.CHANGES_REQUESTED
    version = intention.versions.get()
    assert version.decision == DeliverableVersion.Decision.CHANGES_REQUESTED
    assert version.decision_message == "Précisez les enjeux."
    assert version.decided_by == world.users["facilitator"]
    # The team edits again and resubmits: a second snapshot.
    answer = intention.answers.get(question__number=2)
    services.answer_save(
        actor=world.users["agent"],
        deliverable=intention,
        question=answer.question,
        text="Des enjeux précisés.",
        base_version=answer.version,
    )
    second = services.deliverable_submit(actor=world.users["agent"], deliverable=intention)
    assert second.number == 2
    assert intention.versions.get(number=1).content["questions"][1]["answer"] == "Réponse de l'équipe."


def test_validation_freezes_the_deliverable_and_opens_the_next(world, fresh):
    project, intention = fresh
    _submit_and_validate(world, intention)
    intention.refresh_from_db()
    project.refresh_from_db()
    assert intention.status == DeliverableStatus.VALIDATED
    assert intention.validated_at is not None
    assert project.stage == Stage.CADRAGE
    cadrage = project.deliverables.get(kind=DeliverableKind.CADRAGE)
    assert cadrage.status == DeliverableStatus.DRAFT
    assert cadrage.question_set.questions.count() == 5


def test_validating_the_three_deliverables_launches_the_project(world, fresh):
    project, intention = fresh
    _submit_and_validate(world, intention)
    cadrage = project.deliverables.get(kind=DeliverableKind.CADRAGE)
    _submit_and_validate(world, cadrage)
    assert Project.objects.get(pk=project.pk).stage == Stage.FAISABILITE
    faisabilite = project.deliverables.get(kind=DeliverableKind.FAISABILITE)
    _submit_and_validate(world, faisabilite)
    assert Project.objects.get(pk=project.pk).stage == Stage.LAUNCHED
    assert project.deliverables.count() == 3


@pytest.mark.parametrize("status", ["draft", "changes_requested", "validated"])
def test_only_a_submitted_deliverable_can_be_reviewed(world, fresh, status):
    _project, intention = fresh
    answer_all(world.users["agent"], intention)
    if status != "draft":
        services.deliverable_submit(actor=world.users["agent"], deliverable=intention)
        decide = (
            services.deliverable_validate
            if status == "validated"
            else lambda **kw: services.deliverable_request_changes(message="À reprendre.", **kw)
        )
        decide(actor=world.users["facilitator"], deliverable=intention)
    with pytest.raises(DomainError):
        services.deliverable_validate(actor=world.users["facilitator"], deliverable=intention)
    with pytest.raises(DomainError):
        services.deliverable_request_changes(
            actor=world.users["facilitator"], deliverable=intention, message="Non."
        )


@pytest.mark.parametrize("status", ["draft", "submitted", "changes_requested"])
def test_only_a_validated_deliverable_can_be_reopened(world, fresh, status):
    _project, intention = fresh
    answer_all(world.users["agent"], intention)
    if status != "draft":
        services.deliverable_submit(actor=world.users["agent"], deliverable=intention)
    if status == "changes_requested":
        services.deliverable_request_changes(
            actor=world.users["facilitator"], deliverable=intention, message="À reprendre."
        )
    with pytest.raises(DomainError):
        services.deliverable_reopen(
            actor=world.users["facilitator"], deliverable=intention, reason="Parce que."
        )


def test_reopening_starts_a_new_revision_and_keeps_what_validation_opened(world, fresh):
    project, intention = fresh
    _submit_and_validate(world, intention)
    with pytest.raises(DomainError):
        services.deliverable_reopen(actor=world.users["facilitator"], deliverable=intention, reason="")
    services.deliverable_reopen(
        actor=world.users["facilitator"], deliverable=intention, reason="Le diagnostic a évolué."
    )
    intention.refresh_from_db()
    project.refresh_from_db()
    assert intention.status == DeliverableStatus.DRAFT
    assert intention.revision == 2
    assert intention.validated_at is None
    assert project.stage == Stage.INTENTION
    assert project.deliverables.filter(kind=DeliverableKind.CADRAGE).exists()
    # Validated again: the project goes back to the cadrage stage, and a third version is recorded.
    services.deliverable_submit(actor=world.users["agent"], deliverable=intention)
    services.deliverable_validate(actor=world.users["facilitator"], deliverable=intention)
    project.refresh_from_db()
    assert project.stage == Stage.CADRAGE
    assert list(intention.versions.values_list("revision", flat=True)) == [2, 1]
    assert project.deliverables.filter(kind=DeliverableKind.CADRAGE).count() == 1


def test_an_abandoned_project_needs_a_reason_and_freezes_its_drafts(world, fresh):
    project, intention = fresh
    with pytest.raises(DomainError):
        services.project_abandon(actor=world.users["agent"], project=project, reason="  ")
    services.project_abandon(actor=world.users["agent"], project=project, reason="Plus de financement.")
    assert Project.objects.get(pk=project.pk).stage == Stage.ABANDONED
    question = intention.question_set.questions.first()
    with pytest.raises(DomainError):
        services.answer_save(
            actor=world.users["agent"], deliverable=intention, question=question, text="x", base_version=0
        )
    with pytest.raises(DomainError):
        services.project_abandon(actor=world.users["agent"], project=project, reason="Encore.")
    services.project_resume(actor=world.users["agent"], project=project)
    project.refresh_from_db()
    assert project.stage == Stage.INTENTION
    assert project.abandon_reason == ""


def test_abandoning_and_resuming_read_the_project_s_state_under_its_row_lock(world, fresh):
    project, _intention = fresh
    # Another request abandoned the project since this copy was read: the state checked is the locked row's.
    stale = Project.objects.get(pk=project.pk)
    with CaptureQueriesContext(connection) as queries:
        services.project_abandon(actor=world.users["agent"], project=project, reason="Plus de financement.")
    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert any('"projects_project"' in sql for sql in locks)
    with pytest.raises(DomainError, match="déjà abandonné"):
        services.project_abandon(actor=world.users["dgs"], project=stale, reason="Une autre raison.")
    assert Project.objects.get(pk=project.pk).abandon_reason == "Plus de financement."
    resumed = services.project_resume(actor=world.users["agent"], project=stale)
    assert resumed.stage == Stage.INTENTION
    with pytest.raises(DomainError, match="pas abandonné"):
        services.project_resume(actor=world.users["agent"], project=project)


def test_resuming_a_project_that_was_not_abandoned_is_refused(world, fresh):
    project, _intention = fresh
    with pytest.raises(DomainError):
        services.project_resume(actor=world.users["agent"], project=project)


def test_the_database_refuses_an_abandoned_project_without_reason(world, fresh):
    project, _intention = fresh
    with pytest.raises(IntegrityError):
        Project.objects.filter(pk=project.pk).update(stage=Stage.ABANDONED, abandon_reason="")


def test_a_recommendation_of_another_territory_is_refused(world):
    from territories.models import Diagnostic, Recommendation

    diagnostic = Diagnostic.objects.create(territory=world.other_territory, date="2022-01-01")
    foreign = Recommendation.objects.create(diagnostic=diagnostic, number=1, text="Ailleurs.")
    with pytest.raises(DomainError):
        services.project_create(
            actor=world.users["agent"], territory=world.territory, title="X", recommendations=[foreign]
        )


def test_a_stale_save_is_a_conflict_that_keeps_both_texts(world, fresh):
    _project, intention = fresh
    question = intention.question_set.questions.get(number=1)
    first = services.answer_save(
        actor=world.users["agent"], deliverable=intention, question=question, text="Version A", base_version=0
    )
    assert first.version == 1
    with pytest.raises(services.AnswerConflict) as conflict:
        services.answer_save(
            actor=world.users["dgs"],
            deliverable=intention,
            question=question,
            text="Version B",
            base_version=0,
        )
    assert conflict.value.answer.text == "Version A"
    assert conflict.value.mine.text == "Version B"
    first.refresh_from_db()
    assert first.text == "Version A"
    assert list(
        AnswerRevision.objects.filter(answer=first).order_by("id").values_list("text", "is_conflict")
    ) == [("Version A", False), ("Version B", True)]


def test_restoring_an_earlier_state_saves_it_as_a_new_version(world, fresh):
    _project, intention = fresh
    question = intention.question_set.questions.get(number=1)
    services.answer_save(
        actor=world.users["agent"], deliverable=intention, question=question, text="Premier", base_version=0
    )
    answer = services.answer_save(
        actor=world.users["agent"], deliverable=intention, question=question, text="Second", base_version=1
    )
    first_state = answer.revisions.get(version=1)
    restored = services.answer_restore(actor=world.users["dgs"], revision=first_state, base_version=2)
    assert restored.text == "Premier"
    assert restored.version == 3
    assert restored.revisions.first().restored_from == first_state


def test_a_restore_is_one_transaction_nothing_stays_if_its_audit_entry_fails(world, fresh, monkeypatch):
    _project, intention = fresh
    question = intention.question_set.questions.get(number=1)
    services.answer_save(
        actor=world.users["agent"], deliverable=intention, question=question, text="Premier", base_version=0
    )
    answer = services.answer_save(
        actor=world.users["agent"], deliverable=intention, question=question, text="Second", base_version=1
    )

    first_state = answer.revisions.get(version=1)

    def broken_audit(**kwargs):
        raise RuntimeError("the audit table is unreachable")

    monkeypatch.setattr(services, "audit", broken_audit)
    with pytest.raises(RuntimeError):
        services.answer_restore(actor=world.users["dgs"], revision=first_state, base_version=2)
    answer.refresh_from_db()
    assert (answer.text, answer.version) == ("Second", 2)
    assert list(answer.revisions.values_list("version", flat=True)) == [2, 1]


def test_a_restore_over_a_newer_save_keeps_both_texts_and_says_so(world, fresh):
    _project, intention = fresh
    question = intention.question_set.questions.get(number=1)
    services.answer_save(
        actor=world.users["agent"], deliverable=intention, question=question, text="Premier", base_version=0
    )
    answer = services.answer_save(
        actor=world.users["agent"], deliverable=intention, question=question, text="Second", base_version=1
    )
    first_state = answer.revisions.get(version=1)
    with pytest.raises(services.AnswerConflict):
        services.answer_restore(actor=world.users["dgs"], revision=first_state, base_version=1)
    answer.refresh_from_db()
    assert (answer.text, answer.version) == ("Second", 2)
    assert answer.revisions.filter(is_conflict=True, text="Premier").exists()
    assert not AuditEntry.objects.filter(action="answer.restore").exists()


def test_an_oversized_answer_is_refused_and_the_saved_text_kept(world, fresh, settings):
    settings.ANSWER_MAX_CHARS = 100
    _project, intention = fresh
    question = intention.question_set.questions.get(number=1)
    services.answer_save(
        actor=world.users["agent"], deliverable=intention, question=question, text="Court.", base_version=0
    )
    with pytest.raises(DomainError, match="100"):
        services.answer_save(
            actor=world.users["agent"],
            deliverable=intention,
            question=question,
            text="x" * 101,
            base_version=1,
        )
    assert intention.answers.get().text == "Court."


def test_a_question_of_another_deliverable_is_refused(world, fresh):
    _project, intention = fresh
    foreign = QuestionSet.objects.get(kind="cadrage", is_current=True).questions.first()
    with pytest.raises(DomainError):
        services.answer_save(
            actor=world.users["agent"], deliverable=intention, question=foreign, text="x", base_version=0
        )


def test_a_structured_part_answers_its_question(world):
    cadrage = world.cadrage
    services.deliverable_request_changes(
        actor=world.users["facilitator"], deliverable=cadrage, message="Revoir."
    )
    answer = cadrage.answers.get(question__number=1)
    services.answer_save(
        actor=world.users["agent"],
        deliverable=cadrage,
        question=answer.question,
        text="",
        base_version=answer.version,
    )
    # The stakeholders listed are an answer to question 1 even without prose.
    assert [q.number for q in cadrage.missing_questions()] == []
    Stakeholder.objects.filter(deliverable=cadrage).delete()
    assert [q.number for q in cadrage.missing_questions()] == [1]


def test_the_snapshot_holds_the_structured_parts(world):
    version = world.cadrage.versions.get()
    parts = version.content["parts"]
    assert [s["name"] for s in parts["stakeholders"]] == ["Groupe des agents"]
    assert [o["title"] for o in parts["objectives"]] == ["Coopérer"]


def test_the_database_refuses_a_step_ending_before_it_starts(world):
    with pytest.raises(IntegrityError):
        Step.objects.create(deliverable=world.cadrage, title="Étape", start="2025-03-01", end="2025-02-01")


def test_the_database_refuses_a_quantitative_objective_without_target(world):
    with pytest.raises(IntegrityError):
        Objective.objects.create(deliverable=world.cadrage, kind=ObjectiveKind.QUANTITATIVE, title="Mesurer")


def test_transitions_write_the_audit_log(world):
    from core.audit import history_of

    actions = set(history_of(world.intention).values_list("action", flat=True))
    assert {"deliverable.submit", "deliverable.validate"} <= actions


def test_submission_notifies_the_assigned_facilitators_and_review_the_team(world, fresh):
    from notifications.models import Notification

    _project, intention = fresh
    answer_all(world.users["agent"], intention)
    services.deliverable_submit(actor=world.users["agent"], deliverable=intention)
    assert Notification.objects.filter(
        recipient=world.users["facilitator"], kind="projects.submitted", url__contains="/intention/"
    ).exists()
    services.deliverable_request_changes(
        actor=world.users["facilitator"], deliverable=intention, message="Non."
    )
    assert Notification.objects.filter(recipient=world.users["agent"], kind="projects.reviewed").exists()
    assert not Notification.objects.filter(
        recipient=world.users["facilitator"], kind="projects.reviewed"
    ).exists()


def test_comments_notify_the_team_and_mentions_the_mentioned(world):
    from notifications.models import Notification

    comment = services.comment_add(
        actor=world.users["facilitator"],
        deliverable=world.cadrage,
        body="@Élise Élue, qu'en pensez-vous ?",
        mentioned=[world.users["elu"]],
        allowed_mentions=[world.users["elu"], world.users["agent"]],
    )
    assert Notification.objects.filter(recipient=world.users["elu"], kind="projects.mention").count() == 1
    assert not Notification.objects.filter(recipient=world.users["elu"], kind="projects.comment").exists()
    assert Notification.objects.filter(recipient=world.users["dgs"], kind="projects.comment").exists()
    with pytest.raises(DomainError):
        services.comment_add(
            actor=world.users["facilitator"],
            deliverable=world.cadrage,
            body="@Victor",
            mentioned=[world.users["outsider"]],
            allowed_mentions=[world.users["elu"]],
        )
    reply = services.comment_add(
        actor=world.users["agent"], deliverable=world.cadrage, body="Oui.", parent=comment
    )
    assert reply.parent == comment
    services.comment_resolve(actor=world.users["agent"], comment=comment)
    with pytest.raises(DomainError):
        services.comment_resolve(actor=world.users["agent"], comment=comment)
    with pytest.raises(DomainError):
        services.comment_resolve(actor=world.users["agent"], comment=reply)
    services.comment_reopen(actor=world.users["agent"], comment=comment)
    comment.refresh_from_db()
    assert comment.resolved_at is None


def test_a_private_note_stays_on_its_project(world):
    with pytest.raises(DomainError):
        services.private_note_add(
            actor=world.users["facilitator"], project=world.other_project, body="x", deliverable=world.cadrage
        )
    note = services.private_note_add(
        actor=world.users["facilitator"], project=world.project, body="À suivre."
    )
    assert note.project == world.project

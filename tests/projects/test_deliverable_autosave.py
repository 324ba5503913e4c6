"""Saving answers without ever losing one: the autosave, a stale version's conflict view and its two choices,
two people saving at once, refused texts, the history and its restore."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from projects.models import Answer, AnswerRevision, Project, Stage

HTMX = {"HTTP_HX_REQUEST": "true"}


def save_url(deliverable, number=1):
    return reverse("projects:answer_save", args=[deliverable.project_id, deliverable.kind, number])


def history_url(deliverable, number=1):
    return reverse("projects:answer_history", args=[deliverable.project_id, deliverable.kind, number])


def restore_url(deliverable, revision, number=1):
    return reverse(
        "projects:answer_restore", args=[deliverable.project_id, deliverable.kind, number, revision.pk]
    )


def answer_of(deliverable, number=1):
    return Answer.objects.get(deliverable=deliverable, question__number=number)


@pytest.mark.django_db
def test_an_autosave_stores_the_text_and_answers_with_the_time_and_the_new_version(world, client_for):
    response = client_for("agent").post(
        save_url(world.draft), {"text": "Un agent à temps plein.", "version": 1}, **HTMX
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert content.startswith("Enregistré à ")
    assert 'name="version" value="2"' in content and 'data-hx-swap-oob="true"' in content
    answer = answer_of(world.draft)
    assert (answer.text, answer.version, answer.updated_by) == (
        "Un agent à temps plein.",
        2,
        world.users["agent"],
    )
    assert answer.revisions.first().text == "Un agent à temps plein."


@pytest.mark.django_db
def test_a_first_answer_starts_from_version_zero(world, client_for):
    response = client_for("dgs").post(
        save_url(world.draft, 3), {"text": "Trois étapes.", "version": 0}, **HTMX
    )
    assert response.status_code == 200
    assert answer_of(world.draft, 3).version == 1


@pytest.mark.django_db
def test_without_javascript_the_save_button_saves_and_comes_back_to_the_question(world, client_for):
    response = client_for("agent").post(save_url(world.draft), {"text": "Sans JavaScript.", "version": 1})
    assert response.status_code == 302
    assert response["Location"].endswith("#question-1")
    assert answer_of(world.draft).text == "Sans JavaScript."


@pytest.mark.django_db
def test_a_stale_version_gets_the_conflict_view_with_both_texts_and_overwrites_nothing(world, client_for):
    dgs, agent = client_for("dgs"), client_for("agent")
    assert (
        dgs.post(save_url(world.draft), {"text": "Texte de Dominique.", "version": 1}, **HTMX).status_code
        == 200
    )
    response = agent.post(save_url(world.draft), {"text": "Texte d'Antoine.", "version": 1}, **HTMX)
    assert response.status_code == 409
    assert response["HX-Retarget"] == "#answer-1-conflict"
    content = response.content.decode()
    assert "Texte d&#x27;Antoine." in content and "Texte de Dominique." in content
    assert "Garder mon texte" in content and "Garder l'autre texte" in content
    assert "Le texte enregistré par Dominique DGS" in content
    answer = answer_of(world.draft)
    assert (answer.text, answer.version) == ("Texte de Dominique.", 2)
    lost = answer.revisions.get(is_conflict=True)
    assert (lost.text, lost.saved_by) == ("Texte d'Antoine.", world.users["agent"])


@pytest.mark.django_db
def test_keeping_my_text_saves_it_against_the_current_version_and_both_stay_in_history(world, client_for):
    client_for("dgs").post(save_url(world.draft), {"text": "Texte de Dominique.", "version": 1}, **HTMX)
    agent = client_for("agent")
    agent.post(save_url(world.draft), {"text": "Texte d'Antoine.", "version": 1}, **HTMX)
    response = agent.post(
        save_url(world.draft), {"text": "Texte d'Antoine.", "version": 2, "choice": "mine"}, **HTMX
    )
    assert response.status_code == 200
    # The whole editor comes back, holding the chosen text and the new version.
    content = response.content.decode()
    assert 'id="answer-1-editor"' in content and ">Texte d&#x27;Antoine.</textarea>" in content
    assert 'name="version" value="3"' in content
    answer = answer_of(world.draft)
    assert (answer.text, answer.version) == ("Texte d'Antoine.", 3)
    texts = set(answer.revisions.values_list("text", flat=True))
    assert {"Texte de Dominique.", "Texte d'Antoine."} <= texts


@pytest.mark.django_db
def test_keeping_the_other_text_changes_nothing_and_loses_nothing(world, client_for):
    client_for("dgs").post(save_url(world.draft), {"text": "Texte de Dominique.", "version": 1}, **HTMX)
    agent = client_for("agent")
    agent.post(save_url(world.draft), {"text": "Texte d'Antoine.", "version": 1}, **HTMX)
    response = agent.post(
        save_url(world.draft), {"text": "Texte de Dominique.", "version": 2, "choice": "theirs"}, **HTMX
    )
    assert response.status_code == 200
    answer = answer_of(world.draft)
    assert (answer.text, answer.version) == ("Texte de Dominique.", 2)
    assert answer.revisions.filter(is_conflict=True, text="Texte d'Antoine.").exists()


@pytest.mark.django_db
def test_without_javascript_a_conflict_is_a_page_with_both_texts(world, client_for):
    client_for("dgs").post(save_url(world.draft), {"text": "Texte de Dominique.", "version": 1})
    response = client_for("agent").post(save_url(world.draft), {"text": "Texte d'Antoine.", "version": 1})
    assert response.status_code == 409
    content = response.content.decode()
    assert "<h1>" in content and "Texte d&#x27;Antoine." in content and "Texte de Dominique." in content


# Serialized rollback: the test starts from the data migrations' rows whatever transactional test ran before.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_saving_from_the_same_version_at_once_get_exactly_one_conflict(world):
    clients = {}
    for role in ("agent", "dgs"):
        clients[role] = Client()
        clients[role].force_login(world.users[role])
    barrier = threading.Barrier(2)
    statuses = {}

    def save(role):
        try:
            barrier.wait()
            response = clients[role].post(
                save_url(world.draft), {"text": f"Texte de {role}.", "version": 1}, **HTMX
            )
            statuses[role] = response.status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(role,)) for role in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses.values()) == [200, 409]
    winner = next(role for role, status in statuses.items() if status == 200)
    loser = next(role for role, status in statuses.items() if status == 409)
    answer = answer_of(world.draft)
    assert (answer.text, answer.version) == (f"Texte de {winner}.", 2)
    kept = AnswerRevision.objects.filter(answer=answer)
    assert kept.get(is_conflict=False, version=2).text == f"Texte de {winner}."
    assert kept.get(is_conflict=True).text == f"Texte de {loser}."


@pytest.mark.django_db
def test_an_oversized_answer_is_refused_in_french_and_the_previous_text_is_kept(world, client_for, settings):
    settings.ANSWER_MAX_CHARS = 100
    response = client_for("agent").post(save_url(world.draft), {"text": "x" * 101, "version": 1}, **HTMX)
    assert response.status_code == 422
    assert "Une réponse ne peut pas dépasser 100 caractères (elle en compte 101)" in response.content.decode()
    assert answer_of(world.draft).text == "Un agent à mi-temps."


@pytest.mark.django_db
def test_without_javascript_a_refused_text_comes_back_in_its_form(world, client_for, settings):
    settings.ANSWER_MAX_CHARS = 100
    response = client_for("agent").post(save_url(world.draft), {"text": "y" * 101, "version": 1})
    assert response.status_code == 422
    content = response.content.decode()
    assert "y" * 101 + "</textarea>" in content
    assert "ne peut pas dépasser 100 caractères" in content


@pytest.mark.parametrize(
    "payload",
    [
        {"text": "Sans version"},
        {"text": "Version fausse", "version": "abc"},
        {"text": "nul\x00", "version": 1},
    ],
)
@pytest.mark.django_db
def test_a_malformed_save_is_refused_with_a_message(payload, world, client_for):
    response = client_for("agent").post(save_url(world.draft), payload, **HTMX)
    assert response.status_code == 422
    assert "Non enregistré" in response.content.decode()
    assert answer_of(world.draft).text == "Un agent à mi-temps."


@pytest.mark.django_db
def test_a_save_on_a_submitted_note_is_refused(world, client_for):
    response = client_for("agent").post(save_url(world.cadrage), {"text": "Trop tard", "version": 1}, **HTMX)
    assert response.status_code == 422
    assert "Cette note est soumise : elle ne peut plus être modifiée" in response.content.decode()
    assert world.answer.text == answer_of(world.cadrage).text


@pytest.mark.django_db
def test_a_save_at_the_current_version_on_an_abandoned_project_is_refused_and_changes_nothing(
    world, client_for
):
    before = answer_of(world.draft)
    Project.objects.filter(pk=world.draft.project_id).update(
        stage=Stage.ABANDONED, abandon_reason="Plus de financement."
    )
    response = client_for("agent").post(
        save_url(world.draft), {"text": "Écrit après l'abandon", "version": before.version}, **HTMX
    )
    assert response.status_code == 422
    assert "Ce projet est abandonné : ses livrables ne sont plus modifiables." in response.content.decode()
    after = answer_of(world.draft)
    assert (after.text, after.version) == (before.text, before.version)
    assert not after.revisions.filter(text="Écrit après l'abandon").exists()


@pytest.mark.django_db
def test_a_question_of_another_number_does_not_exist(world, client_for):
    response = client_for("agent").post(save_url(world.draft, 9), {"text": "?", "version": 0}, **HTMX)
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_history_lists_who_saved_what_and_marks_conflicting_texts(world, client_for):
    client_for("dgs").post(save_url(world.draft), {"text": "Texte de Dominique.", "version": 1}, **HTMX)
    client_for("agent").post(save_url(world.draft), {"text": "Texte d'Antoine.", "version": 1}, **HTMX)
    response = client_for("elu").get(history_url(world.draft))
    assert response.status_code == 200
    content = response.content.decode()
    for text in ("Un agent à mi-temps.", "Texte de Dominique.", "Texte d&#x27;Antoine."):
        assert text in content
    assert "Dominique DGS" in content and "Antoine Agent" in content
    assert "Texte en conflit, non appliqué" in content
    assert "Restaurer" not in content  # the élu reads only


@pytest.mark.django_db
def test_restoring_an_earlier_text_makes_it_the_new_version(world, client_for):
    agent = client_for("agent")
    agent.post(save_url(world.draft), {"text": "Deuxième texte.", "version": 1}, **HTMX)
    first = answer_of(world.draft).revisions.get(version=1)
    assert "Restaurer le texte du" in agent.get(history_url(world.draft)).content.decode()
    response = agent.post(restore_url(world.draft, first), {"version": 2})
    assert response.status_code == 302 and response["Location"].endswith("#question-1")
    answer = answer_of(world.draft)
    assert (answer.text, answer.version) == ("Un agent à mi-temps.", 3)
    assert answer.revisions.first().restored_from == first


@pytest.mark.django_db
def test_restoring_against_a_stale_version_keeps_both_texts_and_says_so(world, client_for):
    agent = client_for("agent")
    agent.post(save_url(world.draft), {"text": "Deuxième texte.", "version": 1}, **HTMX)
    first = answer_of(world.draft).revisions.get(version=1)
    response = agent.post(restore_url(world.draft, first), {"version": 1}, follow=True)
    assert "La réponse a été modifiée entre-temps" in response.content.decode()
    answer = answer_of(world.draft)
    assert answer.text == "Deuxième texte."
    assert answer.revisions.filter(is_conflict=True, text="Un agent à mi-temps.").exists()


@pytest.mark.django_db
def test_only_the_team_restores_and_only_revisions_of_that_answer(world, client_for):
    revision = world.draft_answer_revision
    assert client_for("elu").post(restore_url(world.draft, revision), {"version": 1}).status_code == 403
    assert (
        client_for("facilitator").post(restore_url(world.draft, revision), {"version": 1}).status_code == 403
    )
    other = world.answer_revision  # an answer of another project's note
    assert client_for("agent").post(restore_url(world.draft, other), {"version": 1}).status_code == 404

"""The deliverable page and the submission: who reads, who writes, what each one sees; script shown inert;
a submission with missing answers lists them."""

import pytest
from django.urls import reverse

from accounts.models import PlatformRole
from projects import services
from projects.models import DeliverableStatus, DeliverableVersion
from tests.factories import UserFactory
from tests.test_security import assert_scripts_carry_the_nonce

pytestmark = pytest.mark.django_db


def page_url(deliverable):
    return reverse("projects:deliverable", args=[deliverable.project_id, deliverable.kind])


def save_url(deliverable, number):
    return reverse("projects:answer_save", args=[deliverable.project_id, deliverable.kind, number])


def submit_url(deliverable):
    return reverse("projects:submit", args=[deliverable.project_id, deliverable.kind])


@pytest.mark.parametrize("role", ["agent", "dgs", "elu", "facilitator", "admin"])
def test_the_territory_s_team_facilitator_and_admin_read_the_deliverable(role, world, client_for):
    response = client_for(role).get(page_url(world.cadrage))
    assert response.status_code == 200
    assert "Quelles sont les parties prenantes directes et indirectes ?" in response.content.decode()


def test_an_agent_of_another_territory_does_not_see_the_deliverable(world, client_for):
    assert client_for("outsider").get(page_url(world.cadrage)).status_code == 404
    response = client_for("outsider").post(save_url(world.draft, 1), {"text": "Intrusion", "version": 1})
    assert response.status_code == 404


def test_anonymous_is_sent_to_log_in_and_an_expired_autosave_gets_401(world, client):
    response = client.get(page_url(world.cadrage))
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]
    response = client.post(
        save_url(world.draft, 1), {"text": "Perdu ?", "version": 1}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 401


def test_an_unrelated_facilitator_does_not_see_the_deliverable(world, client):
    client.force_login(UserFactory(role=PlatformRole.FACILITATOR))
    assert client.get(page_url(world.cadrage)).status_code == 404


def test_a_facilitator_following_the_territory_reads_but_never_writes(world, client):
    follower = UserFactory(role=PlatformRole.FACILITATOR)
    world.territory.facilitators.add(follower)
    client.force_login(follower)
    response = client.get(page_url(world.draft))
    assert response.status_code == 200
    assert 'name="text"' not in response.content.decode()
    assert client.post(save_url(world.draft, 1), {"text": "Non", "version": 1}).status_code == 403
    assert world.draft.answers.get(question__number=1).text == "Un agent à mi-temps."


def test_the_elu_outside_the_project_team_reads_only(world, client_for):
    elu = client_for("elu")
    content = elu.get(page_url(world.draft)).content.decode()
    assert "Un agent à mi-temps." in content
    assert "autosave" not in content and "Soumettre la" not in content
    assert elu.post(save_url(world.draft, 1), {"text": "Non", "version": 1}).status_code == 403
    assert elu.post(submit_url(world.draft)).status_code == 403


def test_the_elu_writes_once_the_team_adds_them(world, client_for):
    world.draft_project.members.add(world.users["elu"])
    content = client_for("elu").get(page_url(world.draft)).content.decode()
    assert 'id="answer-1-text"' in content


def test_a_team_member_gets_the_edit_mode_on_a_draft(world, client_for):
    content = client_for("dgs").get(page_url(world.draft)).content.decode()
    for number in (1, 2, 3, 4):
        assert f'id="answer-{number}-text"' in content
    assert "Enregistré le" in content
    assert "Soumettre la note de faisabilité" in content
    assert "js/autosave.js" in content


def test_a_submitted_note_reads_without_forms_even_for_its_team(world, client_for):
    content = client_for("agent").get(page_url(world.cadrage)).content.decode()
    assert 'name="text"' not in content
    assert "La note est soumise à la relecture" in content
    assert "Groupe des agents" in content and "Coopérer" in content


def test_an_answer_s_script_is_shown_inert_and_its_markdown_rendered(world, client_for):
    question = world.draft.question_set.questions.get(number=2)
    services.answer_save(
        actor=world.users["agent"],
        deliverable=world.draft,
        question=question,
        text='<script>alert("x")</script> **Région** et [lien](javascript:alert(1))\n\n- un\n- deux',
        base_version=0,
    )
    world.draft.status = DeliverableStatus.SUBMITTED
    world.draft.submitted_at = world.draft.created_at
    world.draft.save()
    content = client_for("elu").get(page_url(world.draft)).content.decode()
    assert '<script>alert("x")' not in content
    assert '&lt;script&gt;alert("x")&lt;/script&gt;' in content
    assert "<strong>Région</strong>" in content
    assert 'href="javascript' not in content
    assert "<li>un</li>" in content


def test_a_submission_with_missing_answers_lists_them_and_changes_nothing(world, client_for):
    response = client_for("agent").post(submit_url(world.draft))
    assert response.status_code == 422
    content = response.content.decode()
    assert "Répondez d'abord à ces questions obligatoires" in content
    # Question 1 has a text and question 2 has no row nor text: 2 is listed, 1 is not; 3 has a step.
    assert 'href="#question-2"' in content
    assert 'href="#question-4"' in content
    assert 'href="#question-1"' not in content and 'href="#question-3"' not in content
    assert "Réponse obligatoire manquante" in content
    world.draft.refresh_from_db()
    assert world.draft.status == DeliverableStatus.DRAFT
    assert not DeliverableVersion.objects.filter(deliverable=world.draft).exists()


def test_a_complete_note_is_submitted_and_reads_as_submitted(world, client_for):
    for question in world.draft.question_set.questions.exclude(number=1):
        services.answer_save(
            actor=world.users["dgs"], deliverable=world.draft, question=question, text="Oui.", base_version=0
        )
    client = client_for("agent")
    response = client.post(submit_url(world.draft), follow=True)
    assert response.redirect_chain[-1][0] == page_url(world.draft)
    content = response.content.decode()
    assert "La note de faisabilité est soumise" in content
    world.draft.refresh_from_db()
    assert world.draft.status == DeliverableStatus.SUBMITTED
    assert world.draft.versions.count() == 1


def test_submitting_a_note_already_submitted_says_why(world, client_for):
    response = client_for("agent").post(submit_url(world.cadrage), follow=True)
    assert "ne peut plus être modifié" in response.content.decode()
    assert world.cadrage.versions.count() == 1


def test_a_deliverable_not_yet_open_does_not_exist(world, client_for):
    url = reverse("projects:deliverable", args=[world.project.pk, "faisabilite"])
    assert client_for("agent").get(url).status_code == 404
    url = reverse("projects:deliverable", args=[world.project.pk, "inconnu"])
    assert client_for("agent").get(url).status_code == 404


def test_the_edit_mode_loads_its_script_with_the_policy_s_nonce(world, client_for):
    response = client_for("agent").get(page_url(world.draft))
    assert_scripts_carry_the_nonce(response)
    assert 'src="/static/js/autosave.js"' in response.content.decode()

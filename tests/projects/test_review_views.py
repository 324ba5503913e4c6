"""The review pages: who may decide, comment, read private notes and versions; decisions, threads, mentions,
and bad input (a French message, never a 500, nothing typed lost)."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import PlatformRole
from notifications.models import Notification
from projects import services
from projects.models import (
    Comment,
    DeliverableKind,
    DeliverableStatus,
    DeliverableVersion,
    PrivateNote,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _url(name, deliverable, **extra):
    return reverse(name, kwargs={"pk": deliverable.project_id, "kind": deliverable.kind, **extra})


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def follower(world):
    """A facilitator who follows the pilot territory but is not assigned to the project."""
    user = UserFactory(full_name="Félix Suiveur", role=PlatformRole.FACILITATOR)
    world.territory.facilitators.add(user)
    return user


@pytest.fixture
def stranger(world):
    """A facilitator of La Fabrique with nothing to do with the pilot territory."""
    return UserFactory(full_name="Sacha Ailleurs", role=PlatformRole.FACILITATOR)


# --- Who may do what -------------------------------------------------------------------------------------


def test_the_assigned_facilitator_reads_the_submitted_version_on_the_review_page(world, client_for):
    response = client_for("facilitator").get(_url("projects:review", world.cadrage))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Relecture : Note de cadrage" in page
    assert "Quelles sont les parties prenantes directes et indirectes ?" in page
    assert "Groupe des agents" in page  # the stakeholders table of the snapshot
    assert "Et les élus ?" in page  # the thread of question 1
    assert 'name="decision"' in page
    # Who submitted the version, on the page's lead and in its panel.
    agent = world.users["agent"].get_full_name()
    assert re.search(rf"Version 1, soumise le [^<]+ par {agent}\.", html.unescape(page))
    assert re.search(rf"Version 1, le [^<]+ par {agent}</dd>", html.unescape(page))


def test_a_facilitator_following_the_territory_but_not_assigned_cannot_decide(world, follower):
    client = _client(follower)
    assert client.get(_url("projects:review", world.cadrage)).status_code == 403
    response = client.post(_url("projects:review", world.cadrage), {"decision": "validate", "version": 1})
    assert response.status_code == 403
    world.cadrage.refresh_from_db()
    assert world.cadrage.status == DeliverableStatus.SUBMITTED
    # He still reads the project, comments on it and shares the facilitators' private notes.
    assert client.get(_url("projects:versions", world.cadrage)).status_code == 200
    response = client.post(_url("projects:comment_add", world.cadrage), {"body": "Vu."})
    assert response.status_code == 302
    response = client.post(
        reverse("projects:private_note_add", args=[world.project.pk]), {"body": "À suivre."}
    )
    assert response.status_code == 302


def test_a_facilitator_of_another_territory_does_not_learn_the_project_exists(world, stranger):
    client = _client(stranger)
    for url in (
        _url("projects:review", world.cadrage),
        _url("projects:versions", world.cadrage),
        _url("projects:version", world.cadrage, number=1),
    ):
        assert client.get(url).status_code == 404
    assert client.post(_url("projects:comment_add", world.cadrage), {"body": "Bonjour"}).status_code == 404
    url = reverse("projects:private_note_add", args=[world.project.pk])
    assert client.post(url, {"body": "Note"}).status_code == 404
    assert not Comment.objects.filter(author=stranger).exists()


@pytest.mark.parametrize("role", ["agent", "dgs", "elu"])
def test_the_territory_team_cannot_open_the_review_page(world, client_for, role):
    assert client_for(role).get(_url("projects:review", world.cadrage)).status_code == 403
    assert client_for(role).get(_url("projects:reopen", world.intention)).status_code == 403


def test_an_elu_reads_the_versions_but_cannot_comment(world, client_for):
    client = client_for("elu")
    assert client.get(_url("projects:versions", world.cadrage)).status_code == 200
    response = client.post(_url("projects:comment_add", world.cadrage), {"body": "Mon avis"})
    assert response.status_code == 403
    response = client.post(_url("projects:comment_resolve", world.cadrage, comment_pk=world.comment.pk))
    assert response.status_code == 403
    assert not Comment.objects.filter(body="Mon avis").exists()
    world.comment.refresh_from_db()
    assert world.comment.resolved_at is None


def test_the_outsider_gets_404_everywhere(world, client_for):
    client = client_for("outsider")
    assert client.get(_url("projects:review", world.cadrage)).status_code == 404
    assert client.get(_url("projects:compare", world.cadrage)).status_code == 404
    assert client.post(_url("projects:comment_add", world.cadrage), {"body": "x"}).status_code == 404
    response = client.post(_url("projects:comment_reopen", world.cadrage, comment_pk=world.comment.pk))
    assert response.status_code == 404


def test_an_expired_session_gets_401_with_htmx_so_the_typed_text_stays_in_the_page(world, client_for):
    client = client_for("anonymous")
    response = client.post(_url("projects:comment_add", world.cadrage), {"body": "Mon texte"}, **HTMX)
    assert response.status_code == 401
    url = reverse("projects:private_note_add", args=[world.project.pk])
    assert client.post(url, {"body": "Ma note"}, **HTMX).status_code == 401
    # Without htmx, the login page as everywhere.
    response = client.post(_url("projects:comment_add", world.cadrage), {"body": "Mon texte"})
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]


def test_a_comment_of_another_deliverable_is_not_found_through_this_one(world, client_for):
    url = _url("projects:comment_resolve", world.intention, comment_pk=world.comment.pk)
    assert client_for("facilitator").post(url).status_code == 404


# --- Decisions -------------------------------------------------------------------------------------------


def test_validating_freezes_the_note_and_opens_the_next_one(world, client_for):
    client = client_for("facilitator")
    response = client.post(
        _url("projects:review", world.cadrage),
        {"decision": "validate", "message": "Très clair.", "version": 1},
    )
    assert response.status_code == 302
    assert response["Location"] == _url("projects:deliverable", world.cadrage)
    world.cadrage.refresh_from_db()
    assert world.cadrage.status == DeliverableStatus.VALIDATED
    assert world.project.deliverables.filter(kind=DeliverableKind.FAISABILITE).exists()
    version = world.cadrage.versions.get()
    assert (version.decision, version.decision_message) == ("validated", "Très clair.")
    page = client.get(response["Location"]).content.decode()
    assert "La note de faisabilité est ouverte à l&#x27;équipe." in page


def test_asking_for_changes_sends_the_note_back_with_the_message(world, client_for):
    response = client_for("admin").post(
        _url("projects:review", world.cadrage),
        {"decision": "request_changes", "message": "Précisez les objectifs.", "version": 1},
    )
    assert response.status_code == 302
    world.cadrage.refresh_from_db()
    assert world.cadrage.status == DeliverableStatus.CHANGES_REQUESTED
    assert world.cadrage.versions.get().decision_message == "Précisez les objectifs."
    notified = Notification.objects.filter(kind="projects.reviewed", excerpt="Précisez les objectifs.")
    assert {n.recipient for n in notified} == {world.users["agent"], world.users["dgs"]}
    # The note's panel names who decided.
    admin = world.users["admin"].get_full_name()
    page = client_for("agent").get(_url("projects:deliverable", world.cadrage)).content.decode()
    assert re.search(rf"\(version 1\), par {admin} le ", html.unescape(page))


def test_asking_for_changes_without_a_message_is_refused_in_french(world, client_for):
    response = client_for("facilitator").post(
        _url("projects:review", world.cadrage), {"decision": "request_changes", "message": "  ", "version": 1}
    )
    assert response.status_code == 400
    assert "Expliquez à l&#x27;équipe ce qui est à reprendre." in response.content.decode()
    world.cadrage.refresh_from_db()
    assert world.cadrage.status == DeliverableStatus.SUBMITTED


def test_a_decision_on_a_version_the_reviewer_has_not_read_is_refused(world, client_for):
    response = client_for("facilitator").post(
        _url("projects:review", world.cadrage), {"decision": "validate", "version": 7}
    )
    assert response.status_code == 400
    assert "Une autre version a été soumise" in response.content.decode()
    world.cadrage.refresh_from_db()
    assert world.cadrage.status == DeliverableStatus.SUBMITTED


def test_a_decision_on_a_deliverable_that_is_not_submitted_shows_the_service_s_french_message(
    world, client_for
):
    response = client_for("facilitator").post(
        _url("projects:review", world.intention),
        {"decision": "request_changes", "message": "Encore ?", "version": 1},
    )
    assert response.status_code == 400
    assert "Seul un livrable soumis peut être relu." in response.content.decode()
    world.intention.refresh_from_db()
    assert world.intention.status == DeliverableStatus.VALIDATED


def test_a_decision_without_a_choice_keeps_the_message_typed(world, client_for):
    response = client_for("facilitator").post(
        _url("projects:review", world.cadrage), {"message": "Mon long message de relecture", "version": 1}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choisissez une décision." in page
    assert "Mon long message de relecture" in page


def test_reopening_a_validated_note_starts_a_new_revision(world, client_for):
    response = client_for("facilitator").post(
        _url("projects:reopen", world.intention), {"reason": "Le diagnostic a changé."}
    )
    assert response.status_code == 302
    world.intention.refresh_from_db()
    assert (world.intention.status, world.intention.revision) == (DeliverableStatus.DRAFT, 2)
    assert Notification.objects.filter(
        kind="projects.reviewed", recipient=world.users["agent"], excerpt="Le diagnostic a changé."
    ).exists()


def test_reopening_without_a_reason_is_refused(world, client_for):
    response = client_for("facilitator").post(_url("projects:reopen", world.intention), {"reason": ""})
    assert response.status_code == 400
    assert "Dites pourquoi le livrable est rouvert." in response.content.decode()
    world.intention.refresh_from_db()
    assert world.intention.status == DeliverableStatus.VALIDATED


def test_a_submitted_note_cannot_be_reopened(world, client_for):
    client = client_for("facilitator")
    page = client.get(_url("projects:reopen", world.cadrage)).content.decode()
    assert "Seule une note validée peut être rouverte : celle-ci est soumise." in html.unescape(page)
    response = client.post(_url("projects:reopen", world.cadrage), {"reason": "Pour voir"})
    assert response.status_code == 400
    world.cadrage.refresh_from_db()
    assert world.cadrage.status == DeliverableStatus.SUBMITTED


# --- Comments --------------------------------------------------------------------------------------------


def _question(deliverable, number):
    return deliverable.question_set.questions.get(number=number)


def test_the_team_comments_on_a_question_without_javascript(world, client_for):
    question = _question(world.cadrage, 2)
    response = client_for("dgs").post(
        _url("projects:comment_add", world.cadrage), {"body": "Objectifs revus.", "question": question.pk}
    )
    comment = Comment.objects.get(body="Objectifs revus.")
    assert response.status_code == 302
    # Through the page that shows its thread, even beyond its question's first open threads.
    assert (
        response["Location"]
        == _url("projects:deliverable", world.cadrage) + f"?discussion={comment.pk}#commentaire-{comment.pk}"
    )
    assert comment.question == question
    assert comment.version == world.cadrage.versions.get()


def test_a_comment_sent_from_the_review_page_comes_back_to_it(world, client_for):
    response = client_for("facilitator").post(
        _url("projects:comment_add", world.cadrage), {"body": "Général.", "return_to": "review"}
    )
    assert response["Location"].startswith(_url("projects:review", world.cadrage))


def test_with_htmx_the_question_s_threads_come_back_with_the_new_comment(world, client_for):
    question = _question(world.cadrage, 1)
    response = client_for("agent").post(
        _url("projects:comment_add", world.cadrage),
        {"body": "Nous ajoutons les *élus*.", "question": question.pk},
        **HTMX,
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert f'id="discussion-q{question.pk}"' in fragment
    assert "Et les élus ?" in fragment and "Nous ajoutons les" in fragment
    assert "Commentaire publié." in fragment


def test_a_reply_to_a_reply_joins_the_thread_s_first_comment(world, client_for):
    client = client_for("agent")
    client.post(
        _url("projects:comment_add", world.cadrage), {"body": "Réponse 1", "parent": world.comment.pk}
    )
    reply = Comment.objects.get(body="Réponse 1")
    client.post(_url("projects:comment_add", world.cadrage), {"body": "Réponse 2", "parent": reply.pk})
    second = Comment.objects.get(body="Réponse 2")
    assert reply.parent == world.comment and second.parent == world.comment
    assert second.question == world.comment.question


def test_the_thread_s_participants_are_told_of_a_reply(world, client_for):
    client_for("dgs").post(
        _url("projects:comment_add", world.cadrage), {"body": "Oui.", "parent": world.comment.pk}
    )
    assert Notification.objects.filter(
        kind="projects.comment", recipient=world.users["facilitator"], excerpt="Oui."
    ).exists()


def test_an_empty_comment_is_refused_in_french_without_javascript(world, client_for):
    response = client_for("agent").post(_url("projects:comment_add", world.cadrage), {"body": "   "})
    assert response.status_code == 400
    assert "Le commentaire est vide." in response.content.decode()
    assert Comment.objects.count() == 1


def test_an_oversized_comment_is_refused_and_the_text_kept(world, client_for, settings):
    body = "Très long. " * (settings.COMMENT_MAX_CHARS // 10)
    question = _question(world.cadrage, 3)
    response = client_for("agent").post(
        _url("projects:comment_add", world.cadrage), {"body": body, "question": question.pk}, **HTMX
    )
    fragment = response.content.decode()
    assert response.status_code == 200
    assert "Assurez-vous que cette valeur comporte au plus" in fragment
    assert body.strip() in fragment
    assert 'aria-invalid="true"' in fragment
    assert Comment.objects.count() == 1


def test_a_script_in_a_comment_is_shown_inert(world, client_for):
    client = client_for("agent")
    client.post(_url("projects:comment_add", world.cadrage), {"body": "<script>alert('x')</script>Bonjour"})
    page = client_for("facilitator").get(_url("projects:review", world.cadrage)).content.decode()
    assert "<script>alert" not in page
    assert "Bonjour" in page


def test_a_question_of_another_note_is_refused(world, client_for):
    foreign = _question(world.intention, 1)
    response = client_for("agent").post(
        _url("projects:comment_add", world.cadrage), {"body": "Ailleurs", "question": foreign.pk}, **HTMX
    )
    assert response.status_code == 400
    assert "Ce choix n&#x27;est pas proposé" in response.content.decode()
    assert not Comment.objects.filter(body="Ailleurs").exists()


def test_a_reply_to_a_comment_of_another_note_is_refused(world, client_for):
    other = services.comment_add(
        actor=world.users["agent"], deliverable=world.intention, body="Sur l'intention"
    )
    response = client_for("agent").post(
        _url("projects:comment_add", world.cadrage), {"body": "Réponse égarée", "parent": other.pk}
    )
    assert response.status_code == 400
    assert "Le commentaire auquel vous répondez n&#x27;existe plus." in response.content.decode()


def test_a_thread_is_resolved_then_reopened(world, client_for):
    client = client_for("agent")
    response = client.post(
        _url("projects:comment_resolve", world.cadrage, comment_pk=world.comment.pk), **HTMX
    )
    assert response.status_code == 200
    assert "Discussion résolue." in response.content.decode()
    world.comment.refresh_from_db()
    assert world.comment.resolved_by == world.users["agent"]
    response = client.post(_url("projects:comment_reopen", world.cadrage, comment_pk=world.comment.pk))
    assert response.status_code == 302
    world.comment.refresh_from_db()
    assert world.comment.resolved_at is None


def test_a_resolved_thread_is_a_summary_whose_messages_load_when_it_is_opened(world, client_for):
    services.comment_resolve(actor=world.users["agent"], comment=world.comment)
    client = client_for("facilitator")
    page = client.get(_url("projects:deliverable", world.cadrage)).content.decode()
    thread_url = _url("projects:comment_thread", world.cadrage, comment_pk=world.comment.pk)
    assert "Discussion résolue par Antoine Agent (1 message)" in page
    assert world.comment.body not in page
    # Its anchor stays in the page, inside the closed summary: a link to the comment still leads there.
    assert f'<span id="commentaire-{world.comment.pk}"></span>' in page
    assert f'data-hx-get="{thread_url}?partie=messages"' in page
    assert f'<a href="{thread_url}">Lire la discussion</a>' in page
    fragment = client.get(f"{thread_url}?partie=messages", **HTMX).content.decode()
    assert "<html" not in fragment
    assert f'<article class="comment" id="commentaire-{world.comment.pk}">' in fragment
    assert world.comment.body in fragment


def test_an_open_thread_loads_its_reply_form_when_reply_is_opened(world, client_for):
    client = client_for("agent")
    page = client.get(_url("projects:deliverable", world.cadrage)).content.decode()
    thread_url = _url("projects:comment_thread", world.cadrage, comment_pk=world.comment.pk)
    assert world.comment.body in page
    assert f'data-hx-get="{thread_url}?partie=reponse"' in page
    assert page.count('name="parent"') == 0
    fragment = client.get(f"{thread_url}?partie=reponse", **HTMX).content.decode()
    assert "<html" not in fragment
    assert f'name="parent" value="{world.comment.pk}"' in fragment
    assert 'data-hx-post="' + _url("projects:comment_add", world.cadrage) + '"' in fragment
    assert "Votre réponse" in fragment and "csrfmiddlewaretoken" in fragment


def test_without_javascript_a_thread_opens_on_its_page_where_one_reads_replies_and_resolves(
    world, client_for
):
    client = client_for("agent")
    thread_url = _url("projects:comment_thread", world.cadrage, comment_pk=world.comment.pk)
    page = client.get(_url("projects:deliverable", world.cadrage)).content.decode()
    assert f'<a href="{thread_url}#repondre">Répondre sur la page de la discussion</a>' in page

    response = client.get(thread_url)
    assert response.status_code == 200
    content = response.content.decode()
    assert world.comment.body in content and 'id="repondre"' in content
    assert f'name="parent" value="{world.comment.pk}"' in content
    assert "data-hx-post" not in content.split("<main", 1)[1]
    response = client.post(
        _url("projects:comment_add", world.cadrage),
        {"body": "Réponse sans JavaScript.", "parent": world.comment.pk, "return_to": "deliverable"},
    )
    reply = Comment.objects.get(body="Réponse sans JavaScript.")
    page = _url("projects:deliverable", world.cadrage)
    assert response["Location"] == f"{page}?discussion={world.comment.pk}#commentaire-{reply.pk}"
    assert "Réponse sans JavaScript." in client.get(thread_url).content.decode()

    response = client.post(_url("projects:comment_resolve", world.cadrage, comment_pk=world.comment.pk))
    assert response.status_code == 302
    content = client.get(thread_url).content.decode()
    assert "Discussion résolue par Antoine Agent (2 messages)" in content
    assert "Réponse sans JavaScript." in content
    assert 'id="repondre"' not in content and "Rouvrir la discussion" in content


def test_a_thread_read_from_the_review_page_leads_back_to_it(world, client_for):
    client = client_for("facilitator")
    page = client.get(_url("projects:review", world.cadrage)).content.decode()
    thread_url = _url("projects:comment_thread", world.cadrage, comment_pk=world.comment.pk)
    assert f"{thread_url}?return_to=review&amp;partie=reponse" in page
    content = client.get(f"{thread_url}?return_to=review").content.decode()
    assert 'name="return_to" value="review"' in content
    review_url = _url("projects:review", world.cadrage)
    assert f'href="{review_url}?discussion={world.comment.pk}#commentaire-{world.comment.pk}"' in content


def test_an_elu_reads_a_thread_without_a_reply_form(world, client_for):
    client = client_for("elu")
    thread_url = _url("projects:comment_thread", world.cadrage, comment_pk=world.comment.pk)
    content = client.get(thread_url).content.decode()
    assert world.comment.body in content
    assert 'name="parent"' not in content and "Marquer comme résolue" not in content
    assert client.get(f"{thread_url}?partie=reponse", **HTMX).status_code == 403


def test_a_reply_or_a_comment_of_another_note_has_no_thread_page(world, client_for):
    reply = services.comment_add(
        actor=world.users["agent"], deliverable=world.cadrage, body="Une réponse.", parent=world.comment
    )
    client = client_for("agent")
    assert client.get(_url("projects:comment_thread", world.cadrage, comment_pk=reply.pk)).status_code == 404
    intention = world.project.deliverables.get(kind=DeliverableKind.INTENTION)
    other = _url("projects:comment_thread", intention, comment_pk=world.comment.pk)
    assert client.get(other).status_code == 404


def test_a_reply_cannot_be_resolved_alone(world, client_for):
    reply = services.comment_add(
        actor=world.users["agent"], deliverable=world.cadrage, body="Réponse", parent=world.comment
    )
    client = client_for("facilitator")
    response = client.post(_url("projects:comment_resolve", world.cadrage, comment_pk=reply.pk), follow=True)
    assert "C&#x27;est la discussion entière qui se résout" in response.content.decode()
    reply.refresh_from_db()
    assert reply.resolved_at is None


# --- Mentions --------------------------------------------------------------------------------------------


def test_a_mentioned_team_member_is_notified(world, client_for):
    response = client_for("facilitator").post(
        _url("projects:comment_add", world.cadrage), {"body": "@dominique dgs pouvez-vous préciser ?"}
    )
    assert response.status_code == 302
    comment = Comment.objects.get(body__startswith="@dominique")
    assert list(comment.mentions.all()) == [world.users["dgs"]]
    mention = Notification.objects.get(kind="projects.mention", recipient=world.users["dgs"])
    assert "vous a mentionné" in mention.title
    # The mention replaces the ordinary comment notification for that person.
    assert not Notification.objects.filter(
        kind="projects.comment", recipient=world.users["dgs"], excerpt=comment.body
    ).exists()


def test_an_elu_of_the_territory_can_be_mentioned_since_they_read_the_project(world, client_for):
    client_for("agent").post(_url("projects:comment_add", world.cadrage), {"body": "Avis de @Élise Élue ?"})
    assert Notification.objects.filter(kind="projects.mention", recipient=world.users["elu"]).exists()


def test_mentioning_someone_without_access_is_refused(world, client_for):
    response = client_for("agent").post(
        _url("projects:comment_add", world.cadrage), {"body": "Merci @Victor Visiteur pour l'idée"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "« @Victor » ne désigne personne parmi celles et ceux qui ont accès au projet" in page
    assert "Merci @Victor Visiteur pour l&#x27;idée" in page
    assert not Comment.objects.filter(body__contains="Victor").exists()
    assert not Notification.objects.filter(recipient=world.users["outsider"]).exists()


def test_the_service_refuses_a_mention_outside_the_allowed_people(world):
    from core.errors import DomainError

    with pytest.raises(DomainError, match="accès au projet"):
        services.comment_add(
            actor=world.users["agent"],
            deliverable=world.cadrage,
            body="Bonjour",
            mentioned=[world.users["outsider"]],
            allowed_mentions=[world.users["dgs"]],
        )


def test_an_email_address_is_not_a_mention(world, client_for):
    client_for("agent").post(
        _url("projects:comment_add", world.cadrage), {"body": "Écrire à contact@tarn.fr"}
    )
    assert not Comment.objects.get(body__contains="contact@").mentions.exists()


# --- Private notes ---------------------------------------------------------------------------------------

SECRET = "Note confidentielle : tension entre les DGS"


def test_a_facilitator_adds_a_private_note_with_htmx(world, client_for):
    response = client_for("facilitator").post(
        reverse("projects:private_note_add", args=[world.project.pk]),
        {"body": SECRET, "deliverable": "cadrage", "return_to": "deliverable"},
        **HTMX,
    )
    assert response.status_code == 200
    assert SECRET in response.content.decode()
    assert PrivateNote.objects.get().deliverable == world.cadrage


@pytest.mark.parametrize("role", ["agent", "dgs", "elu"])
def test_the_territory_team_cannot_write_a_private_note(world, client_for, role):
    response = client_for(role).post(
        reverse("projects:private_note_add", args=[world.project.pk]), {"body": "x"}
    )
    assert response.status_code == 403
    assert not PrivateNote.objects.exists()


def test_an_empty_private_note_is_refused_in_french(world, client_for):
    response = client_for("facilitator").post(
        reverse("projects:private_note_add", args=[world.project.pk]), {"body": ""}
    )
    assert response.status_code == 400
    assert "La note est vide." in response.content.decode()


@pytest.mark.parametrize("role", ["agent", "dgs", "elu"])
def test_the_team_never_sees_a_private_note_on_any_page_or_fragment(world, client_for, role):
    services.private_note_add(actor=world.users["facilitator"], project=world.project, body=SECRET)
    services.private_note_add(
        actor=world.users["facilitator"], project=world.project, body=SECRET, deliverable=world.cadrage
    )
    client = client_for(role)
    pages = [
        reverse("projects:detail", args=[world.project.pk]),
        _url("projects:deliverable", world.cadrage),
        _url("projects:deliverable", world.intention),
        _url("projects:versions", world.cadrage),
        _url("projects:version", world.cadrage, number=1),
        _url("projects:compare", world.cadrage),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Note confidentielle" not in response.content.decode(), url
        assert "notes-privees" not in response.content.decode(), url
    if role != "elu":
        fragment = client.post(_url("projects:comment_add", world.cadrage), {"body": "Vu"}, **HTMX)
        assert "Note confidentielle" not in fragment.content.decode()


def test_facilitators_see_the_private_notes_on_the_deliverable_and_project_pages(world, client_for, follower):
    services.private_note_add(actor=world.users["facilitator"], project=world.project, body=SECRET)
    for client in (client_for("facilitator"), client_for("admin"), _client(follower)):
        assert SECRET in client.get(_url("projects:deliverable", world.cadrage)).content.decode()
        assert SECRET in client.get(_url("projects:deliverable", world.intention)).content.decode()
        assert SECRET in client.get(reverse("projects:detail", args=[world.project.pk])).content.decode()


def test_a_private_note_names_its_author_and_its_note_or_a_deleted_account(world, client_for):
    services.private_note_add(
        actor=world.users["facilitator"],
        project=world.project,
        body="Sur le cadrage.",
        deliverable=world.cadrage,
    )
    gone = UserFactory(full_name="Gaston Parti", role=PlatformRole.FACILITATOR)
    services.private_note_add(actor=gone, project=world.project, body="D'un compte supprimé.")
    PrivateNote.objects.filter(author=gone).update(author=None)
    page = html.unescape(
        client_for("facilitator").get(reverse("projects:detail", args=[world.project.pk])).content.decode()
    )
    notes = page[page.index('id="notes-privees"') :]
    assert re.search(
        r"<strong>Fanny Accompagnatrice</strong>\s*<time[^>]*>[^<]*</time>\s*"
        r'<span class="badge">Note de cadrage</span>\s*</p>\s*<div class="user-text"><p>Sur le cadrage\.',
        notes,
    )
    assert re.search(r"<strong>Compte supprimé</strong>\s*<time[^>]*>[^<]*</time>\s*</p>", notes)


# --- Versions --------------------------------------------------------------------------------------------


@pytest.fixture
def resubmitted(world):
    """The note de cadrage sent back once, its first answer rewritten (with a script in it), resubmitted."""
    cadrage, agent = world.cadrage, world.users["agent"]
    services.deliverable_request_changes(
        actor=world.users["facilitator"], deliverable=cadrage, message="Et les élus ?"
    )
    answer = cadrage.answers.get(question__number=1)
    services.answer_save(
        actor=agent,
        deliverable=cadrage,
        question=answer.question,
        text="Réponse de l'équipe élargie. <script>alert(1)</script>",
        base_version=answer.version,
    )
    services.deliverable_submit(actor=agent, deliverable=cadrage)
    return cadrage


def test_the_versions_list_shows_each_submission_and_its_decision(world, client_for, resubmitted):
    page = client_for("elu").get(_url("projects:versions", resubmitted)).content.decode()
    assert "Version 1" in page and "Version 2" in page
    assert "À reprendre" in page and "Et les élus ?" in page


def test_a_version_shows_its_snapshot_even_after_the_answer_changed(world, client_for, resubmitted):
    page = client_for("dgs").get(_url("projects:version", resubmitted, number=1)).content.decode()
    assert "équipe.</p>" in page
    assert "élargie" not in page


def test_comparing_two_versions_highlights_the_changes_and_keeps_a_script_inert(
    world, client_for, resubmitted
):
    response = client_for("agent").get(_url("projects:compare", resubmitted) + "?a=1&b=2")
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r"<del>l&#x27;équipe\.</del><ins>l&#x27;équipe élargie\. &lt;script", page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in page
    assert "<script>alert(1)" not in page
    assert "1 question a changé" in page


def test_comparing_defaults_to_the_last_two_versions(world, client_for, resubmitted):
    page = client_for("agent").get(_url("projects:compare", resubmitted)).content.decode()
    assert "De la version 1 à la version 2" in page


def test_comparing_a_version_with_itself_is_refused_in_french(world, client_for, resubmitted):
    response = client_for("agent").get(_url("projects:compare", resubmitted) + "?a=2&b=2")
    assert response.status_code == 400
    assert "Choisissez deux versions différentes." in response.content.decode()


@pytest.mark.parametrize("query", ["?a=1&b=9", "?a=x&b=2", "?a=99999999999999999999&b=1", "?b=2"])
def test_comparing_with_an_unknown_version_is_refused_in_french(world, client_for, resubmitted, query):
    response = client_for("agent").get(_url("projects:compare", resubmitted) + query)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ce choix n&#x27;est pas proposé" in page or "Ce champ est obligatoire." in page


def test_an_unknown_version_number_is_404(world, client_for):
    client = client_for("agent")
    assert client.get(_url("projects:version", world.cadrage, number=5)).status_code == 404
    assert client.get(_url("projects:version", world.cadrage, number=10**20)).status_code == 404


def test_the_review_page_links_to_what_changed_since_the_previous_version(world, client_for, resubmitted):
    page = client_for("facilitator").get(_url("projects:review", resubmitted)).content.decode()
    assert "?a=1&amp;b=2" in page
    assert DeliverableVersion.objects.filter(deliverable=resubmitted).count() == 2

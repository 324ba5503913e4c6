"""Peer groups and the interpellation through their views: who sees what, bad input, answering twice."""

import html

import pytest
from django.test import Client
from django.urls import reverse

from cooperation import services
from cooperation.models import (
    Attachment,
    Contribution,
    ContributionStatus,
    Decision,
    GroupKind,
    GroupMember,
    JoinStatus,
    PeerGroup,
    Post,
    ProposalStatus,
    Thread,
)
from notifications.models import Notification
from territories.models import TeamMember, TeamRole

from ..factories import UserFactory
from .factories import exe_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"cooperation:{name}", args=args)


# --- Privacy of a group ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["outsider", "dgs", "elu", "admin"])
def test_a_non_member_cannot_read_a_private_group_even_by_guessing_its_urls(role, world, client_for):
    group = world.agents_group
    client = client_for(role)
    for url in (
        _url("group_detail", group.pk),
        _url("members", group.pk),
        _url("thread_detail", group.pk, world.group_thread.pk),
        _url("meetings", group.pk),
        _url("work", group.pk),
        _url("attachment", group.pk, world.post_attachment.pk),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert world.group_thread.title.encode() not in response.content


def test_an_attachment_link_moved_to_another_group_is_not_served(world, client_for):
    # The DGS member tries the agents' attachment under her own group's URL.
    response = client_for("dgs").get(_url("attachment", world.dgs_group.pk, world.post_attachment.pk))
    assert response.status_code == 404


def test_a_member_downloads_an_attachment_under_its_own_name_and_never_inline(world, client_for):
    response = client_for("agent").get(_url("attachment", world.agents_group.pk, world.post_attachment.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="ordre-du-jour.txt"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"Points a aborder\n"
    assert world.post_attachment.file.name.startswith("cooperation/")
    assert "ordre-du-jour" not in world.post_attachment.file.name


def test_a_listed_group_shows_its_outline_but_not_its_inside_to_others(world, client_for):
    client = client_for("outsider")
    outline = client.get(_url("group_detail", world.dgs_group.pk))
    assert outline.status_code == 200
    assert "Votre demande pour rejoindre le groupe attend" in outline.content.decode()
    assert client.get(_url("work", world.dgs_group.pk)).status_code == 403


def test_a_person_asks_to_join_a_listed_group_and_a_facilitator_accepts(world, client_for):
    newcomer = UserFactory(full_name="Nora Nouvelle")
    client = Client()
    client.force_login(newcomer)
    response = client.post(_url("join", world.dgs_group.pk), {"message": "Je suis DGS à Carmaux."})
    assert response.status_code == 302
    join = world.dgs_group.join_requests.get(user=newcomer)
    assert Notification.objects.filter(kind="cooperation.join", recipient=world.users["facilitator"]).exists()
    assert client.get(_url("work", world.dgs_group.pk)).status_code == 403

    facilitator = client_for("facilitator")
    assert "Nora Nouvelle" in facilitator.get(_url("members", world.dgs_group.pk)).content.decode()
    facilitator.post(_url("request_decide", world.dgs_group.pk, join.pk), {"action": "accept"})
    join.refresh_from_db()
    assert join.status == JoinStatus.ACCEPTED
    assert client.get(_url("work", world.dgs_group.pk)).status_code == 200


def test_a_private_group_cannot_be_asked_to_join(world, client_for):
    response = client_for("outsider").post(_url("join", world.agents_group.pk), {})
    assert response.status_code == 404


def test_the_invited_person_joins_from_the_group_page(world, client_for):
    client = client_for("elu")
    page = client.get(_url("group_detail", world.dgs_group.pk)).content.decode()
    assert "Vous êtes invité·e dans ce groupe" in page
    client.post(
        _url("invitation_answer", world.dgs_group.pk, world.group_invitation.pk), {"action": "accept"}
    )
    assert GroupMember.objects.filter(group=world.dgs_group, user=world.users["elu"]).exists()


def test_someone_else_cannot_answer_an_invitation(world, client_for):
    url = _url("invitation_answer", world.dgs_group.pk, world.group_invitation.pk)
    assert client_for("dgs").post(url, {"action": "accept"}).status_code == 404
    assert not GroupMember.objects.filter(group=world.dgs_group, user=world.users["elu"]).exists()


def test_a_member_who_is_not_an_animator_cannot_invite(world, client_for):
    response = client_for("agent").post(_url("invite", world.agents_group.pk), {"email": "elu@exemple.fr"})
    assert response.status_code == 403


def test_inviting_an_unknown_address_gives_a_french_error(world, client_for):
    response = client_for("facilitator").post(
        _url("invite", world.agents_group.pk), {"email": "inconnue@exemple.fr", "role": "member"}
    )
    assert response.status_code == 400
    assert "Aucun compte n&#x27;utilise l&#x27;adresse inconnue@exemple.fr" in response.content.decode()


def test_a_territory_manager_creates_a_group_of_their_territory_only(world, client_for):
    kind = GroupKind.objects.get(name="Climat-PCAET")
    client = client_for("outsider")
    response = client.post(
        _url("group_create"),
        {"name": "Climat du Pôle", "kind": kind.pk, "scope": "territory", "territory": world.territory.pk},
    )
    assert response.status_code == 400
    response = client.post(
        _url("group_create"),
        {
            "name": "Climat de l'autre territoire",
            "kind": kind.pk,
            "scope": "territory",
            "territory": world.other_territory.pk,
        },
    )
    assert response.status_code == 302
    membership = GroupMember.objects.get(group__name="Climat de l'autre territoire")
    assert (membership.user, membership.role) == (world.users["outsider"], "facilitator")


def test_a_member_without_territory_to_manage_cannot_create_a_group(world, client_for):
    assert client_for("dgs").get(_url("group_create")).status_code == 403


# --- Discussions -------------------------------------------------------------------------------------------


def test_a_reply_with_a_mention_and_an_attachment_notifies_the_group(world, client_for):
    response = client_for("facilitator").post(
        _url("thread_detail", world.agents_group.pk, world.group_thread.pk),
        {
            "body": "Bonne idée @Antoine Agent, voici le compte-rendu.",
            "files": [upload("cr.pdf", pdf_bytes())],
        },
    )
    assert response.status_code == 302
    post = Post.objects.filter(thread=world.group_thread).latest("id")
    assert list(post.mentions.all()) == [world.users["agent"]]
    assert post.attachments.get().original_name == "cr.pdf"
    world.group_thread.refresh_from_db()
    assert world.group_thread.post_count == 2
    assert Notification.objects.filter(kind="cooperation.mention", recipient=world.users["agent"]).exists()


def test_an_executable_attachment_is_refused_and_the_message_is_kept(world, client_for):
    response = client_for("agent").post(
        _url("thread_detail", world.agents_group.pk, world.group_thread.pk),
        {"body": "Mon message important.", "files": [upload("rapport.pdf", exe_bytes())]},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "programme exécutable" in page
    assert "Mon message important." in page
    assert Post.objects.filter(thread=world.group_thread).count() == 1
    assert Attachment.objects.count() == 1


def test_an_oversized_attachment_is_refused_with_a_french_message(world, client_for, settings):
    settings.ATTACHMENT_MAX_BYTES = 2048
    response = client_for("agent").post(
        _url("thread_create", world.agents_group.pk),
        {"title": "Gros fichier", "body": "Voici.", "files": [upload("gros.pdf", pdf_bytes() + b" " * 4096)]},
    )
    assert response.status_code == 400
    assert "« gros.pdf » : Le fichier pèse" in response.content.decode()
    assert "la limite est de" in response.content.decode()
    assert not Thread.objects.filter(title="Gros fichier").exists()


def test_a_script_in_a_post_is_shown_inert(world, client_for):
    client = client_for("agent")
    client.post(
        _url("thread_detail", world.agents_group.pk, world.group_thread.pk),
        {
            "body": '<script>alert("x")</script><img src=x onerror=alert(1)>'
            '<a href="javascript:alert(1)">lien</a>'
        },
    )
    page = client.get(_url("thread_detail", world.agents_group.pk, world.group_thread.pk)).content.decode()
    assert '<script>alert("x")</script>' not in page
    assert "onerror" not in page
    assert "javascript:alert" not in page


def test_an_empty_reply_gives_a_french_error(world, client_for):
    response = client_for("agent").post(
        _url("thread_detail", world.agents_group.pk, world.group_thread.pk), {"body": ""}
    )
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()


# --- Meetings and work -------------------------------------------------------------------------------------


def test_a_meeting_records_its_minutes_and_attendance(world, client_for):
    response = client_for("facilitator").post(
        _url("meeting_edit", world.agents_group.pk, world.group_meeting.pk),
        {
            "title": "Séance de lancement",
            "starts_at": "2026-03-02T14:00",
            "place": "Carmaux",
            "minutes": "Nous avons listé nos besoins.",
            "attendees": [world.users["agent"].pk, world.users["facilitator"].pk],
        },
    )
    assert response.status_code == 302
    world.group_meeting.refresh_from_db()
    assert world.group_meeting.minutes == "Nous avons listé nos besoins."
    assert set(world.group_meeting.attendees.all()) == {world.users["agent"], world.users["facilitator"]}


def test_a_non_member_cannot_be_noted_present(world, client_for):
    response = client_for("facilitator").post(
        _url("meeting_edit", world.agents_group.pk, world.group_meeting.pk),
        {
            "title": "Séance",
            "starts_at": "2026-03-02T14:00",
            "place": "Carmaux",
            "attendees": [world.users["dgs"].pk],
        },
    )
    assert response.status_code == 400
    assert not world.group_meeting.attendees.exists()


def test_a_meeting_needs_a_place_or_a_link(world, client_for):
    response = client_for("agent").post(
        _url("meeting_create", world.agents_group.pk), {"title": "Séance", "starts_at": "2026-04-01T10:00"}
    )
    assert response.status_code == 400
    assert "Indiquez un lieu ou un lien de visioconférence." in response.content.decode()


def test_an_agreed_text_no_longer_changes(world, client_for):
    client = client_for("agent")
    client.post(_url("contribution_agree", world.agents_group.pk, world.group_contribution.pk))
    world.group_contribution.refresh_from_db()
    assert world.group_contribution.status == ContributionStatus.AGREED
    assert world.group_contribution.agreed_by == world.users["agent"]
    response = client.post(
        _url("contribution_edit", world.agents_group.pk, world.group_contribution.pk),
        {"kind": "proposal", "title": "Autre", "body": "Autre"},
    )
    assert response.status_code == 400
    assert "il ne change plus" in response.content.decode()
    assert Contribution.objects.get(pk=world.group_contribution.pk).title == "Des temps d'échange entre EPCI"


# --- The interpellation ------------------------------------------------------------------------------------


def test_an_elu_answers_once_and_both_groups_are_told(world, client_for):
    client = client_for("elu")
    url = _url("proposal_answer", world.joint_proposal.pk)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"decision": Decision.STUDYING, "response": "Nous étudions en comité.", "confirm": "on"}
    )
    assert response.status_code == 302
    world.joint_proposal.refresh_from_db()
    assert world.joint_proposal.status == ProposalStatus.ANSWERED
    recipients = set(
        Notification.objects.filter(kind="cooperation.answered").values_list("recipient__email", flat=True)
    )
    assert recipients == {"agent@exemple.fr", "dgs@exemple.fr", "facilitatrice@exemple.fr"}

    second = client.post(
        url, {"decision": Decision.REJECTED, "response": "Finalement non.", "confirm": "on"}, follow=True
    )
    assert "Cette proposition a déjà reçu la réponse des élu·es." in second.content.decode()
    world.joint_proposal.answer.refresh_from_db()
    assert world.joint_proposal.answer.decision == Decision.STUDYING
    for role in ("agent", "dgs"):
        page = client_for(role).get(_url("proposal_detail", world.joint_proposal.pk)).content.decode()
        assert "Nous étudions en comité." in page


def test_an_answer_without_text_gives_a_french_error(world, client_for):
    response = client_for("elu").post(
        _url("proposal_answer", world.joint_proposal.pk), {"decision": "adopted"}
    )
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    world.joint_proposal.refresh_from_db()
    assert world.joint_proposal.status == ProposalStatus.ADDRESSED


def test_an_answer_is_sent_only_once_its_final_character_is_confirmed(world, client_for):
    response = client_for("elu").post(
        _url("proposal_answer", world.joint_proposal.pk),
        {"decision": Decision.ADOPTED, "response": "Oui, nous adoptons."},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_confirm"' in page and 'aria-invalid="true"' in page
    world.joint_proposal.refresh_from_db()
    assert world.joint_proposal.status == ProposalStatus.ADDRESSED


def test_an_elu_of_another_territory_cannot_answer(world):
    other_elu = UserFactory(full_name="Olivier Autre-Élu")
    TeamMember.objects.create(territory=world.other_territory, user=other_elu, role=TeamRole.ELU)
    client = Client()
    client.force_login(other_elu)
    url = _url("proposal_answer", world.joint_proposal.pk)
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "adopted", "response": "Oui."}).status_code == 404
    assert client.get(_url("proposal_detail", world.joint_proposal.pk)).status_code == 404
    world.joint_proposal.refresh_from_db()
    assert world.joint_proposal.status == ProposalStatus.ADDRESSED


def test_the_elus_do_not_see_a_proposal_before_it_is_addressed(world, client_for):
    draft = services.proposal_create(
        actor=world.users["agent"], crossing=world.crossing, title="Brouillon", body="En cours."
    )
    assert client_for("elu").get(_url("proposal_detail", draft.pk)).status_code == 404
    assert client_for("dgs").get(_url("proposal_detail", draft.pk)).status_code == 200


def test_a_group_agrees_only_once_and_an_unshared_proposal_is_not_addressed(world, client_for):
    draft = services.proposal_create(
        actor=world.users["agent"], crossing=world.crossing, title="Brouillon", body="…"
    )
    client = client_for("agent")
    client.post(_url("proposal_agree", draft.pk), {"group": world.agents_group.pk})
    second = client.post(_url("proposal_agree", draft.pk), {"group": world.agents_group.pk}, follow=True)
    assert "Vos groupes ont déjà donné leur accord" in second.content.decode()
    response = client.post(_url("proposal_address", draft.pk), follow=True)
    assert "Seule une proposition partagée par les deux groupes" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.agreements.count()) == (ProposalStatus.AGREED_BY_ONE, 1)


def test_the_territory_dashboard_shows_each_stage_and_the_wait(world, client_for):
    page = client_for("elu").get(_url("territory_dashboard", world.territory.pk)).content.decode()
    assert "Un séminaire annuel des équipes" in page
    assert "attend depuis aujourd'hui" in page
    assert client_for("outsider").get(_url("territory_dashboard", world.territory.pk)).status_code == 403


@pytest.mark.parametrize("source", ["²", "١", "99999999999999999999"])
def test_a_proposal_source_that_is_not_plain_digits_is_ignored(world, client_for, source):
    url = reverse("cooperation:proposal_create", args=[world.crossing.pk])
    response = client_for("agent").get(url, {"source": source})
    assert response.status_code == 200
    assert not response.context["form"].initial


def test_an_elu_who_sees_no_group_is_told_that_private_groups_exist_only_for_their_members(world, client_for):
    world.dgs_group.__class__.objects.filter(pk=world.dgs_group.pk).update(is_listed=False)
    response = client_for("elu").get(_url("territory_dashboard", world.territory.pk))
    page = html.unescape(response.content.decode())
    assert "Aucun groupe de pairs que vous pouvez voir dans ce territoire" in page
    assert "Espace des agents du Pôle" not in page.split('id="groups-title"')[1]


def test_the_article_chosen_for_a_group_is_used_before_its_name(world, client_for):
    PeerGroup.objects.filter(pk=world.agents_group.pk).update(article="")
    client = client_for("facilitator")
    form = html.unescape(client.get(_url("group_edit", world.agents_group.pk)).content.decode())
    assert 'name="article"' in form
    data = {"name": "Espace des agents du Pôle", "article": "l_m", "description": "", "is_listed": ""}
    response = client.post(_url("group_edit", world.agents_group.pk), data)
    assert response.status_code == 302
    members = html.unescape(client.get(_url("members", world.agents_group.pk)).content.decode())
    assert "Les membres de l'Espace des agents du Pôle" in members

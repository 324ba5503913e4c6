"""Leaving a peer group: a member leaves after a confirmation page; what they wrote stays; a group never
loses its last animateur·ice."""

import pytest
from django.urls import reverse

from cooperation import services
from cooperation.models import GroupMember, GroupRole, Post
from core.errors import DomainError
from core.models import AuditEntry
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"cooperation:{name}", args=args)


def test_the_members_page_offers_to_leave_the_group(world, client_for):
    page = client_for("agent").get(_url("members", world.agents_group.pk)).content.decode()

    assert _url("leave", world.agents_group.pk) in page
    assert "Quitter le groupe" in page


def test_the_confirmation_page_says_what_leaving_means_and_asks_to_confirm(world, client_for):
    response = client_for("agent").get(_url("leave", world.agents_group.pk))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Vos messages et vos contributions restent dans le groupe." in page
    assert '<button type="submit" class="button button-danger">Quitter le groupe</button>' in page
    assert GroupMember.objects.filter(group=world.agents_group, user=world.users["agent"]).exists()


def test_a_member_leaves_the_group_and_its_animateur_ice_is_told(world, client_for):
    client = client_for("agent")
    group = world.agents_group

    response = client.post(_url("leave", group.pk))

    assert response.status_code == 302 and response["Location"] == _url("groups")
    assert not GroupMember.objects.filter(group=group, user=world.users["agent"]).exists()
    # What they wrote stays in the group.
    assert Post.objects.filter(thread=world.group_thread, author=world.users["agent"]).exists()
    assert AuditEntry.objects.filter(action="peer_group.leave", target_id=str(group.pk)).exists()
    assert Notification.objects.filter(
        recipient=world.users["facilitator"],
        kind="cooperation.join",
        title="Antoine Agent a quitté le groupe « Espace des agents du Pôle »",
    ).exists()
    followed = client.get(response["Location"])
    assert "Vous avez quitté le groupe « Espace des agents du Pôle »." in followed.content.decode()
    # The group is private: it no longer exists for them.
    assert client.get(_url("group_detail", group.pk)).status_code == 404


def test_the_last_animateur_ice_cannot_leave_and_is_told_why_in_french(world, client_for):
    client = client_for("facilitator")

    confirmation = client.get(_url("leave", world.agents_group.pk)).content.decode()
    response = client.post(_url("leave", world.agents_group.pk))

    assert "Vous animez ce groupe" in confirmation
    assert response.status_code == 400
    assert "seul·e animateur·ice de ce groupe" in response.content.decode()
    assert GroupMember.objects.filter(
        group=world.agents_group, user=world.users["facilitator"], role=GroupRole.FACILITATOR
    ).exists()
    assert not AuditEntry.objects.filter(action="peer_group.leave").exists()


def test_an_animateur_ice_leaves_when_another_one_stays(world, client_for):
    GroupMember.objects.filter(group=world.agents_group, user=world.users["agent"]).update(
        role=GroupRole.FACILITATOR
    )

    response = client_for("facilitator").post(_url("leave", world.agents_group.pk))

    assert response.status_code == 302
    remaining = GroupMember.objects.filter(group=world.agents_group)
    assert [(m.user, m.role) for m in remaining] == [(world.users["agent"], GroupRole.FACILITATOR)]


def test_one_who_is_not_a_member_cannot_leave(world, client_for):
    # A listed group exists for all signed in: refused. A private one: not found.
    assert client_for("agent").post(_url("leave", world.dgs_group.pk)).status_code == 403
    assert client_for("outsider").post(_url("leave", world.agents_group.pk)).status_code == 404
    assert client_for("anonymous").post(_url("leave", world.agents_group.pk)).status_code == 302
    assert GroupMember.objects.filter(group=world.dgs_group).count() == 2


def test_the_service_refuses_one_who_is_not_a_member(world):
    with pytest.raises(DomainError) as error:
        services.membership_leave(actor=world.users["outsider"], group=world.dgs_group)

    assert error.value.message == "Vous ne faites pas partie de ce groupe."


def test_one_who_left_a_listed_group_may_ask_to_join_again(world, client_for):
    client = client_for("dgs")
    client.post(_url("leave", world.dgs_group.pk))

    response = client.post(_url("join", world.dgs_group.pk), {"message": "Je reviens."})

    assert response.status_code == 302
    assert world.dgs_group.join_requests.filter(user=world.users["dgs"], status="pending").exists()

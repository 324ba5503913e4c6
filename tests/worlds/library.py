"""The library's objects in the test world: resources written by the agent (an alliance member) at each
stage of the review, a members-only one, and attachments."""

from library import services

from ..library.factories import make_resource, pdf_upload


def build(world):
    agent, admin = world.users["agent"], world.users["admin"]
    world.resource = make_resource(
        agent,
        title="Le schéma actantiel",
        summary="Un outil de Greimas pour raconter la coopération : destinateur, sujet, objet, quête.",
        themes=["cooperation-management"],
        territories=[world.territory],
        status="published",
        publisher=admin,
    )
    world.attachment = services.attachment_add(
        actor=agent, resource=world.resource, file=pdf_upload(), title="La fiche outil"
    )
    world.members_resource = make_resource(
        agent,
        title="Compte rendu du groupe de pairs des DGS",
        summary="Réservé aux membres de l'alliance.",
        members_only=True,
        status="published",
        publisher=admin,
    )
    world.draft_resource = make_resource(agent, title="La note d'intention, pas à pas")
    world.draft_attachment = services.attachment_add(
        actor=agent, resource=world.draft_resource, file=pdf_upload("brouillon.pdf"), title="Brouillon"
    )
    world.review_resource = make_resource(agent, title="Évaluer la valeur créée", status="review")

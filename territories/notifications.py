"""The invitation e-mail, sent through the outbox and written when it leaves."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.selectors import language_of_address
from outbox.compose import compose
from outbox.services import email_queue

from .models import Invitation, InvitationStatus

INVITATION = "territories.invitation"


def queue_invitation_email(invitation: Invitation) -> None:
    """In the transaction that created the invitation: the e-mail leaves once it commits."""
    email_queue(
        kind=INVITATION,
        to=invitation.email,
        object_id=invitation.pk,
        language=language_of_address(invitation.email),
    )


def render_invitation_email(email):
    """The invitation link, in the language of the invited person's account if they have one, else in French,
    whatever language the inviting manager used."""
    invitation = (
        Invitation.objects.select_related("territory", "invited_by").filter(pk=email.object_id).first()
    )
    if invitation is None or invitation.status != InvitationStatus.PENDING:
        # Revoked or replaced before it left: its link would only lead to a refusal.
        return None
    context = {
        "invitation": invitation,
        "inviter": invitation.invited_by,
        "action_url": f"{settings.SITE_URL}{reverse('territories:invitation', args=[invitation.token])}",
        "action_label": _("Répondre à l'invitation"),
    }
    return compose(
        "territories/email/invitation",
        context,
        to=[invitation.email],
        # An answer to the e-mail reaches the person who sent the invitation, not a no-reply box.
        reply_to=[invitation.invited_by.email] if invitation.invited_by else [],
    )

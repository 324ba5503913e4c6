from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Invitation, InvitationStatus


def send_invitation_email(invitation_id: int) -> None:
    """Send the invitation link, in French whatever language the inviting manager used."""
    invitation = Invitation.objects.select_related("territory", "invited_by").get(pk=invitation_id)
    if invitation.status != InvitationStatus.PENDING:
        # Revoked or replaced before the task ran: its link would only lead to a refusal.
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation,
            "inviter": invitation.invited_by,
            "url": f"{settings.SITE_URL}{reverse('territories:invitation', args=[invitation.token])}",
        }
        subject = render_to_string("territories/email/invitation_subject.txt", context).strip()
        body = render_to_string("territories/email/invitation.txt", context)
    EmailMessage(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [invitation.email],
        # An answer to the e-mail reaches the person who sent the invitation, not a no-reply box.
        reply_to=[invitation.invited_by.email] if invitation.invited_by else None,
    ).send()

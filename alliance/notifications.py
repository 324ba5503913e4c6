"""The e-mails of an application's life, sent through the outbox and written when they leave."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from outbox.compose import compose
from outbox.services import email_queue

from .models import Membership

MEMBERSHIP = "alliance.membership"

# The statuses an e-mail announces (membership_status*.txt say each in its words).
ANNOUNCED = ("candidate", "accepted", "refused", "suspended", "withdrawn")


def queue_membership_email(membership: Membership) -> None:
    """In the transaction of the decision. The status is kept with the e-mail: a second decision taken
    before the first e-mail left does not change what the first one announces."""
    if membership.status not in ANNOUNCED:
        return
    email_queue(
        kind=MEMBERSHIP,
        to=membership.signatory.email,
        object_id=membership.pk,
        params={"status": membership.status},
        language=membership.signatory.reading_language,
    )


def render_membership_email(email):
    """Where the application stands, in the signatory's language, whatever language the admin used."""
    membership = (
        Membership.objects.select_related("signatory", "organisation", "charter")
        .filter(pk=email.object_id, signatory__is_active=True)
        .first()
    )
    if membership is None:
        return None
    # As it was decided, which may no longer be its status now.
    membership.status = email.params.get("status", membership.status)
    context = {
        "membership": membership,
        "action_url": f"{settings.SITE_URL}{reverse('alliance:membership', args=[membership.pk])}",
        "action_label": _("Suivre votre adhésion"),
    }
    return compose("alliance/email/membership_status", context, to=[membership.signatory.email])

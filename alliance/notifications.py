from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Membership

_SUBJECTS = {
    "candidate": "alliance/email/application_received_subject.txt",
    "accepted": "alliance/email/accepted_subject.txt",
    "refused": "alliance/email/refused_subject.txt",
    "suspended": "alliance/email/suspended_subject.txt",
    "withdrawn": "alliance/email/withdrawn_subject.txt",
}


def send_membership_email(membership_id: int) -> None:
    """Tell the applicant where their membership stands, in French, whatever language the admin used."""
    membership = Membership.objects.select_related("signatory", "organisation").get(pk=membership_id)
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "membership": membership,
            "url": f"{settings.SITE_URL}{reverse('alliance:membership', args=[membership.pk])}",
        }
        subject = render_to_string(_SUBJECTS[membership.status], context).strip()
        body = render_to_string("alliance/email/membership_status.txt", context)
    send_mail(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [membership.signatory.email],
    )

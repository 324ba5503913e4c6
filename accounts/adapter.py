from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.utils import translation

from outbox.services import email_queue_rendered


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # The profile fields of the sign-up form are cleaned by SignupProfileForm.
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        user.full_name = data.get("full_name", "")
        user.function = data.get("function", "")
        user.family = data.get("family") or user.family
        if commit:
            user.save()
        return user

    def format_email_subject(self, subject: str) -> str:
        # The outbox adds the platform's prefix to every e-mail, allauth's as the others.
        return subject

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's e-mails (verification, password reset, account and MFA notices) leave through the
        outbox like every other: written now, in the language of the request, since their one-time key only
        exists here; sent by a worker, retried, never lost when the broker is down."""
        message = self.render_mail(
            template_prefix, email, {"request": allauth_context.request, "email": email, **context}
        )
        html = next((body for body, mimetype in message.alternatives if mimetype == "text/html"), "")
        email_queue_rendered(
            to=email,
            subject=message.subject,
            text=message.body,
            html=html,
            language=translation.get_language(),
        )

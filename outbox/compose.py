"""Writing a message: its own words from templates, in the platform's layout.

An e-mail's template says only what this e-mail has to say (`<name>_subject.txt`, `<name>.txt`, plain
text). The layout (templates/emails/layout.txt and .html) makes both parts of every e-mail from it: the
platform's name, the link to what the e-mail is about (`action_url`, `action_label` in the context), the
link to the notification preferences and the contact address. The HTML part is the same text, escaped, its
paragraphs and links marked up: the two parts never say different things.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from .registry import Message

PLATFORM_NAME = "La Fabrique des Transitions"


def platform_context() -> dict:
    return {
        "platform_name": PLATFORM_NAME,
        "contact_email": settings.CONTACT_EMAIL,
        "preferences_url": settings.SITE_URL + reverse("notifications:preferences"),
    }


def compose(
    template: str,
    context: dict,
    *,
    to: list[str],
    reply_to=(),
    subject_template: str = "",
    body_template: str = "",
) -> Message:
    context = {**platform_context(), **context}
    subject = " ".join(render_to_string(subject_template or f"{template}_subject.txt", context).split())
    body = render_to_string(body_template or f"{template}.txt", context).strip()
    layout = {**context, "subject": subject, "body": body}
    return Message(
        to=list(to),
        subject=subject,
        text=render_to_string("emails/layout.txt", layout),
        html=render_to_string("emails/layout.html", layout),
        reply_to=list(reply_to),
    )

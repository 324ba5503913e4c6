"""Writing a message from templates: `<name>_subject.txt`, `<name>.txt` and `<name>.html`."""

from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from .registry import Message


def compose(template: str, context: dict, *, to: list[str], reply_to=()) -> Message:
    subject = render_to_string(f"{template}_subject.txt", context)
    text = render_to_string(f"{template}.txt", context)
    try:
        html = render_to_string(f"{template}.html", context)
    except TemplateDoesNotExist:
        html = ""
    return Message(
        to=list(to), subject=" ".join(subject.split()), text=text, html=html, reply_to=list(reply_to)
    )

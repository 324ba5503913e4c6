"""`{% review_block question_id %}`: the comment threads of a question (or, with None, of the whole note) as
the review blocks show them, built in Python (projects.review.threads_html): a note under review may hold
hundreds. `{% review_open_threads summary %}`: the summary's list of open threads. `{% review_threads_page
page %}`: a further page of either, as htmx puts it in place of the « voir plus » that asked for it.
`{% review_comment_form question %}`: the comment form of a question's block (None: of the whole note's),
`{% review_comment_form parent=… key=… label=… button=… %}` a reply's (projects.review.comment_form_html)."""

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from ..review import comment_form_html, open_threads_html, threads_html

register = template.Library()


def _threads_html(context, review, threads, **kwargs):
    def failed_reply_form(thread):
        # The reply form a failed reply came from, open with its text and errors: the template, rarely.
        return render_to_string(
            "projects/review/_reply_form.html",
            {**context.flatten(), "thread": thread},
        )

    return threads_html(
        threads,
        can_comment=review["can_comment"],
        return_to=review["return_to"],
        csrf_token=str(context.get("csrf_token", "")),
        failed_key=(review.get("failed") or {}).get("key"),
        failed_reply_form=failed_reply_form,
        **kwargs,
    )


@register.simple_tag(takes_context=True)
def review_block(context, question_id):
    review = context["review"]
    block = review["blocks"].get(question_id)
    if not block:
        return ""
    return _threads_html(context, review, block.threads, more=block.more)


@register.simple_tag
def review_open_threads(summary):
    """The summary's items of the open threads and its « voir plus » (projects.review.open_threads_html)."""
    return open_threads_html(summary["open_threads"], summary["more"])


@register.simple_tag(takes_context=True)
def review_threads_page(context, page):
    if page["summary"]:
        return open_threads_html(page["open_threads"], page["more"], wrap=False)
    return _threads_html(context, page, page["threads"], more=page["more"], wrap=False)


@register.simple_tag(takes_context=True)
def review_comment_form(context, question=None, *, parent=None, plain=False, **words):
    review = context["review"]
    # The form's action, reversed once for the page's forms.
    action = review.get("comment_action")
    if action is None:
        action = review["comment_action"] = reverse(
            "projects:comment_add", args=[review["project"].pk, review["deliverable"].kind]
        )
    key = words.get("key", "")
    label, label_more = words.get("label", ""), words.get("label_more", "")
    button, button_more = words.get("button", ""), words.get("button_more", "")
    if parent is None and not key:
        # A block's own form: on a question, or on the whole note.
        if question is None:
            key, label = "general", gettext("Commentaire sur l'ensemble du livrable")
            button_more = gettext("sur l'ensemble du livrable")
        else:
            key = f"q{question.pk}"
            label = gettext("Commenter la question %(number)s") % {"number": question.number}
            button_more = gettext("sur la question %(number)s") % {"number": question.number}
        button = gettext("Publier le commentaire")
    return comment_form_html(
        action=action,
        csrf_token=str(context.get("csrf_token", "")),
        return_to=review["return_to"],
        key=key,
        label=label,
        button=button,
        label_more=label_more,
        button_more=button_more,
        question_id=question.pk if question is not None and parent is None else None,
        parent_id=parent.pk if parent is not None else None,
        failed=review.get("failed"),
        plain=bool(plain),
    )

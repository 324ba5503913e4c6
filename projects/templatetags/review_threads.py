"""`{% review_threads threads %}`: the comment threads of a question (or of the whole note) as the review
blocks show them, built in Python (projects.review.threads_html): a note under review may hold hundreds."""

from django import template
from django.template.loader import render_to_string

from ..review import open_threads_html, threads_html

register = template.Library()


@register.simple_tag(takes_context=True)
def review_threads(context, threads):
    review = context["review"]

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
    )


@register.simple_tag
def review_open_threads(open_threads):
    """The summary's list items of the open threads (projects.review.open_threads_html)."""
    return open_threads_html(open_threads)

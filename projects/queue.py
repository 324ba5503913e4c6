"""The review queue's table, built in Python: the page lists a facilitator's or the admins' submitted
deliverables, and the template language spent most of its time on these rows' lookups, filters and URLs."""

from html import escape

from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from core.dates import duration, short_datetime

from .models import DeliverableKind


def review_queue_rows_html(deliverables) -> SafeString:
    """The rows of the review queue's table (deliverables read by `selectors.review_queue` with
    `with_review_counts`). Plain f-strings with every value escaped (`escape`): the template language spent
    most of the page's time on these rows' lookups, filters and URLs."""
    kinds = {kind: str(label) for kind, label in DeliverableKind.choices}
    zone = timezone.get_current_timezone()
    now = timezone.now()
    rows = []
    for d in deliverables:
        project = d.project
        version = gettext("version %(v)s, révision %(r)s") % {"v": d.version_number or 1, "r": d.revision}
        submitted = d.submitted_at.astimezone(zone) if d.submitted_at else None
        rows.append(
            f'    <tr id="livrable-{int(d.pk)}">\n'
            f'      <th scope="row"><a href="{escape(d.get_absolute_url())}">{escape(kinds[d.kind])}</a>\n'
            f'        <br><span class="muted">{escape(version)}</span></th>\n'
            f'      <td><a href="{escape(project.get_absolute_url())}">{escape(project.title)}</a></td>\n'
            f"      <td>{escape(project.territory.name)}</td>\n"
            f'      <td><time datetime="{submitted.strftime("%Y-%m-%dT%H:%M:%S%z") if submitted else ""}">'
            f"{escape(short_datetime(submitted))}</time></td>\n"
            f'      <td class="waiting">{escape(duration(d.submitted_at, now))}</td>\n'
            f"      <td>{int(d.open_threads)}</td>\n"
            "    </tr>\n"
        )
    return SafeString("".join(rows))

"""The review queue's table, built in Python: the page lists a facilitator's or the admins' submitted
deliverables, and the template language spent most of its time on these rows' lookups, filters and URLs."""

from html import escape

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from core.dates import duration, short_datetime

from .models import DeliverableKind

# A primary key no row has: a URL reversed once with it is the pattern of every row's URL, rather than a
# reverse() per link (two a row, most of the table's time).
_PK = 9876543210


def _url_of(name, *args):
    """A function of a pk giving the URL `name` reverses to with (pk, *args)."""
    before, after = reverse(name, args=[_PK, *args]).split(str(_PK), 1)
    return lambda pk: f"{before}{int(pk)}{after}"


def review_queue_rows_html(rows) -> SafeString:
    """The rows of the review queue's table (`selectors.review_queue_rows`). Plain f-strings with every value
    escaped (`escape`): the template language spent most of the page's time on these rows' lookups, filters
    and URLs."""
    kinds = {kind: str(label) for kind, label in DeliverableKind.choices}
    project_url = _url_of("projects:detail")
    deliverable_urls = {kind: _url_of("projects:deliverable", kind) for kind in kinds}
    zone = timezone.get_current_timezone()
    now = timezone.now()
    html = []
    for row in rows:
        version = gettext("version %(v)s, révision %(r)s") % {"v": row.version_number or 1, "r": row.revision}
        submitted = row.submitted_at.astimezone(zone) if row.submitted_at else None
        html.append(
            f'    <tr id="livrable-{int(row.pk)}">\n'
            f'      <th scope="row"><a href="{escape(deliverable_urls[row.kind](row.project_id))}">'
            f"{escape(kinds[row.kind])}</a>\n"
            f'        <br><span class="muted">{escape(version)}</span></th>\n'
            f'      <td><a href="{escape(project_url(row.project_id))}">'
            f"{escape(row.project__title)}</a></td>\n"
            f"      <td>{escape(row.project__territory__name)}</td>\n"
            f'      <td><time datetime="{submitted.strftime("%Y-%m-%dT%H:%M:%S%z") if submitted else ""}">'
            f"{escape(short_datetime(submitted))}</time></td>\n"
            f'      <td class="waiting">{escape(duration(row.submitted_at, now))}</td>\n'
            f"      <td>{int(row.open_threads)}</td>\n"
            "    </tr>\n"
        )
    return SafeString("".join(html))

"""The result cards of the library's list, built in Python: a search page shows twenty of them, and the
template language spent a good part of the page's time on their lookups, labels and filters."""

from html import escape

from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext

from core.dates import long_date

from .models import ResourceKind


def resource_cards_html(resources) -> SafeString:
    """The `<li>` card of each resource (read with `selectors.with_tag_names`, with its `excerpt` when a
    search found it); every value escaped (`escape`) or already safe (the excerpt)."""
    kinds = {kind: escape(str(label)) for kind, label in ResourceKind.choices}
    members = escape(gettext("Réservée aux membres"))
    cards = []
    for resource in resources:
        meta = f'<span class="badge badge-kind">{kinds.get(resource.kind, escape(resource.kind))}</span>'
        if resource.members_only:
            meta += f' <span class="badge badge-members">{members}</span>'
        if resource.published_at:
            published = gettext("publiée le %(d)s") % {"d": escape(long_date(resource.published_at))}
            meta += f' <span class="muted">{published}</span>'
        excerpt = getattr(resource, "excerpt", None)
        if excerpt:
            text = f'<p class="excerpt">{excerpt}</p>'
        else:
            text = f"<p>{escape(Truncator(resource.summary).words(45, truncate=' …'))}</p>"
        themes, territories = resource.theme_names, resource.territory_names
        tags = ""
        if themes or territories:
            tags = (
                '\n        <p class="resource-tags muted">\n          '
                + "".join(f'<span class="resource-tag">{escape(theme)}</span> ' for theme in themes)
                + "\n          "
                + "".join(
                    f'<span class="resource-tag resource-tag-territory">{escape(territory)}</span> '
                    for territory in territories
                )
                + "\n        </p>"
            )
        cards.append(
            '      <li class="card resource-card">\n'
            f'        <p class="resource-meta">{meta}</p>\n'
            f'        <h3><a href="{escape(resource.get_absolute_url())}">{escape(resource.title)}</a></h3>\n'
            f"        {text}{tags}\n"
            "      </li>\n"
        )
    return SafeString("".join(cards))

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from .selectors import published_resources

FEED_SIZE = 30


class ResourcesFeed(Feed):
    """The latest published public resources, as an Atom feed."""

    feed_type = Atom1Feed
    title = _("Patrimoine commun — La Fabrique des Transitions")
    subtitle = _(
        "Les dernières ressources publiées par l'alliance : fiches outils, méthodes, retours d'expérience…"
    )
    link = reverse_lazy("library:list")
    feed_url = reverse_lazy("library:feed")

    def items(self):
        return list(published_resources().prefetch_related("themes", "authors")[:FEED_SIZE])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Atom's summary is HTML to the reader: the plain text is escaped so that it stays text.
        return escape(item.summary)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        names = [str(author) for author in item.authors.all()]
        if item.credits:
            names.append(item.credits)
        return ", ".join(names) or None

    def item_categories(self, item):
        return [item.get_kind_display(), *(theme.shown_name for theme in item.themes.all())]

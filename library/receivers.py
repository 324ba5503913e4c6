"""What the library does when a lower app tells it something; connected in apps.py."""

from territories.signals import territory_publication_changed

from .services import resources_reindex_for_territory


def reindex_on_publication(sender, *, territory, **kwargs):
    """A territory's name enters or leaves the search vectors of its resources with its publication."""
    resources_reindex_for_territory(territory=territory)


def connect():
    territory_publication_changed.connect(reindex_on_publication, dispatch_uid="library.reindex_territory")

"""What territories tell the apps above them, which connect receivers in their AppConfig.ready():
territories never import them."""

from django.dispatch import Signal

# A territory was published or unpublished: `territory`. Sent inside the service's transaction, so that
# what the higher apps derive from publication (the library's search index, which must never find a private
# territory's name) commits or rolls back with it.
territory_publication_changed = Signal()

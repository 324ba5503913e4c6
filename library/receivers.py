"""What the library does when a lower app tells it something; connected in apps.py."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from core.models import Theme
from territories.models import Territory
from territories.signals import territory_publication_changed

from .models import Resource
from .selectors import forget_searches
from .services import resources_reindex_for_territory, resources_reindex_for_theme


def reindex_on_publication(sender, *, territory, **kwargs):
    """A territory's name enters or leaves the search vectors of its resources with its publication."""
    resources_reindex_for_territory(territory=territory)


def reindex_on_theme_change(sender, *, instance, created, raw=False, **kwargs):
    """A theme's names are in the search vectors of its resources: renamed, they are written again."""
    if not created and not raw:
        resources_reindex_for_theme(theme=instance)


def forget_kept_searches(sender, **kwargs):
    """What a search shows changed: the searches kept are forgotten (selectors.forget_searches)."""
    forget_searches()


def connect():
    territory_publication_changed.connect(reindex_on_publication, dispatch_uid="library.reindex_territory")
    post_save.connect(reindex_on_theme_change, sender=Theme, dispatch_uid="library.reindex_theme")
    for model in (Resource, Theme, Territory):
        uid = f"library.forget.{model.__name__}"
        post_save.connect(forget_kept_searches, sender=model, dispatch_uid=uid)
        post_delete.connect(forget_kept_searches, sender=model, dispatch_uid=uid)
    for through in (Resource.themes.through, Resource.territories.through):
        uid = f"library.forget.{through.__name__}"
        m2m_changed.connect(forget_kept_searches, sender=through, dispatch_uid=uid)

"""What the public site does when a lower app's data changes; connected in apps.py."""

from django.db.models.signals import post_delete, post_save

from alliance.models import Charter, Membership, Organisation
from library.models import Resource
from territories.models import Territory

from .models import ContentBlock
from .selectors import forget_home

# What the home page shows: its texts, the charter's link, the directory's counts, the next event and the
# latest resources, the pilot territories.
HOME_SOURCES = (ContentBlock, Charter, Membership, Organisation, Resource, Territory)


def forget_kept_home(sender, **kwargs):
    forget_home()


def connect():
    for model in HOME_SOURCES:
        uid = f"pages.forget_home.{model.__name__}"
        post_save.connect(forget_kept_home, sender=model, dispatch_uid=uid)
        post_delete.connect(forget_kept_home, sender=model, dispatch_uid=uid)

"""The person's own writes on their account (the personal data export and erasure live in privacy.py)."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.audit import audit

from .models import Session, User

# The fields a person edits on their profile page.
PROFILE_FIELDS = ["full_name", "function", "phone", "family", "language"]


def profile_update(*, user: User) -> User:
    """Save the person's profile: `user` carries the new values of PROFILE_FIELDS (from its form)."""
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        user.save(update_fields=PROFILE_FIELDS)
        audit(actor=user, action="profile.update", target=user)
    return user


def language_set(*, user: User, language: str) -> User:
    """Record the language the person chose to read the platform and their e-mails in."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unknown language {language!r}")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.language != language:
            locked.language = language
            locked.save(update_fields=["language"])
            audit(actor=user, action="profile.language", target=locked, language=language)
    user.language = language
    return user


def sessions_clear_expired() -> int:
    """Remove the sessions past their end (run each night by beat): the session engine never reads them again,
    but nothing else removes them, and the table would grow with every visit. Returns how many went."""
    deleted, _by_model = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted

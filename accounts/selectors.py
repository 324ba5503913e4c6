"""Reads of accounts: the admins' register of personal data requests; the language to write to someone in."""

from django.conf import settings

from .models import PrivacyRequest, User


def privacy_requests():
    """Every export and deletion asked for, the newest first."""
    return PrivacyRequest.objects.select_related("user").order_by("-created_at", "-id")


def chosen_language_of_address(email: str) -> str:
    """The language the active account of an e-mail address chose, or "" (no account, or no choice)."""
    language = (
        User.objects.filter(email__iexact=email.strip(), is_active=True)
        .values_list("language", flat=True)
        .first()
    )
    return language or ""


def language_of_address(email: str) -> str:
    """The language to write to an e-mail address in: that of the active account it belongs to, else the
    platform's (someone invited before they have an account)."""
    return chosen_language_of_address(email) or settings.LANGUAGE_CODE

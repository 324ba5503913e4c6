"""The language a person reads the platform and their e-mails in (`User.language`): recorded when they choose
one (the language switch, their profile), and at login when they were already reading in another language
than the platform's."""

from django.conf import settings

from . import services


def language_kept_at_login(sender, request, user, **kwargs):
    """Receiver of `user_logged_in`: someone who never chose a language and signs in while reading the
    platform in English (switched before signing in, or their browser's language) keeps English."""
    language = getattr(request, "LANGUAGE_CODE", None)  # set by LocaleMiddleware on a real request
    if user.language or language == settings.LANGUAGE_CODE or language not in dict(settings.LANGUAGES):
        return
    services.language_set(user=user, language=language)

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import SHORT_TEXT, text_length

from . import kinds, messages


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Tout de suite")
    DIGEST = "digest", _("Résumé quotidien")
    NONE = "none", _("Jamais par e-mail")


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def mark_read(self) -> int:
        return self.unread().update(read_at=timezone.now())


class Notification(models.Model):
    """One thing a person should know about, shown in the platform; e-mailed according to their preference."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destinataire"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("type"), max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The sentence as a key and its parameters, rendered in the reader's language (messages.py); the French
    # sentence beside them, for the e-mails and for rows whose message is no longer registered.
    message = models.CharField(max_length=80, blank=True)
    params = models.JSONField(default=dict, blank=True)
    title = models.CharField(_("titre"), max_length=300)
    excerpt = models.TextField(_("extrait"), blank=True, max_length=SHORT_TEXT)
    # An excerpt the platform writes is a message too, rendered in the reader's language; an excerpt quoting
    # what a person wrote has none.
    excerpt_message = models.CharField(max_length=80, blank=True)
    excerpt_params = models.JSONField(default=dict, blank=True)
    # A path inside the platform (reverse() result); the e-mail prefixes SITE_URL.
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)
    # Set when an e-mail (immediate or digest) carrying it was queued in the outbox, so no digest carries it
    # again; the outbox row says when the e-mail actually left.
    emailed_at = models.DateTimeField(_("envoyée par e-mail le"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The header's unread count, on every page of a signed-in person.
            models.Index(
                fields=["recipient", "created_at"],
                name="notification_unread",
                condition=models.Q(read_at__isnull=True),
            ),
            # A person's list, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_recent"),
            # The daily digest looks only at what no e-mail has carried yet.
            models.Index(
                fields=["created_at"], name="notification_not_emailed", condition=models.Q(emailed_at=None)
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(url__startswith="/") & ~models.Q(url__startswith="//"),
                name="notification_url_is_a_local_path",
            ),
            text_length("excerpt", SHORT_TEXT),
        ]

    def __str__(self):
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def text(self) -> str:
        """The sentence in the active language."""
        return (messages.render(self.message, self.params) if self.message else None) or self.title

    @property
    def shown_excerpt(self) -> str:
        """The excerpt in the active language when the platform wrote it, else as stored."""
        if self.excerpt_message:
            return messages.render(self.excerpt_message, self.excerpt_params) or self.excerpt
        return self.excerpt

    @property
    def kind_label(self) -> str:
        return kinds.label_of(self.kind)

    def mark_read(self) -> None:
        if self.read_at is None:
            self.read_at = timezone.now()
            # Only if still unread: a second tab opening it at the same time keeps the first date.
            Notification.objects.filter(pk=self.pk, read_at__isnull=True).update(read_at=self.read_at)


class NotificationPreference(models.Model):
    """How a person wants to be e-mailed about one kind; without a row, the kind's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("type"), max_length=60)
    frequency = models.CharField(_("envoi par e-mail"), max_length=10, choices=Frequency.choices)

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind"),
            models.CheckConstraint(
                condition=models.Q(frequency__in=Frequency.values), name="notification_frequency_known"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.kind} · {self.frequency}"

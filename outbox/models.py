"""The outbox: every e-mail the platform sends is first a row, written in the transaction of the action that
causes it, then sent by a worker. A broker that is down, a worker that dies or an SMTP server that refuses
only delays a row; the periodic sweep hands it to a worker again (see services.py for the guarantee)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("À envoyer")
    SENT = "sent", _("Envoyé")
    # Nothing to send any more when its turn came: an invitation revoked, a person deactivated.
    CANCELLED = "cancelled", _("Annulé")
    # Every attempt failed: kept for an administrator to look at, and to send again from the admin.
    FAILED = "failed", _("En échec")


class OutgoingEmail(models.Model):
    # What renders it: a kind registered in `outbox.registry`, or RENDERED for a message written at once.
    kind = models.CharField(_("type"), max_length=60)
    # The address at the time it was queued: shown to administrators, used for a message rendered at once.
    # The renderers of the other kinds read the current address of the person when the e-mail leaves.
    to = models.EmailField(_("destinataire"), max_length=254)
    # The object the renderer reads when the e-mail leaves (a notification, an invitation…), and what it
    # cannot read back from it (the ids a digest carries, the status a decision announced).
    object_id = models.BigIntegerField(null=True, blank=True)
    params = models.JSONField(default=dict, blank=True)
    language = models.CharField(_("langue"), max_length=10)
    # Only for RENDERED: allauth's messages carry a one-time key that only the request knew. Erased once the
    # e-mail has left (or failed for good), so the table does not keep working links to people's accounts.
    subject = models.CharField(_("objet"), max_length=300, blank=True)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)

    status = models.CharField(
        _("état"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    # When the sweep hands it to a worker if it is still pending: a little after it was queued (the broker
    # normally delivers it before), after the backoff of a failed attempt.
    due_at = models.DateTimeField(_("échéance"))
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("courriel")
        verbose_name_plural = _("courriels")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweep looks only at what is still to send.
            models.Index(
                fields=["due_at"], name="outgoing_email_due", condition=models.Q(status=EmailStatus.PENDING)
            ),
            # The purge of what was dealt with long ago.
            models.Index(fields=["created_at"], name="outgoing_email_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=EmailStatus.values), name="outgoing_email_status_known"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=EmailStatus.SENT) | models.Q(sent_at__isnull=False),
                name="outgoing_email_sent_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.to} ({self.status})"

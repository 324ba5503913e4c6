from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.i18n import localized


class AuditEntry(models.Model):
    """Who did what, when, on which object: one row per workflow step, written by the services."""

    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64)
    target_repr = models.CharField(_("objet"), max_length=255)
    # The parameters of the object's name, rendered in the reader's language (core.audit.target_name);
    # None when the platform does not write the name (a title) or for an old row it could not read.
    target_params = models.JSONField(null=True, blank=True, editable=False)
    data = models.JSONField(_("détails"), default=dict, blank=True)

    class Meta:
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal d'audit")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"

    @property
    def action_label(self):
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def target_name(self) -> str:
        """The object's name in the reader's language."""
        from .audit import target_name

        return target_name(self)


# Each app registers the French label of the actions its services record.
ACTION_LABELS: dict[str, str] = {}


class Theme(models.Model):
    """The managed list of transition themes, shared by projects and the resource library."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("nom"), max_length=100, unique=True)
    # The same name for English readers; the French one is shown where none is written.
    name_en = models.CharField(_("nom (en anglais)"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_active = models.BooleanField(_("proposé"), default=True)

    class Meta:
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        ordering = ["position", "name"]

    def __str__(self):
        return self.shown_name

    @property
    def shown_name(self) -> str:
        return localized(self, "name")

"""A territory's synthesis (« Bilan du territoire ») as it was asked for: the period, the sections, the public
version or the full one, and its PDF and ODT documents (rendered by `documents`, shared by content)."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.bounds import CURRENT_ERA

# A synthesis covers at most this many days (five years): beyond, it is no longer a yearly report.
MAX_DAYS = 5 * 366


class Synthesis(models.Model):
    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.CASCADE,
        related_name="syntheses",
        verbose_name=_("territoire"),
    )
    start = models.DateField(_("du"), validators=[CURRENT_ERA.validator])
    end = models.DateField(_("au"), validators=[CURRENT_ERA.validator])
    sections = ArrayField(models.CharField(max_length=20), verbose_name=_("parties"))
    is_public = models.BooleanField(_("version publique"), default=False)
    # What its reader must be allowed to see (reports.access.Reader.may_see): the same as its documents'.
    audience = models.JSONField(default=dict, blank=True)
    pdf = models.ForeignKey("documents.Document", on_delete=models.CASCADE, related_name="+")
    odt = models.ForeignKey("documents.Document", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bilan du territoire")
        verbose_name_plural = _("bilans des territoires")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["territory", "-requested_at"], name="synthesis_latest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="synthesis_period_in_order",
                violation_error_message=_("La fin de la période ne peut pas précéder son début."),
            ),
            CURRENT_ERA.date_constraint("start"),
            CURRENT_ERA.date_constraint("end"),
        ]

    def __str__(self):
        return f"{self.territory} — {self.start:%d/%m/%Y} → {self.end:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("reports:synthesis_detail", args=[self.pk])

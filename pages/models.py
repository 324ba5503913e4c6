from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.bounds import LONG_TEXT, text_length


class BlockKey(models.TextChoices):
    """The editable texts of the public site, each shown at one fixed place."""

    ALLIANCE = "alliance", _("L'alliance (accueil)")
    COMMITMENTS = "commitments", _("Les engagements de la charte, en résumé (accueil)")
    FUNDAMENTALS = "fundamentals", _("Les 4 fondamentaux (accueil)")
    FANTASTIQUES = "fantastiques", _("Les 4 Fantastiques (accueil)")
    PUBLISHER = "publisher", _("Éditeur et hébergeur (mentions légales)")
    CONTACT = "contact", _("Nous contacter (mentions légales, accessibilité)")


class ContentBlock(models.Model):
    """An editable text of the public site, in the Markdown subset of `core.text.render_markdown`."""

    key = models.CharField(_("emplacement"), max_length=30, choices=BlockKey.choices, unique=True)
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(
        _("texte"),
        help_text=_(
            "Paragraphes séparés par une ligne vide ; listes avec « - » ou « 1. » ; **gras**, *italique*, "
            "[lien](https://…)."
        ),
        max_length=LONG_TEXT,
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("texte du site")
        verbose_name_plural = _("textes du site")
        ordering = ["key"]
        constraints = [text_length("body", LONG_TEXT)]

    def __str__(self):
        return self.title

    @property
    def label(self) -> str:
        return BlockKey(self.key).label

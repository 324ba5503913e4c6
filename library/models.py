import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.bounds import DOCUMENT_TEXT, PLAUSIBLE, text_length
from core.uploads import ATTACHMENT_CONTENT_TYPES

# The text search configuration created by migration 0001: French stemming, accents ignored (unaccent).
SEARCH_CONFIG = "french_unaccent"


class ResourceKind(models.TextChoices):
    TOOL = "fiche_outil", _("Fiche outil")
    METHOD = "methode", _("Méthode")
    EXPERIENCE = "retour_experience", _("Retour d'expérience")
    PUBLICATION = "publication", _("Publication")
    MEDIA = "video_lien", _("Vidéo ou lien")
    EVENT = "evenement", _("Événement")


class ResourceStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    REVIEW = "review", _("À relire")
    PUBLISHED = "published", _("Publiée")


class Resource(models.Model):
    """A resource of the alliance's "patrimoine commun": a tool, a method, an experience report…

    `search_vector` is written by `services.resource_reindex` whenever a service saves the resource: it
    holds the names of its themes, territories and authors too, which live in other tables.
    """

    title = models.CharField(_("titre"), max_length=200)
    kind = models.CharField(_("type de ressource"), max_length=20, choices=ResourceKind.choices)
    summary = models.TextField(
        _("résumé"), max_length=600, help_text=_("Deux ou trois phrases, montrées dans les listes.")
    )
    body = models.TextField(_("contenu"), blank=True, max_length=DOCUMENT_TEXT)
    url = models.URLField(
        _("lien"), max_length=500, blank=True, help_text=_("Obligatoire pour une vidéo ou un lien.")
    )
    starts_on = models.DateField(_("date de début"), null=True, blank=True, validators=[PLAUSIBLE.validator])
    ends_on = models.DateField(_("date de fin"), null=True, blank=True, validators=[PLAUSIBLE.validator])
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    credits = models.CharField(
        _("autres auteur·ices"),
        max_length=300,
        blank=True,
        help_text=_("Personnes ou organisations sans compte sur la plateforme (ex. : ATEMIS)."),
    )
    themes = models.ManyToManyField(
        "core.Theme", blank=True, related_name="resources", verbose_name=_("thèmes")
    )
    territories = models.ManyToManyField(
        "territories.Territory",
        blank=True,
        related_name="resources",
        verbose_name=_("territoires d'origine"),
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="library_resources", verbose_name=_("auteur·ices")
    )
    members_only = models.BooleanField(
        _("réservée aux membres de l'alliance"),
        default=False,
        help_text=_("Une fois publiée, seuls les membres de l'alliance la voient."),
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=ResourceStatus.choices, default=ResourceStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    published_at = models.DateTimeField(
        _("publiée le"), null=True, blank=True, validators=[PLAUSIBLE.validator]
    )
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="resource_published_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(kind="evenement") | Q(starts_on__isnull=False),
                name="resource_event_has_start",
                violation_error_message=_("Un événement a une date de début."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=False) & Q(ends_on__gte=models.F("starts_on")),
                name="resource_dates_in_order",
                violation_error_message=_("La date de fin ne peut pas précéder la date de début."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="video_lien") | ~Q(url=""),
                name="resource_link_has_url",
                violation_error_message=_("Une vidéo ou un lien a une adresse."),
            ),
            PLAUSIBLE.date_constraint("starts_on"),
            PLAUSIBLE.date_constraint("ends_on"),
            PLAUSIBLE.datetime_constraint("published_at"),
            text_length("summary", 600),
            text_length("body", DOCUMENT_TEXT),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="resource_search_gin"),
            models.Index(fields=["status", "members_only", "-published_at"], name="resource_listing"),
            models.Index(fields=["kind"], name="resource_kind"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("library:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == ResourceStatus.PUBLISHED

    @property
    def is_public(self) -> bool:
        return self.is_published and not self.members_only


# The formats a resource's attachment may have -> the type it is served with (uploads.validate_attachment
# checks the content matches).
ATTACHMENT_TYPES = {
    extension: ATTACHMENT_CONTENT_TYPES[extension]
    for extension in ("pdf", "odt", "ods", "odp", "docx", "xlsx", "pptx", "png", "jpg", "jpeg", "webp")
}


def attachment_upload_to(instance, filename):
    # Generated names: nothing of the uploader's file name reaches the disk.
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"library/{uuid.uuid4().hex}.{extension}"


class Attachment(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("titre de la pièce jointe"), max_length=200)
    file = models.FileField(_("fichier"), upload_to=attachment_upload_to)
    # The name offered when downloading, cleaned of anything but letters, digits, dots, dashes.
    filename = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["added_at", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("library:attachment", args=[self.resource_id, self.pk])

    @property
    def extension(self) -> str:
        return self.file.name.rsplit(".", 1)[-1].lower()

    @property
    def content_type(self) -> str:
        return ATTACHMENT_TYPES.get(self.extension, "application/octet-stream")


class Bookmark(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("favori")
        verbose_name_plural = _("favoris")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "resource"], name="bookmark_unique")]

    def __str__(self):
        return f"{self.user} → {self.resource}"

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import LONG_TEXT, PLAUSIBLE, SHORT_TEXT, TEXT, YearRange, text_length
from core.uploads import logo_upload_to, validate_logo


class Category(models.TextChoices):
    """The eight categories of member organisations of the alliance (DOMAIN.md §1)."""

    COLLECTIVITE = "collectivite", _("Collectivités (communes, métropoles, PETR, départements, Régions…)")
    RESEAU = "reseau", _("Réseaux d'acteurs thématiques")
    ASSO_PRO = "asso_pro", _("Associations de professionnels")
    BUREAU_ETUDES = "bureau_etudes", _("Bureaux d'études, consultants")
    RECHERCHE = "recherche", _("Centres de recherche et de formation, universités")
    ENTREPRISE = "entreprise", _("Entreprises, coopératives, structures de l'ESS")
    CITOYENS = "citoyens", _("Collectifs citoyens, société civile, ONG")
    MEDIAS = "medias", _("Médias, maisons d'édition")


class Region(models.TextChoices):
    AUVERGNE_RHONE_ALPES = "ARA", _("Auvergne-Rhône-Alpes")
    BOURGOGNE_FRANCHE_COMTE = "BFC", _("Bourgogne-Franche-Comté")
    BRETAGNE = "BRE", _("Bretagne")
    CENTRE_VAL_DE_LOIRE = "CVL", _("Centre-Val de Loire")
    CORSE = "COR", _("Corse")
    GRAND_EST = "GES", _("Grand Est")
    HAUTS_DE_FRANCE = "HDF", _("Hauts-de-France")
    ILE_DE_FRANCE = "IDF", _("Île-de-France")
    NORMANDIE = "NOR", _("Normandie")
    NOUVELLE_AQUITAINE = "NAQ", _("Nouvelle-Aquitaine")
    OCCITANIE = "OCC", _("Occitanie")
    PAYS_DE_LA_LOIRE = "PDL", _("Pays de la Loire")
    PROVENCE_ALPES_COTE_D_AZUR = "PAC", _("Provence-Alpes-Côte d'Azur")
    GUADELOUPE = "GUA", _("Guadeloupe")
    MARTINIQUE = "MTQ", _("Martinique")
    GUYANE = "GUF", _("Guyane")
    LA_REUNION = "LRE", _("La Réunion")
    MAYOTTE = "MAY", _("Mayotte")


class Organisation(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices)
    siren = models.CharField(
        _("SIREN"), max_length=9, blank=True, help_text=_("Facultatif : les 9 chiffres du numéro SIREN.")
    )
    website = models.URLField(_("site web"), blank=True)
    region = models.CharField(_("région"), max_length=3, choices=Region.choices, blank=True)
    description = models.TextField(_("présentation"), blank=True, max_length=TEXT)
    logo = models.ImageField(_("logo"), upload_to=logo_upload_to, blank=True, validators=[validate_logo])
    listed_in_directory = models.BooleanField(_("apparaître dans l'annuaire public"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="OrganisationPerson", related_name="organisations"
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["siren"],
                condition=~Q(siren=""),
                name="organisation_siren_unique",
                violation_error_message=_("Une organisation avec ce numéro SIREN est déjà inscrite."),
            ),
            models.CheckConstraint(
                condition=Q(siren="") | Q(siren__regex=r"^[0-9]{9}$"),
                name="organisation_siren_format",
                violation_error_message=_("Le numéro SIREN compte 9 chiffres."),
            ),
            text_length("description", TEXT),
        ]
        indexes = [models.Index(fields=["category"]), models.Index(fields=["region"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("alliance:organisation", args=[self.pk])


class OrganisationPerson(models.Model):
    """A person of an organisation; a person may belong to several."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships_people"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    is_referent = models.BooleanField(
        _("référent·e"), default=False, help_text=_("Peut modifier la fiche et gérer l'adhésion.")
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("personne de l'organisation")
        verbose_name_plural = _("personnes de l'organisation")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "person"], name="organisation_person_unique")
        ]

    def __str__(self):
        return f"{self.person} — {self.organisation}"


class LapsedListing(models.TextChoices):
    """What the public directory does with members who have not re-signed once the deadline is past."""

    MARK = "mark", _("Les garder dans l'annuaire, marqués « adhésion à renouveler »")
    HIDE = "hide", _("Les retirer de l'annuaire jusqu'à leur nouvelle signature")


# A deadline to sign a new version again: from the platform's first charter, at most a couple of years ahead.
CHARTER_DEADLINES = YearRange(2020, 2100)


class Charter(models.Model):
    """One version of the charter; exactly one is current (a partial unique index enforces it).

    Members who signed an older version re-sign the current one before its deadline; past it, their
    membership is « à renouveler » (see `Membership.is_lapsed`) until they do: still a member, still listed to
    the admins, marked in the public directory or left out of it as the version says, never deleted."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    preamble = models.TextField(_("préambule"), max_length=LONG_TEXT)
    commitments = models.JSONField(_("engagements"), default=list)
    is_current = models.BooleanField(_("version en vigueur"), default=False)
    published_at = models.DateTimeField(
        _("publiée le"), default=timezone.now, validators=[PLAUSIBLE.validator]
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resign_deadline = models.DateField(
        _("à signer de nouveau avant le"), null=True, blank=True, validators=[CHARTER_DEADLINES.validator]
    )
    lapsed_listing = models.CharField(
        _("dans l'annuaire, après l'échéance"),
        max_length=10,
        choices=LapsedListing.choices,
        default=LapsedListing.MARK,
    )

    class Meta:
        verbose_name = _("version de la charte")
        verbose_name_plural = _("versions de la charte")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_charter"
            ),
            CHARTER_DEADLINES.date_constraint("resign_deadline"),
            models.CheckConstraint(
                condition=Q(lapsed_listing__in=["mark", "hide"]), name="charter_lapsed_listing_known"
            ),
            PLAUSIBLE.datetime_constraint("published_at"),
            text_length("preamble", LONG_TEXT),
        ]

    def __str__(self):
        return _("Charte, version %(version)s") % {"version": self.version}

    @property
    def paragraphs(self) -> list[str]:
        """The preamble's paragraphs, then the commitments: the units the re-sign page compares."""
        preamble = [p.strip() for p in self.preamble.replace("\r\n", "\n").split("\n\n") if p.strip()]
        return preamble + list(self.commitments)

    def deadline_passed(self, today=None) -> bool:
        return self.resign_deadline is not None and (today or timezone.localdate()) > self.resign_deadline


class MembershipKind(models.TextChoices):
    PERSON = "person", _("À titre personnel")
    ORGANISATION = "organisation", _("Au nom d'une organisation")


class MembershipStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidature en cours d'examen")
    ACCEPTED = "accepted", _("Membre de l'alliance")
    REFUSED = "refused", _("Candidature refusée")
    SUSPENDED = "suspended", _("Adhésion suspendue")
    WITHDRAWN = "withdrawn", _("Adhésion retirée")


# A person or an organisation holds at most one membership in these statuses.
ACTIVE_STATUSES = [MembershipStatus.CANDIDATE, MembershipStatus.ACCEPTED, MembershipStatus.SUSPENDED]


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def accepted(self):
        return self.filter(status=MembershipStatus.ACCEPTED)


class Membership(models.Model):
    """An adhesion to the alliance, by a person alone or on behalf of an organisation."""

    kind = models.CharField(_("type d'adhésion"), max_length=20, choices=MembershipKind.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="alliance_memberships"
    )
    signatory = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signataire"),
        on_delete=models.PROTECT,
        related_name="alliance_memberships",
    )
    mandate = models.TextField(
        _("mandat"),
        blank=True,
        help_text=_("Pour une organisation : la fonction et le mandat qui vous permettent de l'engager."),
        max_length=SHORT_TEXT,
    )
    charter = models.ForeignKey(Charter, verbose_name=_("charte signée"), on_delete=models.PROTECT)
    signed_at = models.DateTimeField(_("signée le"), default=timezone.now, validators=[PLAUSIBLE.validator])
    status = models.CharField(
        _("statut"), max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.CANDIDATE
    )
    listed_in_directory = models.BooleanField(_("apparaître dans l'annuaire public"), default=True)
    created_at = models.DateTimeField(_("déposée le"), auto_now_add=True)
    decided_at = models.DateTimeField(
        _("décidée le"), null=True, blank=True, validators=[PLAUSIBLE.validator]
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("motif"), blank=True, max_length=SHORT_TEXT)
    ended_at = models.DateTimeField(_("terminée le"), null=True, blank=True, validators=[PLAUSIBLE.validator])

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("adhésion")
        verbose_name_plural = _("adhésions")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="person") & Q(organisation__isnull=True))
                | (Q(kind="organisation") & Q(organisation__isnull=False)),
                name="membership_kind_matches_organisation",
            ),
            models.UniqueConstraint(
                fields=["signatory"],
                condition=Q(kind="person", status__in=["candidate", "accepted", "suspended"]),
                name="one_active_personal_membership",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status__in=["candidate", "accepted", "suspended"]),
                name="one_active_organisation_membership",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(reason=""), name="membership_refusal_has_reason"
            ),
            PLAUSIBLE.datetime_constraint("signed_at"),
            PLAUSIBLE.datetime_constraint("decided_at"),
            PLAUSIBLE.datetime_constraint("ended_at"),
            text_length("mandate", SHORT_TEXT),
            text_length("reason", SHORT_TEXT),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.member_name} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("alliance:membership", args=[self.pk])

    @property
    def member_name(self) -> str:
        return self.organisation.name if self.organisation_id else str(self.signatory)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def needs_new_signature(self) -> bool:
        return self.status == MembershipStatus.ACCEPTED and not self.charter.is_current

    def is_lapsed(self, current: "Charter | None") -> bool:
        """« Adhésion à renouveler »: not re-signed although the current version's deadline is past."""
        return self.needs_new_signature and current is not None and current.deadline_passed()


class CharterReminder(models.Model):
    """A reminder sent to a membership about a charter version, so the daily sweep never sends it twice.
    `days_before` is the stage: 30, 7 or 1 day before the deadline, 0 once it is past."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="reminders")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="charter_reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rappel de signature")
        verbose_name_plural = _("rappels de signature")
        constraints = [
            models.UniqueConstraint(
                fields=["charter", "membership", "days_before"], name="one_charter_reminder_per_stage"
            )
        ]

    def __str__(self):
        return f"{self.membership} — v{self.charter.version} — J-{self.days_before}"

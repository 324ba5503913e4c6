import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ActorFamily
from core.bounds import CURRENT_ERA, LONG_TEXT, PLAUSIBLE, TEXT, YearRange, text_length
from core.french import Article, Noun
from core.uploads import logo_upload_to, validate_logo
from reference.models import Commune, Department, Epci, Region


class TerritoryKind(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    EPCI = "epci", _("EPCI")
    GROUPING = "grouping", _("Regroupement d'EPCI")
    DEPARTMENT = "department", _("Département")
    REGION = "region", _("Région")


class GroupingKind(models.TextChoices):
    PETR = "petr", _("PETR")
    POLE = "pole", _("Pôle territorial")
    PAYS = "pays", _("Pays")
    PNR = "pnr", _("Parc naturel régional")
    OTHER = "other", _("Autre regroupement")


class Territory(models.Model):
    """A territory of the alliance, built on the official reference data.

    Population and the number of communes come from the reference data (see `services.territory_refresh`);
    they are stored so that lists can show them without counting communes row by row.
    """

    name = models.CharField(_("nom"), max_length=200)
    # What French puts in front of the name (« le Pôle territorial », « du », « au »): see core.french.
    article = models.CharField(
        _("article devant le nom"),
        max_length=5,
        choices=Article.choices,
        blank=True,
        default=Article.NONE,
        help_text=_("Pour écrire « l'équipe du Pôle territorial », pas « l'équipe de Pôle territorial »."),
    )
    kind = models.CharField(_("type"), max_length=20, choices=TerritoryKind.choices)
    grouping_kind = models.CharField(
        _("type de regroupement"), max_length=20, choices=GroupingKind.choices, blank=True
    )
    commune = models.ForeignKey(Commune, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    epci = models.ForeignKey(Epci, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    epcis = models.ManyToManyField(Epci, blank=True, related_name="groupings", verbose_name=_("EPCI membres"))
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("département"),
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("région")
    )

    population = models.PositiveIntegerField(_("population"), default=0, editable=False)
    commune_count = models.PositiveIntegerField(_("nombre de communes"), default=0, editable=False)
    area_km2 = models.DecimalField(
        _("superficie (km²)"), max_digits=9, decimal_places=1, null=True, blank=True
    )

    description = models.TextField(_("présentation"), blank=True, max_length=TEXT)
    website = models.URLField(_("site web"), blank=True)
    logo = models.ImageField(_("logo"), upload_to=logo_upload_to, blank=True, validators=[validate_logo])
    technical_team_min = models.PositiveSmallIntegerField(
        _("équipe technique (au moins)"), null=True, blank=True
    )
    technical_team_max = models.PositiveSmallIntegerField(
        _("équipe technique (au plus)"), null=True, blank=True
    )

    is_pilot = models.BooleanField(_("territoire pilote de l'alliance"), default=False)
    pilot_since = models.PositiveSmallIntegerField(
        _("pilote depuis (année)"), null=True, blank=True, validators=[CURRENT_ERA.validator]
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_territories",
        verbose_name=_("accompagnateur·ices"),
    )
    carrier = models.ForeignKey(
        "alliance.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="territories",
        verbose_name=_("organisation membre qui le porte"),
    )
    is_published = models.BooleanField(
        _("profil public"), default=False, help_text=_("Le profil et la trajectoire sont visibles de tous.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="commune") | Q(commune__isnull=False), name="territory_commune_has_commune"
            ),
            models.CheckConstraint(
                condition=~Q(kind="epci") | Q(epci__isnull=False), name="territory_epci_has_epci"
            ),
            models.CheckConstraint(
                condition=~Q(kind="department") | Q(department__isnull=False),
                name="territory_department_has_department",
            ),
            models.CheckConstraint(
                condition=~Q(kind="region") | Q(region__isnull=False), name="territory_region_has_region"
            ),
            models.CheckConstraint(
                condition=Q(technical_team_max__isnull=True)
                | Q(technical_team_min__isnull=True)
                | Q(technical_team_max__gte=models.F("technical_team_min")),
                name="territory_team_range",
            ),
            CURRENT_ERA.year_constraint("pilot_since"),
            text_length("description", TEXT),
        ]
        indexes = [models.Index(fields=["kind"]), models.Index(fields=["is_pilot", "is_published"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("territories:detail", args=[self.pk])

    @property
    def noun(self) -> Noun:
        return Noun(self.name, self.article)

    def communes(self):
        """The active communes the territory is made of, from the reference data."""
        active = Commune.objects.filter(is_active=True)
        match self.kind:
            case TerritoryKind.COMMUNE:
                return active.filter(pk=self.commune_id)
            case TerritoryKind.EPCI:
                return active.filter(epci_id=self.epci_id)
            case TerritoryKind.GROUPING:
                return active.filter(epci__in=self.epcis.all())
            case TerritoryKind.DEPARTMENT:
                return active.filter(department_id=self.department_id)
            case TerritoryKind.REGION:
                return active.filter(region_id=self.region_id)
        return Commune.objects.none()

    @property
    def density(self):
        if self.area_km2 and self.population:
            return round(self.population / float(self.area_km2), 1)
        return None


class GovernanceBody(models.Model):
    """A body of the territory's governance and its number of members (e.g. 23 élus, 40 membres du CODEV)."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="governance_bodies")
    name = models.CharField(_("instance"), max_length=200)
    members = models.PositiveIntegerField(_("nombre de membres"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("instance de gouvernance")
        verbose_name_plural = _("instances de gouvernance")
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.name} ({self.members})"


class TeamRole(models.TextChoices):
    ELU = "elu", _("Élu·e")
    DGS = "dgs", _("DGS")
    AGENT = "agent", _("Agent / chargé·e de mission")
    TECHNICIEN = "technicien", _("Technicien·ne")
    PARTENAIRE = "partenaire", _("Partenaire")
    # The State's services in the territory: the family « État territorial » of the 4 Fantastiques.
    PREFECTURE = "prefecture", _("Préfecture / sous-préfecture")
    DDT = "ddt", _("DDT / DDTM")
    DREAL = "dreal", _("DREAL")
    ADEME = "ademe", _("ADEME (direction régionale)")
    ETAT_AUTRE = "etat_autre", _("Autre service de l'État")

    @property
    def family(self):
        return ROLE_FAMILIES[self]


# Each role of a territory's team belongs to one family of the "4 Fantastiques".
ROLE_FAMILIES = {
    TeamRole.ELU: ActorFamily.ELU,
    TeamRole.DGS: ActorFamily.AGENT,
    TeamRole.AGENT: ActorFamily.AGENT,
    TeamRole.TECHNICIEN: ActorFamily.AGENT,
    TeamRole.PARTENAIRE: ActorFamily.SOCIO_ECO,
    TeamRole.PREFECTURE: ActorFamily.ETAT,
    TeamRole.DDT: ActorFamily.ETAT,
    TeamRole.DREAL: ActorFamily.ETAT,
    TeamRole.ADEME: ActorFamily.ETAT,
    TeamRole.ETAT_AUTRE: ActorFamily.ETAT,
}


def roles_in_family_order() -> list:
    """The team roles, those of one family together, the families in the method's order."""
    families = list(ActorFamily)
    return sorted(TeamRole, key=lambda role: families.index(ROLE_FAMILIES[role]))


class TeamMember(models.Model):
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="territory_roles"
    )
    role = models.CharField(_("rôle"), max_length=20, choices=TeamRole.choices)
    is_manager = models.BooleanField(
        _("gère le territoire"),
        default=False,
        help_text=_("Invite des collègues, change les rôles, modifie le profil."),
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membre de l'équipe")
        verbose_name_plural = _("équipe")
        ordering = ["role", "user__full_name"]
        constraints = [models.UniqueConstraint(fields=["territory", "user"], name="team_member_unique")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.territory}"

    @property
    def family(self):
        return ROLE_FAMILIES[TeamRole(self.role)]

    def get_family_display(self):
        return ActorFamily(self.family).label


def _invitation_token():
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    ACCEPTED = "accepted", _("Acceptée")
    DECLINED = "declined", _("Déclinée")
    REVOKED = "revoked", _("Annulée")


class Invitation(models.Model):
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("adresse e-mail"))
    role = models.CharField(_("rôle"), max_length=20, choices=TeamRole.choices)
    is_manager = models.BooleanField(_("gère le territoire"), default=False)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_invitation_expiry, validators=[PLAUSIBLE.validator])
    status = models.CharField(
        max_length=20, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    answered_at = models.DateTimeField(null=True, blank=True, validators=[PLAUSIBLE.validator])
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "email"],
                condition=Q(status="pending"),
                name="one_pending_invitation_per_email",
            ),
            PLAUSIBLE.datetime_constraint("expires_at"),
            PLAUSIBLE.datetime_constraint("answered_at"),
        ]

    def __str__(self):
        return f"{self.email} → {self.territory}"

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at

    @property
    def is_open(self):
        return self.status == InvitationStatus.PENDING and not self.is_expired


class MilestoneKind(models.TextChoices):
    STRATEGY = "strategy", _("Stratégie ou plan")
    TURNING_POINT = "turning_point", _("Bascule")
    ACCOMPANIMENT = "accompaniment", _("Accompagnement")
    END_OF_SCHEME = "end_of_scheme", _("Fin d'un dispositif")
    OTHER = "other", _("Autre étape")


class PlanKind(models.TextChoices):
    PCET = "PCET", "PCET"
    PCAET = "PCAET", "PCAET"
    TEPOS = "TEPOS", "TEPOS"
    PAT = "PAT", _("PAT (projet alimentaire territorial)")
    CRTE = "CRTE", "CRTE"
    PVD = "PVD", _("Petites Villes de Demain")
    RENOVATION = "renovation", _("Plateforme de rénovation")
    CEP = "CEP", _("CEP (conseil en énergie partagé)")
    OTHER = "other", _("Autre")


# A trajectory goes back to the first plans and schemes of the territory, and forward to its far targets.
TRAJECTORY_YEARS = YearRange(1950, 2100)
# Diagnostics of the capacity to carry a systemic transition were first made in the 1990s.
DIAGNOSTIC_YEARS = YearRange(1990, 2100)


class Milestone(models.Model):
    """A dated step of the territory's transition trajectory."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("type d'étape"), max_length=20, choices=MilestoneKind.choices)
    plan = models.CharField(_("stratégie ou plan"), max_length=20, choices=PlanKind.choices, blank=True)
    title = models.CharField(_("intitulé"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("année"), validators=[TRAJECTORY_YEARS.validator])
    end_year = models.PositiveSmallIntegerField(
        _("jusqu'à (année)"), null=True, blank=True, validators=[TRAJECTORY_YEARS.validator]
    )
    description = models.TextField(_("description"), blank=True, max_length=TEXT)
    grant_dependent = models.BooleanField(_("dépendait d'une subvention"), default=False)

    class Meta:
        verbose_name = _("étape de la trajectoire")
        verbose_name_plural = _("trajectoire")
        ordering = ["start_year", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=models.F("start_year")),
                name="milestone_years_in_order",
                violation_error_message=_("L'année de fin ne peut pas précéder l'année de début."),
            ),
            TRAJECTORY_YEARS.year_constraint("start_year"),
            TRAJECTORY_YEARS.year_constraint("end_year"),
            text_length("description", TEXT),
        ]

    def __str__(self):
        return f"{self.years} — {self.title}"

    @property
    def years(self):
        return (
            f"{self.start_year}/{self.end_year}"
            if self.end_year and self.end_year != self.start_year
            else str(self.start_year)
        )


class Diagnostic(models.Model):
    """The initial diagnostic of the capacity to carry and steer a systemic transition."""

    territory = models.OneToOneField(Territory, on_delete=models.CASCADE, related_name="diagnostic")
    date = models.DateField(_("date"), validators=[DIAGNOSTIC_YEARS.validator])
    authors = models.CharField(_("auteur·ices"), max_length=300)
    findings = models.TextField(_("constats"), max_length=LONG_TEXT)
    tensions = models.TextField(_("tensions révélées"), blank=True, max_length=LONG_TEXT)

    class Meta:
        verbose_name = _("diagnostic")
        verbose_name_plural = _("diagnostics")
        constraints = [
            DIAGNOSTIC_YEARS.date_constraint("date"),
            text_length("findings", LONG_TEXT),
            text_length("tensions", LONG_TEXT),
        ]

    def __str__(self):
        return f"{self.territory} — {self.date:%Y}"


class RecommendationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposée")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Réalisée")
    SET_ASIDE = "set_aside", _("Écartée")


class Recommendation(models.Model):
    """A recommendation of the diagnostic. Its status follows the projects that answer it (proposée, en cours
    once a project answers it, réalisée once one is launched: see `services.recommendations_follow_projects`)
    unless someone set it by hand, which it then keeps until they hand it back to the projects."""

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField(_("numéro"))
    text = models.TextField(_("recommandation"), max_length=TEXT)
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.PROPOSED,
    )
    status_set_by_hand = models.BooleanField(_("statut fixé à la main"), default=False)

    class Meta:
        verbose_name = _("recommandation")
        verbose_name_plural = _("recommandations")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["diagnostic", "number"],
                name="recommendation_number_unique",
                violation_error_message=_("Ce numéro de recommandation existe déjà."),
            ),
            text_length("text", TEXT),
        ]

    def __str__(self):
        return f"R{self.number}. {self.text[:80]}"


class Fundamental(models.IntegerChoices):
    """The 4 fundamentals of systemic change management applied to territories."""

    ENGAGEMENT = 1, _("Créer les conditions d'engagement des acteurs")
    COOPERATION = 2, _("Faciliter leur coopération, mettre les conflits au travail")
    TRAINING = 3, _("Les former à l'approche systémique et au mode projet collectif")
    EVALUATION = 4, _("Évaluer les effets, la valeur créée")


MATURITY_LEVELS = [
    (0, _("0 — absent")),
    (1, _("1 — émergent")),
    (2, _("2 — en construction")),
    (3, _("3 — installé")),
    (4, _("4 — ancré et partagé")),
]


class Assessment(models.Model):
    """A periodic self-assessment of the territory on the 4 fundamentals, discussed with the facilitator."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="assessments")
    date = models.DateField(_("date"), validators=[CURRENT_ERA.validator])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    discussed_with = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("discutée avec"),
    )
    comment = models.TextField(_("commentaire d'ensemble"), blank=True, max_length=TEXT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("auto-évaluation")
        verbose_name_plural = _("auto-évaluations")
        ordering = ["-date", "-id"]
        constraints = [CURRENT_ERA.date_constraint("date"), text_length("comment", TEXT)]

    def __str__(self):
        return f"{self.territory} — {self.date}"


class AssessmentScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    fundamental = models.PositiveSmallIntegerField(_("fondamental"), choices=Fundamental.choices)
    level = models.PositiveSmallIntegerField(_("niveau de maturité"), choices=MATURITY_LEVELS)
    evidence = models.TextField(_("éléments de preuve"), blank=True, max_length=TEXT)
    comment = models.TextField(_("commentaire"), blank=True, max_length=TEXT)

    class Meta:
        verbose_name = _("niveau sur un fondamental")
        verbose_name_plural = _("niveaux sur les fondamentaux")
        ordering = ["fundamental"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "fundamental"], name="one_score_per_fundamental"),
            models.CheckConstraint(condition=Q(level__gte=0) & Q(level__lte=4), name="score_level_0_to_4"),
            text_length("evidence", TEXT),
            text_length("comment", TEXT),
        ]

    def __str__(self):
        return f"{self.get_fundamental_display()} : {self.level}"

"""The method's tools (DOMAIN.md §4 "sélection des acteurs" and §5): the actor map with its influences and
chain of actions, the actantial schema, the cooperation journal ("raconter la coopération") and the evaluation
of the value created, deliberated together.

Every row belongs to a project or a territory. Links between rows (an influence between two actors, an entry
of the schema naming an actor) must stay inside one project: the database cannot check that across tables, so
the services do, and raise `methods.services.errors.MethodError` with the French message shown on the form.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import ActorFamily
from core.bounds import CURRENT_ERA, DOCUMENT_TEXT, PLAUSIBLE, TEXT, text_length
from core.i18n import localized
from projects.models import Project, Stakeholder
from territories.models import Territory

# --- Selection of actors and the actor map ------------------------------------------------------------


class ActorKind(models.TextChoices):
    PERSON = "person", _("Personne")
    ORGANISATION = "organisation", _("Organisation")
    COLLECTIVE = "collective", _("Collectif")


class Actor(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="actors")
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("nature"), max_length=20, choices=ActorKind.choices, default=ActorKind.PERSON)
    family = models.CharField(_("famille"), max_length=20, choices=ActorFamily.choices)
    role = models.CharField(_("rôle dans le projet"), max_length=300, blank=True)
    is_selected = models.BooleanField(_("retenu pour le projet"), default=True)
    # Set when the actor was taken from the note de cadrage's stakeholders, so it is not imported twice.
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.SET_NULL, null=True, blank=True, related_name="actors"
    )
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("position", "pk")
        verbose_name = _("acteur")
        verbose_name_plural = _("acteurs")
        constraints = [
            models.UniqueConstraint(fields=("project", "name"), name="methods_actor_unique_name"),
            models.UniqueConstraint(
                fields=("project", "stakeholder"),
                condition=Q(stakeholder__isnull=False),
                name="methods_actor_unique_stakeholder",
            ),
        ]

    def __str__(self):
        return self.name


class InfluenceStrength(models.TextChoices):
    WEAK = "weak", _("Faible")
    MEDIUM = "medium", _("Moyenne")
    STRONG = "strong", _("Forte")


class InfluenceSign(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEGATIVE = "negative", _("Négative")


class Influence(models.Model):
    """ "A a une influence sur B"."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="influences")
    source = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="influences_out")
    target = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="influences_in")
    strength = models.CharField(
        _("intensité"), max_length=10, choices=InfluenceStrength.choices, default=InfluenceStrength.MEDIUM
    )
    sign = models.CharField(
        _("sens"), max_length=10, choices=InfluenceSign.choices, default=InfluenceSign.POSITIVE
    )
    comment = models.CharField(_("commentaire"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("pk",)
        verbose_name = _("influence")
        verbose_name_plural = _("influences")
        constraints = [
            models.UniqueConstraint(fields=("source", "target"), name="methods_influence_unique_pair"),
            models.CheckConstraint(condition=~Q(source=F("target")), name="methods_influence_not_self"),
        ]

    def __str__(self):
        return f"{self.source} → {self.target}"


class Action(models.Model):
    """A step of the chain of actions: numbered from 0, carried by actors, leading to the next ones."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="actions")
    order = models.PositiveSmallIntegerField(_("ordre"))
    title = models.CharField(_("action"), max_length=200)
    description = models.TextField(_("précisions"), blank=True, max_length=TEXT)
    carriers = models.ManyToManyField(Actor, related_name="actions", verbose_name=_("portée par"))
    # The chain must stay acyclic: the service checks it before saving (graphlib).
    leads_to = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="led_from", verbose_name=_("mène à")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("order", "pk")
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.UniqueConstraint(fields=("project", "order"), name="methods_action_unique_order"),
            text_length("description", TEXT),
        ]

    def __str__(self):
        return f"{self.order}. {self.title}"


# --- The actantial schema ------------------------------------------------------------------------------


class ActantialSchema(models.Model):
    """The project's schema (quest left blank), or one per quest of the project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="actantial_schemas")
    quest = models.CharField(_("quête"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("quest", "pk")
        verbose_name = _("schéma actantiel")
        verbose_name_plural = _("schémas actantiels")
        constraints = [
            models.UniqueConstraint(fields=("project", "quest"), name="methods_schema_unique_quest"),
        ]

    def __str__(self):
        return self.quest or str(_("Schéma du projet"))


class Actant(models.TextChoices):
    DESTINATEUR = "destinateur", _("Destinateur")
    SUJET = "sujet", _("Sujet")
    OBJET = "objet", _("Objet")
    ADJUVANT = "adjuvant", _("Adjuvant")
    OPPOSANT = "opposant", _("Opposant")
    DESTINATAIRE = "destinataire", _("Destinataire")


class ActantEntry(models.Model):
    schema = models.ForeignKey(ActantialSchema, on_delete=models.CASCADE, related_name="entries")
    actant = models.CharField(_("actant"), max_length=20, choices=Actant.choices)
    # An actor of the same project when the entry is one; otherwise a label (a thing, an idea, a force…).
    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, null=True, blank=True, related_name="actant_entries"
    )
    label = models.CharField(_("intitulé"), max_length=200, blank=True)
    note = models.CharField(_("précision"), max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("actant", "position", "pk")
        verbose_name = _("entrée du schéma actantiel")
        verbose_name_plural = _("entrées du schéma actantiel")
        constraints = [
            models.CheckConstraint(
                condition=Q(actor__isnull=False) | ~Q(label=""), name="methods_actant_entry_named"
            ),
        ]

    def __str__(self):
        return self.label or str(self.actor)

    @property
    def display_name(self) -> str:
        return self.actor.name if self.actor_id else self.label


# --- Raconter la coopération ---------------------------------------------------------------------------


class JournalPrompt(models.TextChoices):
    """The five prompts of "Raconter la coopération" (DOMAIN.md §5)."""

    REFLEXIVE_SPACES = (
        "reflexive_spaces",
        _("Créer des espaces réflexifs / délibératifs au sein des organisations"),
    )
    PEER_GROUPS = (
        "peer_groups",
        _("Faire émerger des groupes de pairs fonctionnels et hiérarchiques pour soutenir la transversalité"),
    )
    LIVED_EXPERIENCE = (
        "lived_experience",
        _("Accueillir et respecter le vécu et le rapport de chacun·e à l'histoire / au travail"),
    )
    DISPUTES = "disputes", _("Mettre les différends au travail")
    EFFECTS = "effects", _("Prospecter sur les effets créés par la coopération")


class JournalVisibility(models.TextChoices):
    TEAM = "team", _("Réservé à l'équipe")
    SHARED = "shared", _("Partagé avec l'accompagnement")


class JournalEntry(models.Model):
    """A récit of the territory's journal, or of one of its projects' (project set)."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="journal_entries")
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, null=True, blank=True, related_name="journal_entries"
    )
    happened_on = models.DateField(_("date"), validators=[PLAUSIBLE.validator])
    prompt = models.CharField(_("question"), max_length=30, choices=JournalPrompt.choices)
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("récit"), max_length=DOCUMENT_TEXT)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="journal_entries", verbose_name=_("participant·es")
    )
    # People who took part without an account on the platform.
    other_participants = models.CharField(_("autres participant·es"), max_length=500, blank=True)
    visibility = models.CharField(
        _("visibilité"), max_length=10, choices=JournalVisibility.choices, default=JournalVisibility.TEAM
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="journal_entries_written"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-happened_on", "-pk")
        verbose_name = _("récit de coopération")
        verbose_name_plural = _("récits de coopération")
        indexes = [
            models.Index(fields=("territory", "project", "-happened_on"), name="methods_journal_timeline")
        ]
        constraints = [PLAUSIBLE.date_constraint("happened_on"), text_length("body", DOCUMENT_TEXT)]

    def __str__(self):
        return self.title


# --- Évaluer / délibérer sur la valeur créée -----------------------------------------------------------


class ValueDimension(models.Model):
    """A managed list (Django admin), seeded by a data migration with the dimensions of the issue."""

    name = models.CharField(_("dimension"), max_length=100, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    # The same texts for English readers; the French ones are shown where none is written.
    name_en = models.CharField(_("dimension (en anglais)"), max_length=100, blank=True)
    description_en = models.CharField(_("description (en anglais)"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("proposée aux nouvelles évaluations"), default=True)

    class Meta:
        ordering = ("position", "pk")
        verbose_name = _("dimension de valeur")
        verbose_name_plural = _("dimensions de valeur")

    def __str__(self):
        return self.shown_name

    @property
    def shown_name(self) -> str:
        return localized(self, "name")

    @property
    def shown_description(self) -> str:
        return localized(self, "description")


class EvaluationStatus(models.TextChoices):
    RATING = "rating", _("Évaluations individuelles")
    DELIBERATING = "deliberating", _("Délibération")
    CLOSED = "closed", _("Clôturée")


SCORE_MIN = -2
SCORE_MAX = 2


class EvaluationSession(models.Model):
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="evaluation_sessions")
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, null=True, blank=True, related_name="evaluation_sessions"
    )
    title = models.CharField(_("titre"), max_length=200)
    held_on = models.DateField(_("date"), validators=[CURRENT_ERA.validator])
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="evaluation_sessions", verbose_name=_("participant·es")
    )
    # The grid is fixed when the session opens, so a later change of the managed list does not alter it.
    dimensions = models.ManyToManyField(ValueDimension, related_name="sessions", verbose_name=_("dimensions"))
    status = models.CharField(
        _("étape"), max_length=15, choices=EvaluationStatus.choices, default=EvaluationStatus.RATING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluation_sessions_created"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True, validators=[PLAUSIBLE.validator])

    class Meta:
        ordering = ("-held_on", "-pk")
        verbose_name = _("séance d'évaluation")
        verbose_name_plural = _("séances d'évaluation")
        constraints = [
            CURRENT_ERA.date_constraint("held_on"),
            PLAUSIBLE.datetime_constraint("closed_at"),
        ]

    def __str__(self):
        return self.title

    @property
    def ratings_are_shared(self) -> bool:
        """Until the deliberation opens, each participant sees only their own ratings (and nobody else sees
        any), so that the spread shows what each one thought before hearing the others."""
        return self.status != EvaluationStatus.RATING


_SCORE_RANGE = Q(score__gte=SCORE_MIN) & Q(score__lte=SCORE_MAX)


class Rating(models.Model):
    """One participant's rating of the value created on one dimension."""

    session = models.ForeignKey(EvaluationSession, on_delete=models.CASCADE, related_name="ratings")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="value_ratings"
    )
    dimension = models.ForeignKey(ValueDimension, on_delete=models.PROTECT, related_name="ratings")
    score = models.SmallIntegerField(_("valeur créée"))
    comment = models.TextField(_("commentaire"), blank=True, max_length=TEXT)
    for_whom = models.CharField(_("pour qui"), max_length=300, blank=True)
    evidence = models.TextField(_("éléments de preuve"), blank=True, max_length=TEXT)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("dimension__position", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("session", "participant", "dimension"), name="methods_rating_one_per_dimension"
            ),
            models.CheckConstraint(condition=_SCORE_RANGE, name="methods_rating_score_range"),
            text_length("comment", TEXT),
            text_length("evidence", TEXT),
        ]

    def __str__(self):
        return f"{self.dimension}: {self.score:+d}"


class Agreement(models.Model):
    """The group's deliberated rating of one dimension; disagreements are recorded, not averaged away."""

    session = models.ForeignKey(EvaluationSession, on_delete=models.CASCADE, related_name="agreements")
    dimension = models.ForeignKey(ValueDimension, on_delete=models.PROTECT, related_name="agreements")
    score = models.SmallIntegerField(_("valeur retenue par le groupe"))
    synthesis = models.TextField(_("synthèse"), blank=True, max_length=TEXT)
    disagreements = models.TextField(_("désaccords"), blank=True, max_length=TEXT)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="value_agreements"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("dimension__position", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("session", "dimension"), name="methods_agreement_one_per_dimension"
            ),
            models.CheckConstraint(condition=_SCORE_RANGE, name="methods_agreement_score_range"),
            text_length("synthesis", TEXT),
            text_length("disagreements", TEXT),
        ]

    def __str__(self):
        return f"{self.dimension}: {self.score:+d}"

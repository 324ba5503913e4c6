"""A territory's projects and their three deliverables (DOMAIN.md §4).

The questions are data (QuestionSet, Question), versioned: a deliverable keeps the question set it was written
against, so changing the questions later never hides an answer. Each submission freezes the deliverable into
an immutable DeliverableVersion; answers keep every saved state (AnswerRevision), and a version number on each
answer lets two people editing at once detect each other instead of overwriting silently.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ActorFamily
from core.bounds import CURRENT_ERA, DOCUMENT_TEXT, LONG_TEXT, PLAUSIBLE, TEXT, text_length
from core.french import Article, Noun
from core.i18n import localized
from core.models import Theme
from territories.models import Recommendation, Territory


class DeliverableKind(models.TextChoices):
    INTENTION = "intention", _("Note d'intention")
    CADRAGE = "cadrage", _("Note de cadrage")
    FAISABILITE = "faisabilite", _("Note de faisabilité")

    @classmethod
    def ordered(cls):
        return [cls.INTENTION, cls.CADRAGE, cls.FAISABILITE]

    @property
    def noun(self) -> Noun:
        """« la note d'intention » (every deliverable is a note: feminine), for `core.french`."""
        label = str(self.label)
        return Noun(label[:1].lower() + label[1:], Article.LA)

    @property
    def next(self):
        order = DeliverableKind.ordered()
        index = order.index(self)
        return order[index + 1] if index + 1 < len(order) else None

    @property
    def number(self):
        return DeliverableKind.ordered().index(self) + 1


class Stage(models.TextChoices):
    INTENTION = "intention", _("Intention")
    CADRAGE = "cadrage", _("Cadrage")
    FAISABILITE = "faisabilite", _("Faisabilité")
    LAUNCHED = "launched", _("Lancé")
    ABANDONED = "abandoned", _("Abandonné")


class StructuredPart(models.TextChoices):
    """The lists a question asks for, entered as rows rather than prose."""

    NONE = "", _("Texte seul")
    STAKEHOLDERS = "stakeholders", _("Parties prenantes")
    OBJECTIVES = "objectives", _("Objectifs")
    SUCCESS_CRITERIA = "success_criteria", _("Critères de réussite")
    INTERNAL_MEANS = "internal_means", _("Moyens internes")
    EXTERNAL_MEANS = "external_means", _("Moyens externes")
    STEPS = "steps", _("Étapes et livrables")
    ROLES = "roles", _("Rôles et responsabilités")


class QuestionSet(models.Model):
    """One version of the questions of a deliverable kind. A version is drafted (by the admins and the
    facilitators allowed to), previewed, then published: from then on it never changes, and it becomes the
    version new deliverables are written against. At most one draft per kind is open at a time."""

    kind = models.CharField(_("livrable"), max_length=20, choices=DeliverableKind.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    purpose = models.CharField(_("finalité"), max_length=200)
    purpose_en = models.CharField(_("finalité (en anglais)"), max_length=200, blank=True)
    is_current = models.BooleanField(_("en vigueur"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Empty while the version is a draft; a published version is immutable.
    published_at = models.DateTimeField(
        _("publiée le"), null=True, blank=True, validators=[PLAUSIBLE.validator]
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(
        _("ce qui change"),
        blank=True,
        help_text=_("Expliqué aux équipes qui passent leur brouillon à cette version."),
        max_length=TEXT,
    )

    class Meta:
        verbose_name = _("jeu de questions")
        verbose_name_plural = _("jeux de questions")
        ordering = ["kind", "-version"]
        permissions = [
            ("manage_question_sets", _("Rédiger et publier les versions des questions des livrables"))
        ]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="question_set_version_unique"),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(is_current=True), name="one_current_question_set_per_kind"
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(published_at__isnull=True),
                name="one_draft_question_set_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(is_current=False) | Q(published_at__isnull=False),
                name="current_question_set_is_published",
            ),
            PLAUSIBLE.datetime_constraint("published_at"),
            text_length("note", TEXT),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version}"

    def save(self, *args, **kwargs):
        # A set created in force (the method's first versions, seeded) is published from the start.
        if self.is_current and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.published_at is None

    @property
    def shown_purpose(self) -> str:
        return localized(self, "purpose")


class Question(models.Model):
    question_set = models.ForeignKey(QuestionSet, on_delete=models.CASCADE, related_name="questions")
    # The same question across versions keeps its key: a draft moved to a new version takes its answers along
    # question by question, matched by key, whatever their numbers or wording.
    key = models.SlugField(_("clé"), max_length=60, blank=True)
    number = models.PositiveSmallIntegerField(_("numéro"))
    text = models.TextField(_("question"), max_length=TEXT)
    help_text = models.TextField(_("aide"), blank=True, max_length=TEXT)
    # The same question for English readers; the French text is shown where none is written.
    text_en = models.TextField(_("question (en anglais)"), blank=True, max_length=TEXT)
    help_text_en = models.TextField(_("aide (en anglais)"), blank=True, max_length=TEXT)
    is_required = models.BooleanField(_("obligatoire"), default=True)
    structured_part = models.CharField(
        _("partie structurée"), max_length=20, choices=StructuredPart.choices, blank=True
    )

    class Meta:
        verbose_name = _("question")
        ordering = ["question_set", "number"]
        constraints = [
            models.UniqueConstraint(fields=["question_set", "number"], name="question_number_unique"),
            models.UniqueConstraint(fields=["question_set", "key"], name="question_key_unique"),
            text_length("text", TEXT),
            text_length("help_text", TEXT),
            text_length("text_en", TEXT),
            text_length("help_text_en", TEXT),
        ]

    def __str__(self):
        return f"{self.number}. {self.text}"

    def save(self, *args, **kwargs):
        # The method's first questions are keyed by their number (q1, q2…); later ones get a key of their own
        # when a draft adds them (services.question_set_save).
        if not self.key:
            self.key = f"q{self.number}"
        super().save(*args, **kwargs)

    @property
    def shown_text(self) -> str:
        return localized(self, "text")

    @property
    def shown_help_text(self) -> str:
        return localized(self, "help_text")


class Project(models.Model):
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="projects", verbose_name=_("territoire")
    )
    title = models.CharField(_("titre"), max_length=200)
    summary = models.TextField(_("résumé"), blank=True, max_length=TEXT)
    themes = models.ManyToManyField(Theme, blank=True, related_name="projects", verbose_name=_("thèmes"))
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_projects",
        verbose_name=_("porteur·se"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="projects", verbose_name=_("équipe projet")
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_projects",
        verbose_name=_("accompagnateur·ices"),
    )
    recommendations = models.ManyToManyField(
        Recommendation,
        blank=True,
        related_name="projects",
        verbose_name=_("recommandations du diagnostic"),
    )
    # Derived from the deliverables (Project.compute_stage); stored so lists filter on it with an index.
    stage = models.CharField(_("étape"), max_length=20, choices=Stage.choices, default=Stage.INTENTION)
    abandon_reason = models.TextField(_("raison de l'abandon"), blank=True, max_length=TEXT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("projet")
        verbose_name_plural = _("projets")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["territory", "stage"]),
            models.Index(fields=["stage"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage="abandoned") | ~Q(abandon_reason=""),
                name="abandoned_project_has_reason",
            ),
            text_length("summary", TEXT),
            text_length("abandon_reason", TEXT),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:detail", args=[self.pk])

    def compute_stage(self, deliverables=None) -> str:
        """The stage follows the last validated deliverable; an abandoned project stays abandoned."""
        if self.stage == Stage.ABANDONED:
            return Stage.ABANDONED
        if deliverables is None:
            deliverables = list(self.deliverables.all())
        validated = {d.kind for d in deliverables if d.status == DeliverableStatus.VALIDATED}
        if DeliverableKind.FAISABILITE in validated:
            return Stage.LAUNCHED
        if DeliverableKind.CADRAGE in validated:
            return Stage.FAISABILITE
        if DeliverableKind.INTENTION in validated:
            return Stage.CADRAGE
        return Stage.INTENTION


class DeliverableStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    # A deliverable is a note: its status agrees with it (« Soumise », « Validée »).
    SUBMITTED = "submitted", _("Soumise")
    CHANGES_REQUESTED = "changes_requested", _("À reprendre")
    VALIDATED = "validated", _("Validée")


class Deliverable(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="deliverables")
    kind = models.CharField(_("livrable"), max_length=20, choices=DeliverableKind.choices)
    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="deliverables")
    status = models.CharField(
        _("statut"), max_length=20, choices=DeliverableStatus.choices, default=DeliverableStatus.DRAFT
    )
    # A facilitator reopening a validated deliverable starts a new revision.
    revision = models.PositiveSmallIntegerField(_("révision"), default=1)
    submitted_at = models.DateTimeField(
        _("soumis le"), null=True, blank=True, validators=[PLAUSIBLE.validator]
    )
    validated_at = models.DateTimeField(
        _("validé le"), null=True, blank=True, validators=[PLAUSIBLE.validator]
    )
    # The last reopening of a validated note: shown on the note and on the project page while it is rewritten.
    reopened_at = models.DateTimeField(
        _("rouverte le"), null=True, blank=True, validators=[PLAUSIBLE.validator]
    )
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopen_reason = models.TextField(_("raison de la réouverture"), blank=True, max_length=TEXT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("livrable")
        verbose_name_plural = _("livrables")
        ordering = ["project", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="one_deliverable_per_kind"),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False),
                name="submitted_deliverable_has_date",
            ),
            PLAUSIBLE.datetime_constraint("submitted_at"),
            PLAUSIBLE.datetime_constraint("validated_at"),
            PLAUSIBLE.datetime_constraint("reopened_at"),
            text_length("reopen_reason", TEXT),
        ]
        indexes = [
            models.Index(fields=["submitted_at"], name="deliverable_waiting", condition=Q(status="submitted"))
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.project}"

    def get_absolute_url(self):
        return reverse("projects:deliverable", args=[self.project_id, self.kind])

    @property
    def kind_enum(self) -> DeliverableKind:
        return DeliverableKind(self.kind)

    @property
    def is_editable(self) -> bool:
        """The team writes while the facilitator is not reviewing and the note is not frozen."""
        return self.status in (DeliverableStatus.DRAFT, DeliverableStatus.CHANGES_REQUESTED)

    def missing_questions(self, answers_by_question=None, filled_parts=None) -> list:
        """Required questions without an answer: neither text nor, for a structured one, a row."""
        if answers_by_question is None:
            answers_by_question = {a.question_id: a for a in self.answers.all()}
        if filled_parts is None:
            filled_parts = self.filled_structured_parts()
        missing = []
        for question in self.question_set.questions.all():
            if not question.is_required:
                continue
            answer = answers_by_question.get(question.pk)
            has_text = answer is not None and answer.text.strip()
            if not has_text and question.structured_part not in filled_parts:
                missing.append(question)
        return missing

    def filled_structured_parts(self) -> set:
        parts = set()
        if self.stakeholders.exists():
            parts.add(StructuredPart.STAKEHOLDERS)
        if self.objectives.exists():
            parts.add(StructuredPart.OBJECTIVES)
        if self.success_criteria.exists():
            parts.add(StructuredPart.SUCCESS_CRITERIA)
        if self.means.filter(origin=MeansOrigin.INTERNAL).exists():
            parts.add(StructuredPart.INTERNAL_MEANS)
        if self.means.filter(origin=MeansOrigin.EXTERNAL).exists():
            parts.add(StructuredPart.EXTERNAL_MEANS)
        if self.steps.exists():
            parts.add(StructuredPart.STEPS)
        if Responsibility.objects.filter(step__deliverable=self).exists():
            parts.add(StructuredPart.ROLES)
        return parts


class Answer(models.Model):
    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(_("réponse"), blank=True, max_length=DOCUMENT_TEXT)
    # Optimistic concurrency: a save names the version it started from; a stale one is a conflict.
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("réponse")
        constraints = [
            models.UniqueConstraint(fields=["deliverable", "question"], name="one_answer_per_question"),
            text_length("text", DOCUMENT_TEXT),
        ]

    def __str__(self):
        return f"{self.deliverable} — Q{self.question.number}"


class AnswerRevision(models.Model):
    """Every saved state of an answer, including a text that lost a conflict, so nothing is ever lost."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    text = models.TextField(blank=True, max_length=DOCUMENT_TEXT)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)
    # The text was typed against an older version and was not applied: kept for the conflict view.
    is_conflict = models.BooleanField(default=False)
    restored_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-saved_at", "-id"]
        indexes = [models.Index(fields=["answer", "-saved_at"])]
        constraints = [text_length("text", DOCUMENT_TEXT)]

    def __str__(self):
        return f"{self.answer} — {self.saved_at:%Y-%m-%d %H:%M}"


class DeliverableVersion(models.Model):
    """An immutable snapshot taken at each submission; the facilitator's decision is recorded on it."""

    class Decision(models.TextChoices):
        PENDING = "", _("En attente de relecture")
        CHANGES_REQUESTED = "changes_requested", _("À reprendre")
        VALIDATED = "validated", _("Validé")

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    revision = models.PositiveSmallIntegerField(_("révision"))
    # {"questions": [{"number", "text", "help_text", "answer", "structured_part"}], "parts": {...}}
    content = models.JSONField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(validators=[PLAUSIBLE.validator])
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decision_message = models.TextField(_("message de relecture"), blank=True, max_length=LONG_TEXT)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True, validators=[PLAUSIBLE.validator])

    class Meta:
        verbose_name = _("version soumise")
        verbose_name_plural = _("versions soumises")
        ordering = ["deliverable", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["deliverable", "number"], name="deliverable_version_unique"),
            PLAUSIBLE.datetime_constraint("submitted_at"),
            PLAUSIBLE.datetime_constraint("decided_at"),
            text_length("decision_message", LONG_TEXT),
        ]

    def __str__(self):
        return f"{self.deliverable} — v{self.number}"


# Structured parts ---------------------------------------------------------------------------------------


class Involvement(models.TextChoices):
    DIRECT = "direct", _("Directe")
    INDIRECT = "indirect", _("Indirecte")


class Stakeholder(models.Model):
    """Cadrage Q1: a direct or indirect stakeholder; reused by the roles matrix of the note de faisabilité."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="stakeholders")
    name = models.CharField(_("nom"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    involvement = models.CharField(
        _("partie prenante"), max_length=10, choices=Involvement.choices, default=Involvement.DIRECT
    )
    family = models.CharField(_("famille"), max_length=20, choices=ActorFamily.choices)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("partie prenante")
        verbose_name_plural = _("parties prenantes")
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


class ObjectiveKind(models.TextChoices):
    QUANTITATIVE = "quantitative", _("Quantitatif")
    QUALITATIVE = "qualitative", _("Qualitatif")


class Objective(models.Model):
    """Cadrage Q2."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="objectives")
    kind = models.CharField(_("type"), max_length=15, choices=ObjectiveKind.choices)
    title = models.CharField(_("objectif"), max_length=300)
    description = models.TextField(_("précisions"), blank=True, max_length=TEXT)
    indicator = models.CharField(_("indicateur"), max_length=200, blank=True)
    baseline = models.DecimalField(
        _("valeur de départ"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(_("cible"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unité"), max_length=50, blank=True)
    due_date = models.DateField(_("échéance"), null=True, blank=True, validators=[CURRENT_ERA.validator])
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("objectif")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="qualitative")
                | (~Q(indicator="") & Q(target__isnull=False) & Q(due_date__isnull=False)),
                name="quantitative_objective_is_measurable",
            ),
            CURRENT_ERA.date_constraint("due_date"),
            text_length("description", TEXT),
        ]

    def __str__(self):
        return self.title


class SuccessCriterion(models.Model):
    """Cadrage Q4: how success will be judged, tied to the objectives it measures."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="success_criteria")
    text = models.CharField(_("critère"), max_length=300)
    objectives = models.ManyToManyField(
        Objective, blank=True, related_name="criteria", verbose_name=_("objectifs")
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("critère de réussite")
        verbose_name_plural = _("critères de réussite")
        ordering = ["position", "id"]

    def __str__(self):
        return self.text


class MeansOrigin(models.TextChoices):
    INTERNAL = "internal", _("Interne")
    EXTERNAL = "external", _("Externe")


class MeansKind(models.TextChoices):
    HUMAN = "human", _("Humain")
    TECHNICAL = "technical", _("Technique")
    FINANCIAL = "financial", _("Financier")


class Means(models.Model):
    """Faisabilité Q1 (internal) and Q2 (external)."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="means")
    origin = models.CharField(_("origine"), max_length=10, choices=MeansOrigin.choices)
    kind = models.CharField(_("nature"), max_length=10, choices=MeansKind.choices)
    description = models.CharField(_("description"), max_length=300)
    fte = models.DecimalField(_("ETP"), max_digits=6, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(_("montant (€)"), max_digits=14, decimal_places=2, null=True, blank=True)
    funder = models.CharField(_("financeur ou fournisseur"), max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("moyen")
        verbose_name_plural = _("moyens")
        ordering = ["origin", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fte__isnull=True) | Q(fte__gte=0), name="means_fte_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="means_amount_not_negative"
            ),
        ]

    def __str__(self):
        return self.description


class Step(models.Model):
    """Faisabilité Q3: a step of the project with its dates and what it delivers."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(_("étape"), max_length=200)
    start = models.DateField(_("début"), validators=[CURRENT_ERA.validator])
    end = models.DateField(_("fin"), validators=[CURRENT_ERA.validator])
    outputs = models.TextField(_("livrables de l'étape"), blank=True, max_length=TEXT)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("étape")
        ordering = ["start", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="step_ends_after_start"),
            CURRENT_ERA.date_constraint("start"),
            CURRENT_ERA.date_constraint("end"),
            text_length("outputs", TEXT),
        ]

    def __str__(self):
        return self.title


class ResponsibilityLevel(models.TextChoices):
    RESPONSIBLE = "R", _("Responsable")
    CONTRIBUTOR = "C", _("Contributeur")
    INFORMED = "I", _("Informé")


class Responsibility(models.Model):
    """Faisabilité Q4: one cell of the stakeholders × steps matrix."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="responsibilities")
    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="responsibilities")
    level = models.CharField(_("rôle"), max_length=1, choices=ResponsibilityLevel.choices)

    class Meta:
        verbose_name = _("responsabilité")
        verbose_name_plural = _("rôles et responsabilités")
        constraints = [
            models.UniqueConstraint(fields=["step", "stakeholder"], name="one_role_per_step_and_stakeholder"),
        ]

    def __str__(self):
        return f"{self.stakeholder} — {self.step}: {self.level}"


# Review -------------------------------------------------------------------------------------------------


class Comment(models.Model):
    """A review comment, anchored to a question (or to the whole deliverable), threaded one level deep."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="comments")
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.PROTECT, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # The version under review when the comment was written (none while a draft is being written).
    version = models.ForeignKey(
        DeliverableVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("commentaire"), max_length=LONG_TEXT)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True, validators=[PLAUSIBLE.validator])
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("commentaire")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["deliverable", "created_at"])]
        constraints = [PLAUSIBLE.datetime_constraint("resolved_at"), text_length("body", LONG_TEXT)]

    def __str__(self):
        return self.body[:80]


class PrivateNote(models.Model):
    """A facilitators' note on a project that its team never sees: kept apart from comments so no comment
    query can ever leak one."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="private_notes")
    deliverable = models.ForeignKey(
        Deliverable, null=True, blank=True, on_delete=models.CASCADE, related_name="private_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("note"), max_length=LONG_TEXT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("note privée")
        verbose_name_plural = _("notes privées")
        ordering = ["-created_at", "-id"]
        constraints = [text_length("body", LONG_TEXT)]

    def __str__(self):
        return self.body[:80]

"""What a territory does and observes: its training cycles and awareness events (fundamental 3, "les former
à l'approche systémique et au mode projet collectif") and the journal of the effects it observes (fundamental
4, "évaluer les effets")."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.bounds import CURRENT_ERA, DOCUMENT_TEXT, PLAUSIBLE, text_length
from territories.models import Territory

# A cycle lasts a few days spread over months; a year of sessions is already a very long one.
MAX_CYCLE_DAYS = 60


class TrainingCycle(models.Model):
    """A training cycle of the territory, e.g. 5 days on management by cooperation with the CNFPT."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="training_cycles")
    title = models.CharField(_("intitulé"), max_length=200)
    partner = models.CharField(_("organisme partenaire"), max_length=200, blank=True)
    audience = models.CharField(_("public visé"), max_length=300)
    days = models.PositiveSmallIntegerField(_("nombre de jours"))
    start_date = models.DateField(_("début"), validators=[CURRENT_ERA.validator])
    end_date = models.DateField(_("fin"), validators=[CURRENT_ERA.validator])
    description = models.TextField(_("présentation"), blank=True, max_length=DOCUMENT_TEXT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cycle de formation")
        verbose_name_plural = _("cycles de formation")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="training_cycle_dates_in_order",
                violation_error_message=_("La fin du cycle ne peut pas précéder son début."),
            ),
            models.CheckConstraint(
                condition=Q(days__gte=1) & Q(days__lte=MAX_CYCLE_DAYS), name="training_cycle_days_range"
            ),
            CURRENT_ERA.date_constraint("start_date"),
            CURRENT_ERA.date_constraint("end_date"),
            text_length("description", DOCUMENT_TEXT),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("trainings:cycle_detail", args=[self.pk])

    @property
    def calendar_days(self) -> int:
        """How many dates the cycle spans, both ends included: the most sessions it can hold."""
        return (self.end_date - self.start_date).days + 1

    def covers(self, date) -> bool:
        return self.start_date <= date <= self.end_date


class TrainingSession(models.Model):
    """One day of a cycle."""

    cycle = models.ForeignKey(TrainingCycle, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"), validators=[CURRENT_ERA.validator])
    topic = models.CharField(_("thème de la journée"), max_length=200, blank=True)
    attendance_taken_at = models.DateTimeField(
        _("présences relevées le"), null=True, blank=True, validators=[PLAUSIBLE.validator]
    )

    class Meta:
        verbose_name = _("séance")
        verbose_name_plural = _("séances")
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "date"],
                name="training_session_one_per_day",
                violation_error_message=_("Une séance de ce cycle a déjà lieu ce jour-là."),
            ),
            CURRENT_ERA.date_constraint("date"),
            PLAUSIBLE.datetime_constraint("attendance_taken_at"),
        ]

    def __str__(self):
        return f"{self.cycle} — {self.date:%d/%m/%Y}"


class Participant(models.Model):
    """A person registered for a cycle. Many trainees have no account on the platform: the registration holds
    their name, organisation and function, and links their account when they have one."""

    cycle = models.ForeignKey(TrainingCycle, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("nom"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    function = models.CharField(_("fonction"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_registrations",
        verbose_name=_("compte sur la plateforme"),
    )
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participant·e")
        verbose_name_plural = _("participant·es")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                Lower("organisation"),
                "cycle",
                name="participant_once_per_cycle",
                violation_error_message=_("Cette personne est déjà inscrite à ce cycle."),
            ),
            models.UniqueConstraint(
                fields=["cycle", "user"],
                condition=Q(user__isnull=False),
                name="participant_account_once_per_cycle",
                violation_error_message=_("Ce compte est déjà inscrit à ce cycle."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


class Attendance(models.Model):
    """A participant was present at a session (absence is the lack of a row)."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attendances")

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="attendance_once_per_session")
        ]

    def __str__(self):
        return f"{self.participant} — {self.session.date:%d/%m/%Y}"


class AwarenessEvent(models.Model):
    """An awareness session: a half-day or an evening for élu·es and agents, counted rather than registered
    by name (e.g. 70 élu·es and agents)."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="awareness_events")
    title = models.CharField(_("intitulé"), max_length=200)
    date = models.DateField(_("date"), validators=[CURRENT_ERA.validator])
    audience = models.CharField(_("public"), max_length=300)
    attendees = models.PositiveIntegerField(_("nombre de personnes présentes"))
    partner = models.CharField(_("animé par"), max_length=200, blank=True)
    description = models.TextField(_("présentation"), blank=True, max_length=DOCUMENT_TEXT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("session de sensibilisation")
        verbose_name_plural = _("sessions de sensibilisation")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(attendees__gte=1) & Q(attendees__lte=100000), name="awareness_attendees_range"
            ),
            CURRENT_ERA.date_constraint("date"),
            text_length("description", DOCUMENT_TEXT),
        ]

    def __str__(self):
        return self.title


class Polarity(models.TextChoices):
    POSITIVE = "positive", _("Effet positif (+)")
    NEGATIVE = "negative", _("Effet négatif (−)")


class Effect(models.Model):
    """An effect observed on the territory or on one of its pilot initiatives: the "+ / −" table of the
    method's evaluation. Not a training: it lives here because this app holds what the territory does and
    what it observes."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="effects")
    polarity = models.CharField(_("sens de l'effet"), max_length=10, choices=Polarity.choices)
    description = models.TextField(_("effet observé"), max_length=DOCUMENT_TEXT)
    # Projects are built elsewhere: a free label keeps effects independent of them.
    initiative = models.CharField(_("initiative pilote"), max_length=200, blank=True)
    observed_on = models.DateField(_("observé le"), validators=[CURRENT_ERA.validator])
    observed_by = models.CharField(_("observé par"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("effet observé")
        verbose_name_plural = _("effets observés")
        ordering = ["observed_on", "id"]
        indexes = [models.Index(fields=["territory", "initiative"])]
        constraints = [
            models.CheckConstraint(condition=Q(polarity__in=Polarity.values), name="effect_polarity_known"),
            CURRENT_ERA.date_constraint("observed_on"),
            text_length("description", DOCUMENT_TEXT),
        ]

    def __str__(self):
        sign = "+" if self.polarity == Polarity.POSITIVE else "−"
        return f"{sign} {self.description[:80]}"

    @property
    def is_positive(self):
        return self.polarity == Polarity.POSITIVE

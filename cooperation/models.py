"""Peer groups ("groupes de pairs") and the tripartite interpellation of DOMAIN.md §3 and §5.

A group discusses, meets and qualifies its collective work (points de vue, besoins, propositions). Two groups
cross their work in a croisement, agree on joint proposals, and address the shared ones to the élus of the
territory, who answer each one.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import CURRENT_ERA, DOCUMENT_TEXT, LONG_TEXT, PLAUSIBLE, SHORT_TEXT, TEXT, text_length
from core.french import Article, Noun
from core.i18n import localized


class KindFamily(models.TextChoices):
    HIERARCHICAL = "hierarchical", _("Pairs hiérarchiques")
    FUNCTIONAL = "functional", _("Pairs fonctionnels")


class GroupKind(models.Model):
    """The managed list of kinds of peer group (Espace des DGS, Climat-PCAET, offices de tourisme…)."""

    name = models.CharField(_("nom"), max_length=150, unique=True)
    family = models.CharField(_("famille"), max_length=20, choices=KindFamily.choices)
    description = models.TextField(_("description"), blank=True, max_length=TEXT)
    # The same texts for English readers; the French ones are shown where none is written.
    name_en = models.CharField(_("nom (en anglais)"), max_length=150, blank=True)
    description_en = models.TextField(_("description (en anglais)"), blank=True, max_length=TEXT)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_active = models.BooleanField(_("proposé"), default=True)

    class Meta:
        verbose_name = _("type de groupe de pairs")
        verbose_name_plural = _("types de groupes de pairs")
        ordering = ["family", "position", "name"]
        constraints = [text_length("description", TEXT), text_length("description_en", TEXT)]

    def __str__(self):
        return self.shown_name

    @property
    def shown_name(self) -> str:
        return localized(self, "name")

    @property
    def shown_description(self) -> str:
        return localized(self, "description")


class Scope(models.TextChoices):
    TERRITORY = "territory", _("Un territoire")
    EPCIS = "epcis", _("Plusieurs EPCI")
    ALLIANCE = "alliance", _("Toute l'alliance")


class PeerGroup(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    # What French puts in front of the name (« l'Espace des agents », « de l' », « à l' »): see core.french.
    article = models.CharField(
        _("article devant le nom"),
        max_length=5,
        choices=Article.choices,
        blank=True,
        default=Article.NONE,
        help_text=_("Pour écrire « les membres de l'Espace des agents », pas « de Espace des agents »."),
    )
    kind = models.ForeignKey(
        GroupKind, on_delete=models.PROTECT, related_name="groups", verbose_name=_("type")
    )
    scope = models.CharField(_("périmètre"), max_length=20, choices=Scope.choices, default=Scope.TERRITORY)
    territory = models.ForeignKey(
        "territories.Territory",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="peer_groups",
        verbose_name=_("territoire"),
    )
    epcis = models.ManyToManyField("reference.Epci", blank=True, related_name="+", verbose_name=_("EPCI"))
    description = models.TextField(_("présentation"), blank=True, max_length=TEXT)
    is_listed = models.BooleanField(
        _("listé publiquement"),
        default=False,
        help_text=_(
            "Les personnes connectées voient le nom et la présentation du groupe et peuvent demander à le "
            "rejoindre ; l'intérieur reste réservé aux membres."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("groupe de pairs")
        verbose_name_plural = _("groupes de pairs")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(scope="territory") | Q(territory__isnull=False),
                name="peer_group_territory_scope_has_territory",
            ),
            text_length("description", TEXT),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cooperation:group_detail", args=[self.pk])

    @property
    def noun(self) -> Noun:
        return Noun(self.name, self.article)


class GroupRole(models.TextChoices):
    MEMBER = "member", _("Membre")
    FACILITATOR = "facilitator", _("Animateur·ice")


class GroupMember(models.Model):
    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peer_groups")
    role = models.CharField(_("rôle"), max_length=20, choices=GroupRole.choices, default=GroupRole.MEMBER)
    follows = models.BooleanField(
        _("suit le groupe"),
        default=True,
        help_text=_("Être notifié·e des nouvelles discussions et réponses."),
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membre du groupe")
        verbose_name_plural = _("membres du groupe")
        ordering = ["role", "user__full_name"]
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="peer_group_member_unique")]

    def __str__(self):
        return f"{self.user} — {self.group}"

    @property
    def is_facilitator(self):
        return self.role == GroupRole.FACILITATOR


class JoinDirection(models.TextChoices):
    REQUEST = "request", _("Demande")
    INVITATION = "invitation", _("Invitation")


class JoinStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    ACCEPTED = "accepted", _("Acceptée")
    DECLINED = "declined", _("Déclinée")


class JoinRequest(models.Model):
    """A person asks to join a listed group (a facilitator answers), or a facilitator invites a person (who
    answers)."""

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    direction = models.CharField(max_length=20, choices=JoinDirection.choices)
    role = models.CharField(_("rôle"), max_length=20, choices=GroupRole.choices, default=GroupRole.MEMBER)
    message = models.TextField(_("message"), blank=True, max_length=SHORT_TEXT)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=JoinStatus.choices, default=JoinStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True, validators=[PLAUSIBLE.validator])

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"], condition=Q(status="pending"), name="one_pending_join_per_person"
            ),
            PLAUSIBLE.datetime_constraint("decided_at"),
            text_length("message", SHORT_TEXT),
        ]

    def __str__(self):
        return f"{self.get_direction_display()} : {self.user} → {self.group}"


# --- Discussions -----------------------------------------------------------------------------------------


class Thread(models.Model):
    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("titre"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Kept by the services when a reply is posted, so the group page orders threads without reading posts.
    last_post_at = models.DateTimeField(default=timezone.now, db_index=True, validators=[PLAUSIBLE.validator])
    post_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")
        ordering = ["-last_post_at", "-id"]
        indexes = [models.Index(fields=["group", "-last_post_at"])]
        constraints = [PLAUSIBLE.datetime_constraint("last_post_at")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cooperation:thread_detail", args=[self.group_id, self.pk])


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"), max_length=LONG_TEXT)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        constraints = [text_length("body", LONG_TEXT)]

    def __str__(self):
        return f"{self.author} — {self.created_at:%Y-%m-%d %H:%M}"


def attachment_upload_to(instance, filename):
    # Generated names: nothing of the uploader's file name reaches the disk or a URL.
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"cooperation/{uuid.uuid4().hex}.{extension}"


class Attachment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_upload_to)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    size = models.PositiveIntegerField(_("taille"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["id"]

    def __str__(self):
        return self.original_name

    @property
    def extension(self):
        return self.file.name.rsplit(".", 1)[-1].lower()


# --- Meetings --------------------------------------------------------------------------------------------


class Meeting(models.Model):
    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("intitulé"), max_length=200)
    starts_at = models.DateTimeField(_("date et heure"), validators=[CURRENT_ERA.validator])
    place = models.CharField(_("lieu"), max_length=300, blank=True)
    link = models.URLField(_("lien de visioconférence"), blank=True)
    agenda = models.TextField(_("ordre du jour"), blank=True, max_length=LONG_TEXT)
    minutes = models.TextField(_("compte-rendu"), blank=True, max_length=DOCUMENT_TEXT)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("présent·es")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A cancelled meeting is kept (agendas that have it are told, STATUS:CANCELLED) and may be restored.
    cancelled_at = models.DateTimeField(
        _("annulée le"), null=True, blank=True, validators=[PLAUSIBLE.validator]
    )

    class Meta:
        verbose_name = _("réunion")
        verbose_name_plural = _("réunions")
        ordering = ["-starts_at", "-id"]
        constraints = [
            CURRENT_ERA.datetime_constraint("starts_at"),
            PLAUSIBLE.datetime_constraint("cancelled_at"),
            text_length("agenda", LONG_TEXT),
            text_length("minutes", DOCUMENT_TEXT),
        ]

    def __str__(self):
        return self.title


# --- The group's collective work --------------------------------------------------------------------------


class ContributionKind(models.TextChoices):
    VIEW = "view", _("Point de vue")
    NEED = "need", _("Besoin")
    PROPOSAL = "proposal", _("Proposition")


class ContributionStatus(models.TextChoices):
    DRAFT = "draft", _("En rédaction")
    AGREED = "agreed", _("Validé par le groupe")


class Contribution(models.Model):
    """A point of view the group qualifies, a need it reveals or a proposal it makes: drafted together by
    its members, then marked as agreed by the group (after which it no longer changes)."""

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="contributions")
    kind = models.CharField(_("nature"), max_length=20, choices=ContributionKind.choices)
    title = models.CharField(_("intitulé"), max_length=200)
    body = models.TextField(_("texte"), max_length=LONG_TEXT)
    status = models.CharField(
        _("statut"), max_length=20, choices=ContributionStatus.choices, default=ContributionStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True, validators=[PLAUSIBLE.validator])

    class Meta:
        verbose_name = _("travail du groupe")
        verbose_name_plural = _("travaux du groupe")
        ordering = ["kind", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(agreed_at__isnull=False), name="contribution_agreed_has_date"
            ),
            PLAUSIBLE.datetime_constraint("agreed_at"),
            text_length("body", LONG_TEXT),
        ]

    def __str__(self):
        return self.title


# --- The tripartite interpellation ------------------------------------------------------------------------


class Crossing(models.Model):
    """The shared space of two groups ("croisement"): each puts its work into it, and they agree on joint
    proposals addressed to the élus of the territory."""

    title = models.CharField(_("intitulé"), max_length=200)
    group_a = models.ForeignKey(
        PeerGroup, on_delete=models.CASCADE, related_name="crossings_as_a", verbose_name=_("premier groupe")
    )
    group_b = models.ForeignKey(
        PeerGroup, on_delete=models.CASCADE, related_name="crossings_as_b", verbose_name=_("second groupe")
    )
    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.CASCADE,
        related_name="crossings",
        verbose_name=_("territoire interpellé"),
    )
    addressee_body = models.CharField(
        _("instance interpellée"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple « Comité syndical » ; sinon les élu·es de l'équipe du territoire."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    shared_contributions = models.ManyToManyField(Contribution, blank=True, related_name="crossings")

    class Meta:
        verbose_name = _("croisement")
        verbose_name_plural = _("croisements")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(group_a=models.F("group_b")), name="crossing_two_groups"),
            models.UniqueConstraint(fields=["group_a", "group_b"], name="crossing_pair_unique"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cooperation:crossing_detail", args=[self.pk])

    @property
    def groups(self):
        return (self.group_a, self.group_b)


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("En rédaction")
    AGREED_BY_ONE = "agreed_by_one", _("Validée par un groupe")
    SHARED = "shared", _("Partagée")
    ADDRESSED = "addressed", _("Adressée aux élu·es")
    ANSWERED = "answered", _("Réponse reçue")


class Decision(models.TextChoices):
    ADOPTED = "adopted", _("Retenue")
    STUDYING = "studying", _("À l'étude")
    REJECTED = "rejected", _("Non retenue")


class JointProposal(models.Model):
    crossing = models.ForeignKey(Crossing, on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(_("intitulé"), max_length=200)
    body = models.TextField(_("proposition"), max_length=LONG_TEXT)
    source = models.ForeignKey(
        Contribution,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="joint_proposals",
        verbose_name=_("issue de"),
    )
    status = models.CharField(
        _("étape"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    shared_at = models.DateTimeField(null=True, blank=True, validators=[PLAUSIBLE.validator])
    addressed_at = models.DateTimeField(null=True, blank=True, validators=[PLAUSIBLE.validator])
    addressed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True, validators=[PLAUSIBLE.validator])

    class Meta:
        verbose_name = _("proposition commune")
        verbose_name_plural = _("propositions communes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "agreed_by_one"]) | Q(shared_at__isnull=False),
                name="proposal_shared_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["addressed", "answered"]) | Q(addressed_at__isnull=False),
                name="proposal_addressed_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="answered") | Q(answered_at__isnull=False),
                name="proposal_answered_has_date",
            ),
            PLAUSIBLE.datetime_constraint("shared_at"),
            PLAUSIBLE.datetime_constraint("addressed_at"),
            PLAUSIBLE.datetime_constraint("answered_at"),
            text_length("body", LONG_TEXT),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cooperation:proposal_detail", args=[self.pk])

    def wait(self, now=None):
        """How long the élus took (or have taken so far) to answer; None before it is addressed."""
        if self.addressed_at is None:
            return None
        return (self.answered_at or now or timezone.now()) - self.addressed_at


class ProposalAgreement(models.Model):
    """One group's agreement on a joint proposal: who recorded it for the group, and when."""

    proposal = models.ForeignKey(JointProposal, on_delete=models.CASCADE, related_name="agreements")
    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="+")
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(default=timezone.now, validators=[PLAUSIBLE.validator])

    class Meta:
        ordering = ["agreed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "group"], name="one_agreement_per_group"),
            PLAUSIBLE.datetime_constraint("agreed_at"),
        ]

    def __str__(self):
        return f"{self.group} — {self.proposal}"


class ProposalAnswer(models.Model):
    """The élus' answer to an addressed proposal; one per proposal, visible to both groups."""

    proposal = models.OneToOneField(JointProposal, on_delete=models.CASCADE, related_name="answer")
    decision = models.CharField(_("décision"), max_length=20, choices=Decision.choices)
    response = models.TextField(_("réponse écrite"), max_length=LONG_TEXT)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(default=timezone.now, validators=[PLAUSIBLE.validator])

    class Meta:
        verbose_name = _("réponse des élu·es")
        verbose_name_plural = _("réponses des élu·es")
        constraints = [PLAUSIBLE.datetime_constraint("answered_at"), text_length("response", LONG_TEXT)]

    def __str__(self):
        return f"{self.get_decision_display()} — {self.proposal}"

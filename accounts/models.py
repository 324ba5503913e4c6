from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import PLAUSIBLE


class ActorFamily(models.TextChoices):
    """The "4 Fantastiques" of a territorial ecosystem, and everyone else."""

    ELU = "elu", _("Élu·e")
    AGENT = "agent", _("Agent de collectivité")
    ETAT = "etat", _("État territorial")
    SOCIO_ECO = "socio_eco", _("Acteur socio-économique")
    AUTRE = "autre", _("Autre (consultant·e, chercheur·e…)")


class PlatformRole(models.TextChoices):
    MEMBER = "member", _("Utilisateur·ice")
    FACILITATOR = "facilitator", _("Accompagnateur·ice de La Fabrique")
    ADMIN = "admin", _("Administrateur·ice de l'alliance")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", PlatformRole.ADMIN)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("adresse e-mail"), unique=True)
    full_name = models.CharField(_("nom complet"), max_length=150, blank=True)
    function = models.CharField(_("fonction"), max_length=150, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    family = models.CharField(
        _("famille d'acteur"), max_length=20, choices=ActorFamily.choices, default=ActorFamily.AUTRE
    )
    role = models.CharField(
        _("rôle sur la plateforme"), max_length=20, choices=PlatformRole.choices, default=PlatformRole.MEMBER
    )
    # The language the person reads the platform and their e-mails in, once they chose one (the language
    # switch, their profile); the platform's own language until then.
    language = models.CharField(
        _("langue de la plateforme et des e-mails"), max_length=8, choices=settings.LANGUAGES, blank=True
    )
    is_active = models.BooleanField(_("actif"), default=True)
    is_staff = models.BooleanField(_("accès à l'administration Django"), default=False)
    date_joined = models.DateTimeField(
        _("inscrit·e le"), default=timezone.now, validators=[PLAUSIBLE.validator]
    )
    # AbstractBaseUser's, with the range every stored date has.
    last_login = models.DateTimeField(
        _("dernière connexion"), blank=True, null=True, validators=[PLAUSIBLE.validator]
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("utilisateur·ice")
        verbose_name_plural = _("utilisateur·ices")
        ordering = ["full_name", "email"]
        constraints = [
            PLAUSIBLE.datetime_constraint("date_joined"),
            PLAUSIBLE.datetime_constraint("last_login"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def reading_language(self) -> str:
        """The language to write to this person in: theirs, else the platform's."""
        return self.language or settings.LANGUAGE_CODE

    @property
    def is_alliance_admin(self) -> bool:
        return self.is_active and self.role == PlatformRole.ADMIN

    @property
    def is_facilitator(self) -> bool:
        return self.is_active and self.role == PlatformRole.FACILITATOR


class PrivacyRequestKind(models.TextChoices):
    EXPORT = "export", _("Téléchargement des données personnelles")
    DELETION = "deletion", _("Suppression du compte")


class PrivacyRequest(models.Model):
    """A person's request about their personal data (RGPD), kept for the admins' register.

    The account row is never deleted (it is anonymised), so the link to it stays valid and shows
    "Compte supprimé" after a deletion."""

    kind = models.CharField(_("demande"), max_length=20, choices=PrivacyRequestKind.choices)
    user = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="privacy_requests", verbose_name=_("compte")
    )
    account_id = models.PositiveIntegerField(_("numéro du compte"))
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("demande relative aux données personnelles")
        verbose_name_plural = _("demandes relatives aux données personnelles")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} — #{self.account_id}"


class Session(AbstractBaseSession):
    """A signed-in session, stored with the id of its person (accounts.sessions writes it on every save):
    the data itself is signed, so without this column ending one person's sessions would mean decoding
    every live one. Bookkeeping, not personal data to export: it holds what the cookie already carries."""

    # No constraint: a session saved while its account goes away must not fail the request.
    user = models.ForeignKey(
        User, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "accounts_session"

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore

import os

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from accounts.models import ActorFamily, PlatformRole, User
from alliance.demo import seed_alliance
from cooperation.demo import seed_cooperation
from library.demo import seed_library
from methods.demo import seed_methods
from pages.demo import seed_pages
from projects.demo import seed_projects
from reference.importer import ReferenceDataError, import_reference_data
from reference.models import Commune
from territories.demo import seed_territories
from trainings.demo import seed_trainings

# email, full name, function, family, platform role
DEMO_USERS = [
    (
        "admin@demo.fabrique.test",
        "Camille Admin",
        "Administratrice de l'alliance",
        ActorFamily.AUTRE,
        PlatformRole.ADMIN,
    ),
    (
        "facilitatrice@demo.fabrique.test",
        "Fanny Accompagnatrice",
        "Accompagnatrice de La Fabrique",
        ActorFamily.AUTRE,
        PlatformRole.FACILITATOR,
    ),
    (
        "agent@demo.fabrique.test",
        "Antoine Agent",
        "Chargé de mission transition",
        ActorFamily.AGENT,
        PlatformRole.MEMBER,
    ),
    (
        "dgs@demo.fabrique.test",
        "Dominique DGS",
        "Directrice générale des services",
        ActorFamily.AGENT,
        PlatformRole.MEMBER,
    ),
    (
        "elu@demo.fabrique.test",
        "Élise Élue",
        "Vice-présidente transition écologique",
        ActorFamily.ELU,
        PlatformRole.MEMBER,
    ),
    ("visiteur@demo.fabrique.test", "Victor Visiteur", "Curieux", ActorFamily.AUTRE, PlatformRole.MEMBER),
]


class Command(BaseCommand):
    help = (
        "Crée (ou complète) les données de démonstration : charte, organisations, un compte par rôle, "
        "référentiel administratif et territoire pilote du Tarn."
    )

    def add_arguments(self, parser):
        parser.add_argument("--allow-production", action="store_true", help="Autoriser hors DEBUG.")

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "seed_demo crée des comptes au mot de passe connu : réservé au développement (DEBUG=1)."
            )
        password = os.environ.get("DEMO_PASSWORD") or "transition-demo-2026"
        # The decision e-mails of the demo applications would only flood the console.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            transaction.atomic(),
        ):
            users = {}
            for email, name, function, family, role in DEMO_USERS:
                user, created = User.objects.get_or_create(
                    email=email,
                    defaults={"full_name": name, "function": function, "family": family, "role": role},
                )
                if created:
                    user.set_password(password)
                    if role == PlatformRole.ADMIN:
                        user.is_staff = user.is_superuser = True
                    user.save()
                EmailAddress.objects.update_or_create(
                    user=user, email=email, defaults={"verified": True, "primary": True}
                )
                users[email.split("@")[0]] = user
            admin = users["admin"]
            if not Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(admin, generate_totp_secret())
            seed_alliance(admin=admin, applicants=[users["agent"], users["dgs"], users["elu"]])
            if not Commune.objects.exists():
                try:
                    report = import_reference_data()
                except ReferenceDataError as error:
                    raise CommandError(error.message) from error
                self.stdout.write(f"Référentiel administratif importé en {report.seconds:.1f} s.")
            seed_territories(admin=admin, users=users)
            seed_projects(users=users)
            seed_methods(users=users)
            seed_cooperation(users=users)
            seed_trainings(users=users)
            seed_library(admin=admin, users=users)
            seed_pages(admin=admin)

        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(f"Mot de passe de tous les comptes de démonstration : {password}")
        for email, name, function, _family, _role in DEMO_USERS:
            self.stdout.write(f"  {email:<36} {name} — {function}")
        self.stdout.write(
            "Le compte admin a la double authentification : `python manage.py demo_totp_code "
            "admin@demo.fabrique.test` affiche le code du moment."
        )

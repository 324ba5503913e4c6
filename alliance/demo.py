"""Demo data of the alliance: the charter and a dozen member organisations (used by `seed_demo`)."""

from django.db import transaction

from .models import Category, Charter, Membership, MembershipKind, MembershipStatus, Organisation, Region
from .services import charter_publish, membership_accept, membership_apply, membership_refuse

PREAMBLE = (
    "Nous, acteur·ices divers·es engagé·es dans la transition des territoires, pensons que le temps est venu "
    "d'unir nos forces, nos expériences, notre énergie pour contribuer à un changement d'échelle, en "
    "accompagnant les très nombreux territoires désireux d'avancer dans la transition et en constituant une "
    "force, une alliance avec des mouvements semblables, capable de provoquer et de consolider les "
    "changements nécessaires."
)
COMMITMENTS = [
    "Constituer une communauté apprenante pour enrichir un patrimoine commun.",
    "Proposer ensemble des changements de modèles.",
    "Mettre ce patrimoine au service des transitions.",
    "Favoriser le déploiement d'une ingénierie de la conduite de changement systémique.",
]

# name, category, region, SIREN (valid checksums or empty), status of its membership
ORGANISATIONS = [
    (
        "Pôle Territorial (Tarn)",
        Category.COLLECTIVITE,
        Region.OCCITANIE,
        "",
        "accepted",
    ),
    ("Communauté de communes du Carmausin-Ségala", Category.COLLECTIVITE, Region.OCCITANIE, "", "accepted"),
    ("Réseau Territoires en transition", Category.RESEAU, Region.AUVERGNE_RHONE_ALPES, "", "accepted"),
    ("Association des chargé·es de mission climat", Category.ASSO_PRO, Region.ILE_DE_FRANCE, "", "accepted"),
    (
        "Atelier Coopératif d'Études Systémiques",
        Category.BUREAU_ETUDES,
        Region.NOUVELLE_AQUITAINE,
        "",
        "accepted",
    ),
    ("Institut des transitions territoriales", Category.RECHERCHE, Region.BRETAGNE, "", "accepted"),
    ("Coopérative Énergies Citoyennes du Tarn", Category.ENTREPRISE, Region.OCCITANIE, "", "accepted"),
    ("Collectif Demain en Ségala", Category.CITOYENS, Region.OCCITANIE, "", "accepted"),
    ("Éditions du Commun", Category.MEDIAS, Region.PAYS_DE_LA_LOIRE, "", "accepted"),
    ("Région pilote des transitions", Category.COLLECTIVITE, Region.GRAND_EST, "", "accepted"),
    ("Agence locale de l'énergie et du climat", Category.RESEAU, Region.HAUTS_DE_FRANCE, "", "candidate"),
    ("Bureau Prospective & Territoires", Category.BUREAU_ETUDES, Region.NORMANDIE, "", "candidate"),
]


def seed_alliance(*, admin, applicants):
    """Idempotent: organisations are found by name, memberships created only when missing."""
    with transaction.atomic():
        charter = Charter.objects.filter(is_current=True).first() or charter_publish(
            actor=admin, preamble=PREAMBLE, commitments=COMMITMENTS
        )
        for index, (name, category, region, siren, status) in enumerate(ORGANISATIONS):
            organisation, _created = Organisation.objects.get_or_create(
                name=name,
                defaults={
                    "category": category,
                    "region": region,
                    "siren": siren,
                    "description": f"{name} est membre de l'alliance de La Fabrique des Transitions.",
                },
            )
            if organisation.alliance_memberships.exists():
                continue
            signatory = applicants[index % len(applicants)]
            membership = membership_apply(
                user=signatory,
                kind=MembershipKind.ORGANISATION,
                charter=charter,
                organisation=organisation,
                mandate="Mandaté·e par l'exécutif de la structure.",
            )
            if status == MembershipStatus.ACCEPTED:
                membership_accept(actor=admin, membership=membership)
        for person in applicants[:2]:
            if not Membership.objects.filter(kind=MembershipKind.PERSON, signatory=person).exists():
                personal = membership_apply(user=person, kind=MembershipKind.PERSON, charter=charter)
                membership_accept(actor=admin, membership=personal)
        refused_name = "Société de conseil sans lien avec la transition"
        if not Organisation.objects.filter(name=refused_name).exists():
            organisation = Organisation.objects.create(name=refused_name, category=Category.ENTREPRISE)
            refused = membership_apply(
                user=applicants[-1],
                kind=MembershipKind.ORGANISATION,
                charter=charter,
                organisation=organisation,
                mandate="Gérant.",
            )
            membership_refuse(
                actor=admin,
                membership=refused,
                reason="Votre activité ne relève pas de la transition des territoires décrite par la charte.",
            )

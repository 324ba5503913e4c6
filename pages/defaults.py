"""The texts of the public site before an admin edits them, written from the alliance's own presentation
(DOMAIN.md): the home page never shows an empty block, and `seed_demo` stores them."""

from django.utils.translation import gettext_lazy as _

from .models import BlockKey

DEFAULT_BLOCKS = {
    BlockKey.ALLIANCE: (
        _("Une alliance transpartisane pour changer d'échelle"),
        _(
            "La Fabrique des Transitions est une alliance transpartisane de territoires et de réseaux, "
            "fondée en 2021 : *un outil de transfert issu de territoires pionniers, qui vise le changement "
            "d'échelle*.\n\n"
            "Ses allié·es — collectivités, réseaux d'acteurs, associations de professionnels, bureaux "
            "d'études, centres de recherche et de formation, entreprises et structures de l'ESS, collectifs "
            "citoyens, médias — sont des organisations ou des personnes, unies par une charte. Ensemble, "
            "elles enrichissent un **patrimoine commun** : ressources, outils, retours d'expérience."
        ),
    ),
    BlockKey.COMMITMENTS: (
        _("Ce que nous nous engageons à faire"),
        _(
            "- Constituer une communauté apprenante pour enrichir un patrimoine commun.\n"
            "- Proposer ensemble des changements de modèles.\n"
            "- Mettre ce patrimoine au service des transitions.\n"
            "- Favoriser le déploiement d'une ingénierie de la conduite de changement systémique."
        ),
    ),
    BlockKey.FUNDAMENTALS: (
        _("Les 4 fondamentaux de la conduite de changement systémique"),
        _(
            "1. Créer les conditions d'engagement des acteurs\n"
            "2. Faciliter leur coopération, mettre les conflits au travail\n"
            "3. Les former à l'approche systémique et au mode projet collectif\n"
            "4. Évaluer les effets, la valeur créée…"
        ),
    ),
    BlockKey.FANTASTIQUES: (
        _("Les 4 Fantastiques du territoire"),
        _(
            "Un écosystème territorial fondé sur la coopération réunit quatre familles d'acteurs, avec une "
            "entrée assumée via les collectivités :\n\n"
            "- **l'élu·e**, *Mister Fantastique*, particulièrement souple et agile ;\n"
            "- **l'agent de la collectivité**, *La Chose*, qui incarne la force sur le temps long ;\n"
            "- **l'État territorial**, *La Femme Invisible*, qui est partout sans qu'on ne le voie ;\n"
            "- **l'acteur socio-économique**, *La Torche*, sans lequel le territoire s'éteint."
        ),
    ),
    BlockKey.PUBLISHER: (
        _("Éditeur et hébergeur"),
        _(
            "Ce site est édité par La Fabrique des Transitions, alliance transpartisane de territoires et de "
            "réseaux.\n\n"
            "Les coordonnées de l'éditeur, le nom du ou de la directeur·ice de la publication et celles de "
            "l'hébergeur sont tenues à jour par les administrateur·ices de l'alliance."
        ),
    ),
    BlockKey.CONTACT: (
        _("Nous contacter"),
        _(
            "Pour toute question sur vos données personnelles ou sur l'accessibilité de ce site, écrivez aux "
            "administrateur·ices de l'alliance depuis votre espace ou à l'adresse de contact publiée par "
            "l'alliance."
        ),
    ),
}

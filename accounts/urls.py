from core.access import ADMINS, SIGNED_IN, Access, route

from . import privacy_views, views

app_name = "accounts"

urlpatterns = [
    route(
        "profil/", views.profile_edit, name="profile", namespace=app_name, access=Access(SIGNED_IN, form=True)
    ),
    route(
        "mes-donnees/",
        privacy_views.privacy_page,
        name="privacy",
        namespace=app_name,
        access=Access(SIGNED_IN),
    ),
    route(
        "mes-donnees/telecharger/",
        privacy_views.privacy_export,
        name="privacy_export",
        namespace=app_name,
        access=Access(SIGNED_IN, get=False, form=True, note="Après une nouvelle saisie du mot de passe."),
    ),
    route(
        "supprimer-mon-compte/",
        privacy_views.account_delete,
        name="delete",
        namespace=app_name,
        access=Access(
            SIGNED_IN, form=True, note="La suppression demande une nouvelle saisie du mot de passe."
        ),
    ),
    route(
        "demandes-rgpd/",
        privacy_views.privacy_log,
        name="privacy_log",
        namespace=app_name,
        access=Access(
            ADMINS, note="Le registre des téléchargements de données et des suppressions de compte."
        ),
    ),
]

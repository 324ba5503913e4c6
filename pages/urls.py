from core.access import ADMINS, EVERYONE, Access, routes

from . import views

app_name = "pages"


r = routes(app_name)


urlpatterns = [
    r("", views.home, "home", Access(EVERYONE)),
    r("evenements/", views.events, "events", Access(EVERYONE)),
    r("accessibilite/", views.accessibility, "accessibility", Access(EVERYONE)),
    r("mentions-legales/", views.legal, "legal", Access(EVERYONE)),
    r("aide/", views.help_page, "help", Access(EVERYONE)),
    r("plan-du-site/", views.site_map, "site_map", Access(EVERYONE)),
    r("donnees-ouvertes/", views.open_data, "open_data", Access(EVERYONE)),
    r(
        "donnees-ouvertes/allie-es.<str:fmt>",
        views.allies_export,
        "allies_export",
        Access(EVERYONE, note="CSV ou JSON : les organisations de l'annuaire public."),
    ),
    r(
        "donnees-ouvertes/territoires.<str:fmt>",
        views.territories_export,
        "territories_export",
        Access(EVERYONE, note="CSV ou JSON : les territoires publiés."),
    ),
    r(
        "donnees-ouvertes/ressources.<str:fmt>",
        views.resources_export,
        "resources_export",
        Access(EVERYONE, note="CSV ou JSON : les ressources publiées ouvertes à tous."),
    ),
    r("sitemap.xml", views.sitemap, "sitemap", Access(EVERYONE)),
    r("robots.txt", views.robots, "robots", Access(EVERYONE)),
    r("administration/site/", views.admin_index, "admin_index", Access(ADMINS)),
    r(
        "administration/site/textes/<str:key>/",
        views.content_edit,
        "content_edit",
        Access(ADMINS, form=True),
    ),
    r(
        "administration/site/exports/adhesions.<str:fmt>",
        views.memberships_export,
        "memberships_export",
        Access(ADMINS, note="CSV ou XLSX, avec les filtres du formulaire (GET)."),
    ),
    r(
        "administration/site/exports/projets.<str:fmt>",
        views.projects_export,
        "projects_export",
        Access(ADMINS, note="CSV ou XLSX, avec les filtres du formulaire (GET)."),
    ),
]

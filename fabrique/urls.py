from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

import accounts.allauth_access  # noqa: F401 - declares the rules of allauth's URLs
from accounts.views import language_switch
from core.access import EVERYONE, NAMESPACES, STAFF, Access, declare
from core.routing import RememberingResolver

# The Django admin's login goes through allauth, so its rate limits and two-factor authentication apply.
admin.autodiscover()
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "La Fabrique des Transitions"

handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"

urlpatterns = [
    path("", include("core.urls")),
    path("", include("ops.urls")),
    path("comptes/", include("allauth.urls")),
    path("mon-espace/", include("dashboards.urls")),
    path("mon-espace/", include("accounts.urls")),
    path("alliance/", include("alliance.urls")),
    path("territoires/", include("territories.urls")),
    path("", include("projects.urls")),
    path("notifications/", include("notifications.urls")),
    path("cooperation/", include("cooperation.urls")),
    path("formations/", include("trainings.urls")),
    path("ressources/", include("library.urls")),
    path("", include("documents.urls")),
    path("", include("reports.urls")),
    path("", include("methods.urls")),
    path("", include("pages.urls")),
    path("agenda/", include("calendars.urls")),
    # Django's set_language, which also records the choice on the account of a signed-in person.
    path("i18n/setlang/", language_switch, name="set_language"),
    path("django-admin/", admin.site.urls),
]
# Each path resolved once per process (core.routing): the patterns above are tried in order, a hundred of them
# for a page of the apps included last.
urlpatterns = [RememberingResolver(urlpatterns)]

NAMESPACES["admin"] = Access(STAFF, note="L'administration Django, réservée au personnel.")
declare("set_language", Access(EVERYONE, get=False, note="Changer de langue (POST)."))

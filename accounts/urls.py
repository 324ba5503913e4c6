from core.access import SIGNED_IN, Access, route

from . import views

app_name = "accounts"

urlpatterns = [
    route("", views.dashboard, name="dashboard", namespace=app_name, access=Access(SIGNED_IN)),
    route(
        "profil/", views.profile_edit, name="profile", namespace=app_name, access=Access(SIGNED_IN, form=True)
    ),
]

from core.access import SIGNED_IN, Access, route

from . import views

app_name = "dashboards"

urlpatterns = [
    route("", views.my_space, name="my_space", namespace=app_name, access=Access(SIGNED_IN)),
]

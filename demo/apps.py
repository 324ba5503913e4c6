from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demonstration data: `manage.py seed_demo` composes every app's `demo` module, top layer."""

    name = "demo"
    verbose_name = _("Démonstration")

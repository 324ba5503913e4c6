from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demonstration data: `manage.py seed_demo` composes every app's `demo` module, top layer."""

    name = "demo"
    verbose_name = "Démonstration"

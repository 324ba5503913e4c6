"""The demonstration data is composed at the top layer, not in the shared ground."""

from django.core.management import get_commands


def test_seed_demo_is_the_demo_app_s_command():
    assert get_commands()["seed_demo"] == "demo"

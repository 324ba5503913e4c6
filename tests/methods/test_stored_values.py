"""The actor map and the actantial schema draw whatever is stored, even a value of a choice written around the
forms (raw SQL): the page and the dossier's diagrams never fail on it."""

import pytest
from django.db import connection
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_influence_of_an_unknown_sign_and_strength_draws_as_the_default_one(world, client_for):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE methods_influence SET sign = 'x\"/><b>', strength = 'huge' WHERE id = %s",
            [world.influence.pk],
        )
    client = client_for("agent")
    page = client.get(reverse("methods:actor_map", args=[world.project.pk]))
    assert page.status_code == 200
    svg = client.get(reverse("methods:actor_map_svg", args=[world.project.pk]))
    assert svg.status_code == 200
    content = svg.content.decode()
    assert f"influence-{world.influence.pk}" in content and 'x"/><b>' not in content


def test_an_entry_of_an_unknown_actant_is_left_out_of_the_schema(world, client_for):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE methods_actantentry SET actant = 'inconnu' WHERE id = %s", [world.actant_entry.pk]
        )
    client = client_for("agent")
    response = client.get(reverse("methods:actantial_svg", args=[world.project.pk, world.schema.pk]))
    assert response.status_code == 200
    assert client.get(reverse("methods:actantial", args=[world.project.pk])).status_code == 200

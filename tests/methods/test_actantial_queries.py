"""The schema's page reads as many queries with 3 entries as with 30, for a reader and for an editor."""

import pytest
from django.urls import reverse

from methods.models import Actant, Actor
from methods.services import actantial

pytestmark = pytest.mark.django_db
MAX_QUERIES = 30


def fill(world, size):
    agent = world.users["agent"]
    actants = list(Actant)
    for index in range(size):
        actor = Actor.objects.create(project=world.project, name=f"Acteur {index}", family="elu")
        actantial.entry_add(
            actor=agent,
            schema=world.schema,
            actant=actants[index % len(actants)],
            project_actor=actor if index % 2 else None,
            label="" if index % 2 else f"Intitulé {index}",
            note=f"Précision {index}",
        )


@pytest.mark.parametrize("role", ["agent", "elu"])
@pytest.mark.parametrize("size", [3, 30])
def test_the_schema_page_reads_a_fixed_number_of_queries(
    role, size, world, client_for, django_assert_max_num_queries
):
    fill(world, size)
    actantial.schema_create(actor=world.users["agent"], project=world.project, quest="Une quête")
    client = client_for(role)
    url = reverse("methods:actantial_schema", args=[world.project.pk, world.schema.pk])
    client.get(url)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("methods:actantial", args=[world.project.pk]))
    assert response.status_code == 200

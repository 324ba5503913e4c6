from methods.demo_actors import ACTIONS, ACTORS, INFLUENCES, seed_actor_map
from methods.models import Actor


def test_the_pilots_actor_map_is_seeded_once_through_the_services(world):
    project = world.draft_project
    seed_actor_map(project, actor_user=world.users["agent"])
    seed_actor_map(project, actor_user=world.users["agent"])
    assert project.actors.count() == len(ACTORS)
    assert project.influences.count() == len(INFLUENCES)
    assert list(project.actions.values_list("order", flat=True)) == list(range(len(ACTIONS)))
    chain = [list(a.leads_to.values_list("order", flat=True)) for a in project.actions.all()]
    assert chain == [[1], [2], [3], [4], [5], []]
    assert all(a.carriers.exists() for a in project.actions.all())
    families = set(Actor.objects.filter(project=project).values_list("family", flat=True))
    assert families == {"elu", "agent", "etat", "socio_eco", "autre"}


def test_a_project_that_already_has_a_map_is_left_alone(world):
    seed_actor_map(world.project, actor_user=world.users["agent"])
    assert world.project.actors.count() == 3

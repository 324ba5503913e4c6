"""Demo data of the method's tools, on the Tarn pilot's project (DOMAIN.md §3): its actor map with influences
and the chain of actions, then its actantial schema (which names the map's actors), three récits of its
cooperation journal and one evaluation session, deliberated and closed. Used by `seed_demo`, after
`seed_projects`; each part does nothing when it exists already."""

from django.db import transaction

from projects.demo import TITLE
from projects.models import Project
from territories.demo import PILOT_NAME

from .demo_actantial import seed_actantial_schema
from .demo_actors import seed_actor_map
from .demo_evaluation import seed_evaluation
from .demo_journal import seed_journal


def seed_methods(*, users):
    """`users`: seed_demo's accounts by the local part of their e-mail (agent, dgs, elu, facilitatrice…)."""
    project = Project.objects.filter(territory__name=PILOT_NAME, title=TITLE).first()
    if project is None:
        return None
    with transaction.atomic():
        seed_actor_map(project, actor_user=users["agent"])
        seed_actantial_schema(project, actor_user=users["agent"])
        seed_journal(project, users=users)
        seed_evaluation(project, users=users)
    return project

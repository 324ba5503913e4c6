"""The question sets' part of the test world: the facilitator is given the right to draft and publish the
questions, and a draft of the next version of the note d'intention is open."""

from django.contrib.auth.models import Permission

from projects import services


def build(world):
    facilitator = world.users["facilitator"]
    facilitator.user_permissions.add(Permission.objects.get(codename="manage_question_sets"))
    world.question_set_draft = services.question_set_draft(actor=world.users["admin"], kind="intention")

"""« Mon espace » on a phone (375 px): each role finds its next action in the « À faire » block and reaches
it in one tap — the agent the note to write, the facilitator the note to review, the élu the proposal to
answer, the manager the recommendation without a project, the admin the application to examine."""

import re

import pytest
from playwright.sync_api import expect

from territories.models import Recommendation

from ..factories import PASSWORD
from ..url_kwargs import url_for
from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 375, "height": 800}


def _no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px phone"


def test_each_role_reaches_its_next_action_from_my_space(new_context, steps, world):
    Recommendation.objects.create(
        diagnostic=world.recommendation.diagnostic,
        number=9,
        text="Créer un réseau des secrétaires de mairie.",
    )
    journeys = [
        # role, list of the « À faire », the page it leads to, what that page says
        (
            "agent",
            "projectsnotes",
            rf"/projets/{world.draft_project.pk}/livrables/faisabilite/",
            "Note de faisabilité",
        ),
        ("agent", "projectsrecommendations", r"/nouveau/\?recommandation=\d+", "Lancer un projet"),
        (
            "facilitator",
            "projectsreview",
            rf"/projets/{world.project.pk}/livrables/cadrage/relecture/",
            "cadrage",
        ),
        (
            "elu",
            "cooperationproposals",
            rf"/cooperation/propositions/{world.joint_proposal.pk}/",
            "séminaire",
        ),
        ("admin", "allianceapplications", r"/alliance/adhesions/\d+/", "Adhésion"),
    ]
    pages, refused = {}, []
    for role, key, target, says in journeys:
        if role not in pages:
            user = world.users[role]
            pages[role] = new_context(viewport=PHONE).new_page()
            # The strict CSP (no inline style or script) reports what it blocks on the console.
            pages[role].on(
                "console",
                lambda message: (
                    refused.append(message.text) if "Content Security Policy" in message.text else None
                ),
            )
            log_in(pages[role], user.email, PASSWORD, totp_user=user if role == "admin" else None)
        page = pages[role]
        page.goto("/mon-espace/")
        todo = page.locator(f"#a-faire-{key}")
        expect(todo).to_be_visible()
        _no_horizontal_scroll(page)
        steps.shot(page, f"mon-espace-{role}")
        todo.locator(".todo-item a").first.click()
        page.wait_for_url(re.compile(target))
        expect(page.locator("h1")).to_contain_text(says)
        _no_horizontal_scroll(page)
        steps.shot(page, f"{role}-{key}")

    # The note's page (reached above) and the deliberation page break none of the CSP's rules.
    facilitator = pages["facilitator"]
    facilitator.goto(url_for("methods:evaluation_deliberate", world))
    expect(facilitator.locator("h1")).to_be_visible()
    steps.shot(facilitator, "deliberation")
    assert refused == []

"""The library in a real Chromium: a member searches without accents, narrows by theme, opens a resource,
bookmarks it and finds it in their space; an author proposes a resource that a facilitator publishes."""

import re

import pytest
from playwright.sync_api import expect

from library.models import Bookmark, Resource, ResourceStatus

from ..factories import PASSWORD
from ..library.factories import make_resource
from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def published(world, title, **fields):
    return make_resource(
        world.users["agent"], title=title, status="published", publisher=world.users["admin"], **fields
    )


def test_a_member_searches_opens_and_bookmarks_a_resource(new_context, steps, world):
    story = published(
        world,
        "Le management des organisations par la coopération",
        kind="retour_experience",
        summary="Le projet pilote d'un territoire rural du Tarn, accompagné depuis 2021.",
        body="Un protocole entre pairs : l'espace des agents et l'espace des DGS croisent leurs regards.\n\n"
        "Les effets de la coopération : le groupe des agents s'est approprié l'exercice.",
        themes=["cooperation-management", "gouvernance"],
        territories=[world.territory],
    )
    published(
        world,
        "Former 40 managers à la coopération",
        summary="Un cycle de 5 jours avec le CNFPT.",
        themes=["cooperation-management"],
    )
    published(
        world,
        "Le festival Explore Demain",
        kind="evenement",
        summary="Du 17 au 25 mai.",
        starts_on="2027-05-17",
        ends_on="2027-05-25",
        themes=["gouvernance"],
    )

    page = new_context().new_page()
    log_in(page, world.users["elu"].email, PASSWORD)

    # She opens the library from the main navigation and searches without typing the accents.
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Les ressources"
    ).click()
    expect(page.locator("h1")).to_have_text("Le patrimoine commun")
    steps.shot(page, "bibliotheque")
    page.get_by_label("Rechercher", exact=True).fill("cooperation")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#results-title")).to_have_text("3 ressources pour « cooperation »")
    expect(page.locator(".excerpt mark").first).to_have_text(re.compile("coopération", re.IGNORECASE))
    steps.shot(page, "recherche-cooperation")

    # She narrows the results to the theme "Gouvernance".
    page.get_by_role("navigation", name="Affiner").get_by_role(
        "link", name=re.compile("^Gouvernance")
    ).click()
    expect(page.locator("#results-title")).to_have_text("1 ressource pour « cooperation »")
    steps.shot(page, "filtre-gouvernance")

    # She opens the experience report and bookmarks it.
    page.get_by_role("link", name=story.title).click()
    expect(page.locator("h1")).to_have_text(story.title)
    steps.shot(page, "ressource")
    page.get_by_role("button", name="Ajouter à mes favoris").click()
    expect(page.get_by_role("button", name="Retirer de mes favoris")).to_be_visible()
    expect(page.locator(".bookmark-form [role=status]")).to_have_text("Dans vos favoris.")
    steps.shot(page, "ajoutee-aux-favoris")
    assert Bookmark.objects.filter(user=world.users["elu"], resource=story).exists()

    # Her space lists it.
    page.goto("/ressources/mes-ressources/")
    expect(page.locator("#bookmarks-title + ul")).to_contain_text(story.title)
    steps.shot(page, "mes-favoris")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/ressources/?q=cooperation")
    steps.shot(page, "recherche-375px")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_an_author_proposes_a_resource_that_a_facilitator_publishes(new_context, steps, world):
    author = new_context().new_page()
    log_in(author, world.users["agent"].email, PASSWORD)
    author.goto("/ressources/")
    author.get_by_role("link", name="Proposer une ressource").click()
    expect(author.locator("h1")).to_have_text("Proposer une ressource")
    author.get_by_label("Titre").fill("La carte des acteurs")
    author.get_by_label("Type de ressource").select_option("fiche_outil")
    author.get_by_label("Résumé").fill("Dessiner qui agit sur qui, la chaîne des actions et leur ordre.")
    author.get_by_label("Contenu").fill(
        "« → a une influence sur… », « chaîne des actions », « ordre des actions »."
    )
    author.get_by_label("Coopération et management").check()
    steps.shot(author, "proposer")
    author.get_by_role("button", name="Enregistrer le brouillon").click()
    author.wait_for_url(re.compile(r"/ressources/\d+/modifier/$"))
    expect(author.locator(".messages")).to_contain_text("Le brouillon est enregistré")
    steps.shot(author, "brouillon-enregistre")
    resource = Resource.objects.get(title="La carte des acteurs")

    author.goto(resource.get_absolute_url())
    author.get_by_role("button", name="Soumettre à la relecture").click()
    expect(author.locator(".messages")).to_contain_text("La ressource est soumise à la relecture")
    steps.shot(author, "soumise")

    reviewer = new_context().new_page()
    log_in(reviewer, world.users["facilitator"].email, PASSWORD)
    reviewer.goto("/ressources/mes-ressources/")
    reviewer.locator("#review-title + ul").get_by_role("link", name="La carte des acteurs").click()
    steps.shot(reviewer, "a-relire")
    reviewer.get_by_role("button", name="Publier").click()
    expect(reviewer.locator(".messages")).to_contain_text("La ressource est publiée.")
    steps.shot(reviewer, "publiee")
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.PUBLISHED

    visitor = new_context().new_page()
    visitor.goto("/ressources/?q=carte acteurs")
    expect(visitor.get_by_role("link", name="La carte des acteurs")).to_be_visible()
    steps.shot(visitor, "visible-de-tous")

"""A facilitator records a territory's self-assessment on the 4 fundamentals and sees the radar, in a real
Chromium, checked with axe-core, screenshot at each step."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from territories.models import Fundamental

from ..factories import PASSWORD
from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LEVELS = {
    Fundamental.ENGAGEMENT: "3 — installé",
    Fundamental.COOPERATION: "2 — en construction",
    Fundamental.TRAINING: "1 — émergent",
    Fundamental.EVALUATION: "4 — ancré et partagé",
}


def assert_radar_is_whole(page):
    """Every text of the radar is drawn inside the chart, and the page does not scroll sideways."""
    clipped = page.evaluate(
        """() => {
            const svg = document.querySelector('svg.chart-radar').getBoundingClientRect();
            return [...document.querySelectorAll('svg.chart-radar text')]
                .map((text) => [text.textContent, text.getBoundingClientRect()])
                .filter(([, box]) => box.left < svg.left - 0.5 || box.right > svg.right + 0.5
                    || box.top < svg.top - 0.5 || box.bottom > svg.bottom + 0.5)
                .map(([label]) => label);
        }"""
    )
    assert clipped == [], f"radar labels drawn outside the chart: {clipped}"
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{page.url} scrolls sideways ({width}px wide at {viewport}px)"


def test_a_facilitator_records_an_assessment_and_sees_the_radar(new_context, steps, world):
    territory = world.territory
    facilitator = world.users["facilitator"]
    context = new_context()
    page = context.new_page()
    log_in(page, facilitator.email, PASSWORD, steps=steps)

    # The territory's assessments: the first one, drawn alone.
    page.goto(f"/territoires/{territory.pk}/auto-evaluations/")
    expect(page.locator("h1")).to_have_text("Auto-évaluations sur les 4 fondamentaux")
    expect(page.locator("svg.chart-radar")).to_be_visible()
    expect(page.get_by_role("link", name=f"Tableau de bord de {territory.name}")).to_be_visible()
    steps.shot(page, "auto-evaluations")

    # A new one starts from the levels of the previous one, discussed with the facilitator.
    page.get_by_role("link", name="Nouvelle auto-évaluation").click()
    page.wait_for_url(re.compile(rf"/territoires/{territory.pk}/auto-evaluations/nouvelle/$"))
    expect(page.locator("#id_level_1").get_by_label("2 — en construction")).to_be_checked()
    expect(page.locator("#id_discussed_with")).to_have_value(str(facilitator.pk))
    steps.shot(page, "nouvelle-auto-evaluation")

    # A date in the future is refused; what was typed stays.
    page.locator("#id_date").fill("2099-01-01")
    for fundamental, level in LEVELS.items():
        page.locator(f"#id_level_{fundamental.value}").get_by_label(level).check()
    page.locator("#id_evidence_1").fill("Un groupe de pairs des agents se réunit chaque mois.")
    page.locator("#id_evidence_4").fill("La valeur créée est discutée en comité de pilotage.")
    page.locator("#id_comment").fill("Une année où les agents ont pris le relais.")
    page.get_by_role("button", name="Enregistrer l'auto-évaluation").click()
    expect(page.locator("main")).to_contain_text("La date ne peut pas être dans le futur.")
    expect(page.locator("#id_level_4").get_by_label("4 — ancré et partagé")).to_be_checked()
    expect(page.locator("#id_evidence_1")).to_have_value(
        "Un groupe de pairs des agents se réunit chaque mois."
    )
    steps.shot(page, "date-refusee")
    assert territory.assessments.count() == 1

    today = timezone.localdate()
    page.locator("#id_date").fill(today.isoformat())
    page.get_by_role("button", name="Enregistrer l'auto-évaluation").click()
    page.wait_for_url(re.compile(rf"/territoires/{territory.pk}/auto-evaluations/\d+/$"))
    expect(page.locator(".messages")).to_contain_text("est enregistrée")
    radar = page.locator("svg.chart-radar")
    expect(radar).to_be_visible()
    expect(radar.locator("polygon[stroke-dasharray]")).to_have_count(1)
    expect(radar.locator("polygon[fill-opacity]")).to_have_count(1)
    expect(page.get_by_role("img", name="Radar des 4 fondamentaux")).to_be_visible()
    expect(page.locator("main table")).to_contain_text("+1")
    assert_radar_is_whole(page)
    steps.shot(page, "auto-evaluation-enregistree")

    assessment = territory.assessments.first()
    assert assessment.date == today
    assert assessment.discussed_with == facilitator
    assert {s.fundamental: s.level for s in assessment.scores.all()} == {1: 3, 2: 2, 3: 1, 4: 4}

    # Both assessments are in the history, the new one first.
    page.get_by_role("link", name="Toutes les auto-évaluations").click()
    page.wait_for_url(re.compile(rf"/territoires/{territory.pk}/auto-evaluations/$"))
    rows = page.locator("#history-caption + thead + tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(str(today.year))
    expect(rows.last).to_contain_text("15 janvier 2022")
    assert_radar_is_whole(page)
    steps.shot(page, "historique")

    # On a phone, the radar scales down with its labels whole.
    phone = new_context(
        viewport={"width": 375, "height": 812},
        is_mobile=True,
        has_touch=True,
        storage_state=context.storage_state(),
    ).new_page()
    phone.goto(f"/territoires/{territory.pk}/auto-evaluations/{assessment.pk}/")
    expect(phone.locator("svg.chart-radar")).to_be_visible()
    assert_radar_is_whole(phone)
    steps.shot(phone, "radar-375px")

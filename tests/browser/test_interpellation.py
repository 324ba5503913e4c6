"""The tripartite interpellation in a real Chromium: the agents' group agrees a proposal, the DGS group
agrees too, the proposal is addressed to the élus, an élue answers, and both groups read the answer."""

import re

import pytest
from playwright.sync_api import expect

from cooperation.models import Decision, JointProposal, ProposalStatus
from notifications.models import Notification

from ..factories import PASSWORD
from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Un référent coopération dans chaque EPCI"
BODY = "Chaque communauté de communes désigne un référent coopération, relais du groupe des agents."


def test_agents_and_dgs_agree_a_proposal_that_an_elue_answers(new_context, steps, world):
    agents, dgs_group, crossing = world.agents_group, world.dgs_group, world.crossing

    # The agent drafts a proposal in his group's work, and records the group's agreement.
    agent = new_context().new_page()
    log_in(agent, world.users["agent"].email, PASSWORD)
    agent.goto("/cooperation/")
    expect(agent.locator("h1")).to_have_text("Groupes de pairs")
    steps.shot(agent, "mes-groupes")
    agent.get_by_role("link", name=agents.name).first.click()
    expect(agent.locator("h1")).to_have_text(agents.name)
    steps.shot(agent, "groupe-des-agents")
    agent.get_by_role("link", name="Points de vue, besoins, propositions").click()
    agent.get_by_role("link", name="Rédiger une proposition").click()
    expect(agent.get_by_label("Proposition")).to_be_checked()
    agent.get_by_label("Intitulé").fill(TITLE)
    agent.get_by_label("Texte").fill(BODY)
    steps.shot(agent, "proposition-redigee")
    agent.get_by_role("button", name="Enregistrer le texte").click()
    expect(agent.locator(".messages")).to_contain_text("en rédaction")
    agent.get_by_role("button", name=f"Le groupe est d'accord : valider « {TITLE} »").click()
    expect(agent.locator(".messages")).to_contain_text(f"« {TITLE} » est validé par le groupe")
    steps.shot(agent, "proposition-validee-par-le-groupe")

    # He puts it into the croisement with the DGS and makes it a joint proposal, agreed by his group.
    agent.goto(f"/cooperation/croisements/{crossing.pk}/")
    agent.get_by_label("Texte validé à partager").select_option(
        label=f"{agents.name} — Proposition : {TITLE}"
    )
    agent.get_by_role("button", name="Partager dans le croisement").click()
    expect(agent.locator(".messages")).to_contain_text("partagé dans le croisement")
    steps.shot(agent, "croisement")
    agent.get_by_role("link", name=f"En faire une proposition commune — {TITLE}").click()
    expect(agent.get_by_label("Intitulé de la proposition")).to_have_value(TITLE)
    agent.get_by_role("button", name="Enregistrer la proposition").click()
    agent.get_by_role("button", name="Enregistrer l'accord du groupe").click()
    expect(agent.locator(".messages")).to_contain_text("attend celui de l'autre groupe")
    expect(agent.locator("main")).to_contain_text("Validée par un groupe")
    steps.shot(agent, "accord-des-agents")
    proposal = JointProposal.objects.get(title=TITLE)
    proposal_url = f"/cooperation/propositions/{proposal.pk}/"

    # The DGS reads it in the croisement, records her group's agreement and addresses it to the élus.
    dgs = new_context().new_page()
    log_in(dgs, world.users["dgs"].email, PASSWORD)
    dgs.goto(f"/cooperation/croisements/{crossing.pk}/")
    expect(dgs.locator(f"#partage-{proposal.source_id}")).to_contain_text(TITLE)
    dgs.get_by_role("link", name=TITLE, exact=True).click()
    expect(dgs.locator("h1")).to_have_text(TITLE)
    steps.shot(dgs, "proposition-vue-par-la-dgs")
    dgs.get_by_role("button", name="Enregistrer l'accord du groupe").click()
    expect(dgs.locator(".messages")).to_contain_text("la proposition est partagée")
    expect(dgs.locator("main")).to_contain_text(f"Accord de l'{dgs_group.name}, enregistré par Dominique DGS")
    steps.shot(dgs, "proposition-partagee")
    dgs.get_by_role("button", name="Adresser aux élu·es").click()
    expect(dgs.locator(".messages")).to_contain_text("adressée aux élu·es du territoire")
    steps.shot(dgs, "proposition-adressee")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ADDRESSED
    assert Notification.objects.filter(kind="cooperation.addressed", recipient=world.users["elu"]).exists()

    # The élue finds it in her space and answers.
    elu = new_context().new_page()
    log_in(elu, world.users["elu"].email, PASSWORD)
    elu.goto("/cooperation/interpellations/")
    expect(elu.locator(f"#proposition-{proposal.pk}")).to_contain_text(TITLE)
    steps.shot(elu, "interpellations-recues")
    elu.get_by_role("link", name=f"Répondre — {TITLE}").click()
    elu.get_by_label("Retenue", exact=True).check()
    elu.get_by_label("Réponse écrite aux deux groupes").fill(
        "Retenue : le comité syndical désignera les référents en juin.<script>alert(1)</script>"
    )
    elu.get_by_label("Je confirme cette réponse").check()
    steps.shot(elu, "reponse-redigee")
    elu.get_by_role("button", name="Envoyer la réponse").click()
    elu.wait_for_url(re.compile(rf"{proposal_url}$"))
    expect(elu.locator("#reponse")).to_contain_text("Retenue")
    steps.shot(elu, "reponse-envoyee")

    # Both groups read the answer; the territory's dashboard shows where each proposal stands.
    for page, name in ((agent, "agents"), (dgs, "dgs")):
        page.goto(proposal_url)
        expect(page.locator("#reponse")).to_contain_text("le comité syndical désignera les référents en juin")
        expect(page.locator("#reponse")).to_contain_text("Réponse d'Élise Élue")
        assert page.locator("#reponse script").count() == 0
        steps.shot(page, f"reponse-lue-{name}")
    agent.goto(f"/cooperation/territoires/{world.territory.pk}/propositions/")
    row = agent.locator(f"#proposition-{proposal.pk}")
    expect(row).to_contain_text("Réponse reçue")
    expect(row).to_contain_text("répondue dans la journée")
    expect(agent.locator(f"#proposition-{world.joint_proposal.pk}")).to_contain_text("Adressée aux élu·es")
    steps.shot(agent, "tableau-de-bord-des-propositions")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.answer.decision) == (ProposalStatus.ANSWERED, Decision.ADOPTED)
    assert Notification.objects.filter(kind="cooperation.answered", recipient=world.users["agent"]).exists()

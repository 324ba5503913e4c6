"""The demo's peer protocol of the Tarn pilot: two spaces, a croisement, two proposals addressed to the élus,
one answered; running it again changes nothing."""

import pytest

from accounts.models import PlatformRole
from cooperation.demo import AGENTS_GROUP, DGS_GROUP, seed_cooperation
from cooperation.models import Contribution, JointProposal, PeerGroup, ProposalStatus
from territories.demo import PILOT_NAME
from territories.models import TeamMember, TeamRole

from ..factories import TerritoryFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_users():
    users = {
        "agent": UserFactory(full_name="Antoine Agent"),
        "dgs": UserFactory(full_name="Dominique DGS"),
        "elu": UserFactory(full_name="Élise Élue"),
        "facilitatrice": UserFactory(full_name="Fanny Accompagnatrice", role=PlatformRole.FACILITATOR),
    }
    territory = TerritoryFactory(name=PILOT_NAME)
    for key, role in (("agent", TeamRole.AGENT), ("dgs", TeamRole.DGS), ("elu", TeamRole.ELU)):
        TeamMember.objects.create(territory=territory, user=users[key], role=role)
    return users


def test_the_demo_tells_the_pilot_peer_protocol_and_is_idempotent(demo_users):
    seed_cooperation(users=demo_users)
    counts = (PeerGroup.objects.count(), Contribution.objects.count(), JointProposal.objects.count())
    seed_cooperation(users=demo_users)
    assert (PeerGroup.objects.count(), Contribution.objects.count(), JointProposal.objects.count()) == counts
    assert set(PeerGroup.objects.values_list("name", flat=True)) == {AGENTS_GROUP, DGS_GROUP}
    statuses = sorted(JointProposal.objects.values_list("status", flat=True))
    assert statuses == [ProposalStatus.ADDRESSED, ProposalStatus.ANSWERED]
    answered = JointProposal.objects.get(status=ProposalStatus.ANSWERED)
    assert (answered.answered_at - answered.addressed_at).days == 12
    assert answered.answer.answered_by == demo_users["elu"]


def test_each_demo_proposal_s_history_is_in_the_order_it_happened(demo_users):
    seed_cooperation(users=demo_users)
    for proposal in JointProposal.objects.all():
        agreements = sorted(proposal.agreements.values_list("agreed_at", flat=True))
        history = [proposal.created_at, *agreements, proposal.shared_at, proposal.addressed_at]
        if proposal.answered_at:
            history.append(proposal.answered_at)
        assert history == sorted(history), proposal.title

"""What the membership page offers, read on its rights object: the admins' decisions in each state, and the
withdrawal for everyone who sees an active membership. No database."""

import pytest

from alliance.access import MembershipRights
from alliance.models import Membership, MembershipStatus

DECISIONS = ("can_accept", "can_refuse", "can_suspend", "can_reinstate")


@pytest.mark.parametrize(
    ("status", "offered"),
    [
        (MembershipStatus.CANDIDATE, {"can_accept", "can_refuse"}),
        (MembershipStatus.ACCEPTED, {"can_suspend"}),
        (MembershipStatus.SUSPENDED, {"can_reinstate"}),
        (MembershipStatus.REFUSED, set()),
        (MembershipStatus.WITHDRAWN, set()),
    ],
)
def test_an_admin_is_offered_the_decisions_the_membership_s_state_allows(status, offered):
    rights = MembershipRights(membership=Membership(status=status), is_admin=True)
    assert rights.can_decide
    assert {name for name in DECISIONS if getattr(rights, name)} == offered


@pytest.mark.parametrize("status", MembershipStatus.values)
def test_the_signatory_decides_nothing_and_withdraws_an_active_membership(status):
    membership = Membership(status=status)
    rights = MembershipRights(membership=membership, is_admin=False)
    assert not rights.can_decide
    assert not any(getattr(rights, name) for name in DECISIONS)
    assert rights.can_withdraw == membership.is_active

import pytest

from .factories import make_public_site


@pytest.fixture
def public_data(charter, agent, admin_user):
    return make_public_site(agent, admin_user)

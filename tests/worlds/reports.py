"""The synthesis of the pilot territory for the access table (reports/urls.py): asked for by the agent for
2025, with sections whose content every reader of the territory's private pages may see (no récit kept to
the team, no proposal's text), so that its team, its facilitator and the admins read it. Its documents stay
pending: their rendering is tested in tests/reports/."""

from reports import services
from reports.access import reader_of
from reports.selectors import Period


def build(world):
    agent = world.users["agent"]
    world.synthesis = services.synthesis_request(
        actor=agent,
        territory=world.territory,
        period=Period.year(2025),
        sections=["trajectory", "fundamentals", "projects", "team"],
        public=False,
        reader=reader_of(agent, world.territory),
    )

"""The trajectory and the radar draw whatever is stored: years far outside the range (an in-memory value, as
the database refuses them) in a bounded drawing, an assessment that lost a score (deleted in the admin)."""

import time
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from territories.charts import radar_svg, trajectory_svg
from territories.models import Milestone, MilestoneKind

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(("start", "end"), [(1, 32767), (0, 1), (32767, 32767), (2017, 32767)])
def test_any_years_draw_a_small_timeline(start, end):
    milestones = [
        Milestone(pk=1, kind=MilestoneKind.STRATEGY, title="PCAET", start_year=start, end_year=end),
        Milestone(pk=2, kind=MilestoneKind.OTHER, title="Bascule", start_year=2017, end_year=None),
    ]
    started = time.process_time()
    svg = str(trajectory_svg(milestones))
    assert time.process_time() - started < 0.2
    root = ET.fromstring(svg)
    assert len(root.findall(f"{SVG}line")) <= 210
    assert len(svg) < 40_000


def test_a_radar_without_a_level_for_a_fundamental_draws_it_at_the_centre():
    svg = str(radar_svg({1: 3, 2: 2, 4: 4}, {1: 2, 3: 1}))
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}desc") is not None and "—" in root.find(f"{SVG}desc").text


@pytest.mark.django_db
def test_the_pages_of_an_assessment_that_lost_a_score_still_show(world, client_for):
    world.assessment.scores.filter(fundamental=2).delete()
    client = client_for("agent")
    territory = world.territory
    assert client.get(reverse("territories:dashboard", args=[territory.pk])).status_code == 200
    detail = reverse("territories:assessment_detail", args=[territory.pk, world.assessment.pk])
    assert client.get(detail).status_code == 200

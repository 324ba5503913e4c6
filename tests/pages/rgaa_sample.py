"""The RGAA sample of pages (docs/rgaa/pages.csv), as URLs of the test world and the role that opens each one.
Both the audit's checks over the rendered HTML (tests/pages/test_rgaa.py) and the browser's checks
(tests/browser/test_rgaa_sample.py) walk it."""

from urllib.parse import urlencode

from django.urls import reverse


def sample_pages(world):
    """{page id: (role, url)}: "anonymous" opens the public pages; each id of docs/rgaa/pages.csv is here."""
    project = world.project.pk
    return {
        "P01": ("anonymous", reverse("pages:home")),
        "P02": ("anonymous", reverse("pages:help")),
        "P03": ("anonymous", reverse("pages:legal")),
        "P04": ("anonymous", reverse("pages:accessibility")),
        "P05": ("anonymous", reverse("pages:site_map")),
        "P06": ("anonymous", reverse("account_signup")),
        "P07": ("anonymous", reverse("account_login")),
        "P08": ("outsider", reverse("alliance:apply")),
        "P09": ("agent", reverse("projects:deliverable", args=[world.draft_project.pk, world.draft.kind])),
        "P10": ("facilitator", reverse("projects:review", args=[project, world.cadrage.kind])),
        "P11": ("agent", reverse("methods:actor_map", args=[project])),
        "P12": ("agent", reverse("methods:actantial", args=[project])),
        "P13": ("elu", reverse("cooperation:proposal_answer", args=[world.joint_proposal.pk])),
        "P14": ("anonymous", reverse("library:list") + "?" + urlencode({"q": "coopération"})),
        "P15": ("agent", reverse("projects:detail", args=[project])),
    }

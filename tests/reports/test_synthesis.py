"""The territory's synthesis (« Bilan du territoire »): what each reader's synthesis holds, its public
version, its documents (a tagged PDF and an ODT, opened back), the page that previews and asks for it, and the
dashboard's link to the latest."""

import datetime
import io
import re

import odfdo
import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cooperation import services as cooperation_services
from cooperation.models import Decision
from documents.models import Document, DocumentStatus, Variant
from methods.services import evaluation as evaluation_services
from projects import services as project_services
from reports import services
from reports.access import reader_of
from reports.models import Synthesis
from reports.selectors import SECTION_KEYS, Period, synthesis_data
from trainings import services as training_services
from trainings.models import Polarity

pytestmark = pytest.mark.django_db

YEAR_2024 = Period.year(2024)


def _data(world, role, period, *, public=False, sections=SECTION_KEYS):
    user = world.users[role]
    return synthesis_data(
        territory=world.territory,
        period=period,
        sections=sections,
        reader=reader_of(user, world.territory),
        public=public,
    )


def _request(world, role, period, capture, *, public=False, sections=SECTION_KEYS):
    user = world.users[role]
    with capture(execute=True):
        return services.synthesis_request(
            actor=user,
            territory=world.territory,
            period=period,
            sections=sections,
            public=public,
            reader=reader_of(user, world.territory),
        )


def _file(document: Document) -> bytes:
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY, document.error
    with default_storage.open(document.file.name, "rb") as handle:
        return handle.read()


def _pdf_text(document) -> str:
    reader = PdfReader(io.BytesIO(_file(document)))
    return re.sub(
        r"-\n|\s+", " ", " ".join(page.extract_text() for page in reader.pages).replace("\u00ad", "")
    )


def _close_territory_evaluation(world):
    """The world's territory session is in deliberation with one agreement: agree on the rest and close it."""
    session = world.territory_evaluation
    facilitator = world.users["facilitator"]
    for dimension in evaluation_services.missing_agreements(session):
        evaluation_services.agreement_save(actor=facilitator, session=session, dimension=dimension, score=0)
    return evaluation_services.session_close(actor=facilitator, session=session)


def _a_year_of_work(world):
    """A few things the pilot did in 2024, beside the world's own récits of that year."""
    agent = world.users["agent"]
    cycle = training_services.cycle_create(
        actor=agent,
        territory=world.territory,
        title="Manager par la coopération",
        partner="CNFPT",
        audience="Encadrant·es des cinq EPCI",
        days=5,
        start_date=datetime.date(2024, 3, 1),
        end_date=datetime.date(2024, 6, 30),
    )
    training_services.session_add(
        actor=agent, cycle=cycle, date=datetime.date(2024, 3, 12), topic="Ouverture"
    )
    training_services.awareness_record(
        actor=agent,
        territory=world.territory,
        title="Soirée des élu·es",
        date=datetime.date(2024, 5, 20),
        audience="Élu·es et agents",
        attendees=70,
    )
    training_services.effect_record(
        actor=agent,
        territory=world.territory,
        polarity=Polarity.POSITIVE,
        description="Le groupe des agents s'est emparé de l'exercice.",
        observed_on=datetime.date(2024, 9, 1),
        observed_by="Le comité de pilotage",
    )
    training_services.effect_record(
        actor=agent,
        territory=world.territory,
        polarity=Polarity.NEGATIVE,
        description="Le groupe des DGS n'a jamais vraiment pris.",
        observed_on=datetime.date(2024, 10, 1),
        observed_by="Le comité de pilotage",
    )
    return cycle


# --- What each reader's synthesis holds -------------------------------------------------------------------


def test_the_full_synthesis_gathers_every_section_of_the_period(world):
    _a_year_of_work(world)
    data = _data(world, "agent", YEAR_2024)
    assert data.sections == SECTION_KEYS
    parts = data.parts
    assert [m.title for m in parts["trajectory"]["milestones"]] == ["PCAET"]
    assert parts["fundamentals"]["latest"] == world.assessment
    trainings = parts["trainings"]
    assert [c.title for c in trainings["cycles"]] == ["Manager par la coopération"]
    assert trainings["attendees"] == 70 and trainings["cycles"][0].sessions_in_period == 1
    assert (parts["effects"]["positive"], parts["effects"]["negative"]) == (1, 1)
    assert world.recommendation in parts["recommendations"]["recommendations"]
    families = {f["label"]: f["count"] for f in parts["team"]["families"]}
    assert families["Élu·e"] == 1 and families["Agent de collectivité"] == 2
    assert data.period.label == "Année 2024"


def test_the_projects_section_tells_what_moved_in_the_period(world):
    this_year = Period.year(timezone.localdate().year)
    project_services.deliverable_reopen(
        actor=world.users["facilitator"], deliverable=world.intention, reason="Les élus ont changé d'avis."
    )
    projects = _data(world, "agent", this_year).parts["projects"]
    moves = {
        row["project"].title: [what for _when, _note, what in row["events"]] for row in projects["projects"]
    }
    pilot = moves["Management des organisations par la coopération"]
    assert "soumise (version 1)" in pilot and "validée" in pilot and "rouverte" in pilot
    # Nothing moved in 2020.
    assert _data(world, "agent", Period.year(2020)).parts["projects"]["event_count"] == 0


def test_a_récit_kept_to_the_team_is_in_the_teams_synthesis_only(
    world, client_for, django_capture_on_commit_callbacks
):
    team = _data(world, "dgs", YEAR_2024).parts["journal"]["entries"]
    assert world.journal_entry_team in team and world.journal_entry in team
    accompaniment = _data(world, "facilitator", YEAR_2024).parts["journal"]["entries"]
    assert world.journal_entry_team not in accompaniment and world.journal_entry in accompaniment

    synthesis = _request(world, "agent", YEAR_2024, django_capture_on_commit_callbacks)
    assert synthesis.audience.get("team_entries") is True
    assert "Un différend entre DGS" in _pdf_text(synthesis.pdf)
    # Another member of the team reads it; the facilitator finds neither the synthesis nor its files.
    assert client_for("dgs").get(reverse("documents:download", args=[synthesis.pdf.pk])).status_code == 200
    facilitator = client_for("facilitator")
    assert facilitator.get(synthesis.get_absolute_url()).status_code == 404
    for document in (synthesis.pdf, synthesis.odt):
        assert facilitator.get(reverse("documents:download", args=[document.pk])).status_code == 404
        assert facilitator.get(reverse("documents:status", args=[document.pk])).status_code == 404


def test_a_proposals_text_and_its_answer_reach_only_those_who_read_them(
    world, django_capture_on_commit_callbacks
):
    proposal = world.joint_proposal
    cooperation_services.proposal_answer(
        actor=world.users["elu"], proposal=proposal, decision=Decision.ADOPTED, response="Retenue pour 2027."
    )
    this_year = Period.year(timezone.localdate().year)
    # The facilitator animates both groups; the admin is in neither.
    for role, reads in (("agent", True), ("elu", True), ("facilitator", True), ("admin", False)):
        (row,) = _data(world, role, this_year).parts["interpellation"]["rows"]
        assert row["proposal"] == proposal and row["answer"].decision == Decision.ADOPTED
        assert row["readable"] is reads, role
    admins = _request(world, "admin", this_year, django_capture_on_commit_callbacks)
    text = _pdf_text(admins.pdf)
    assert proposal.title in text and "Retenue" in text
    assert "Retenue pour 2027." not in text
    agents = _request(world, "agent", this_year, django_capture_on_commit_callbacks)
    assert agents.audience["proposals"] == [proposal.pk]
    assert "Retenue pour 2027." in _pdf_text(agents.pdf)


def test_the_public_version_keeps_only_what_the_platform_publishes(
    world, client_for, django_capture_on_commit_callbacks
):
    _a_year_of_work(world)
    data = _data(world, "agent", YEAR_2024, public=True)
    assert data.sections == ["trajectory", "team"]
    assert data.audience == {"public": True}
    assert "families" not in data.parts["team"] and data.parts["team"]["facilitators"] == []
    synthesis = _request(world, "agent", YEAR_2024, django_capture_on_commit_callbacks, public=True)
    text = _pdf_text(synthesis.pdf)
    assert "version publique" in text.lower() and "PCAET" in text
    for private in (
        "Antoine Agent",
        "Management des organisations",
        "Manager par la coopération",
        "différend",
    ):
        assert private not in text
    # On a published territory, anyone signed in may read the public version; nobody signed out.
    assert (
        client_for("outsider").get(reverse("documents:download", args=[synthesis.odt.pk])).status_code == 200
    )
    assert client_for("outsider").get(synthesis.get_absolute_url()).status_code == 200
    assert (
        client_for("anonymous").get(reverse("documents:download", args=[synthesis.pdf.pk])).status_code == 302
    )


def test_someone_outside_the_territory_gets_its_public_version_only(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for("outsider")
    url = reverse("reports:synthesis_request", args=[world.territory.pk])
    # The private sections are not offered to them: asking for one is refused.
    refused = client.post(url, {"year": "2024", "sections": ["trajectory", "journal"]})
    assert refused.status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"year": "2024", "sections": ["trajectory", "team"], "public": ""})
    synthesis = Synthesis.objects.get(requested_by=world.users["outsider"])
    assert response["Location"] == synthesis.get_absolute_url()
    assert synthesis.is_public and synthesis.sections == ["trajectory", "team"]
    page = client.get(reverse("reports:synthesis", args=[world.territory.pk])).content.decode()
    assert "seule la version publique du bilan vous est proposée" in page
    assert 'value="journal"' not in page


def test_a_private_territory_keeps_its_synthesis_from_everyone_outside(world, client_for):
    other = world.other_territory
    assert client_for("agent").get(reverse("reports:synthesis", args=[other.pk])).status_code == 404
    assert client_for("agent").post(reverse("reports:synthesis_request", args=[other.pk])).status_code == 404
    assert client_for("outsider").get(reverse("reports:synthesis", args=[other.pk])).status_code == 200


# --- The documents ------------------------------------------------------------------------------------


def test_the_pdf_is_tagged_with_a_cover_a_table_of_contents_and_numbered_pages(
    world, django_capture_on_commit_callbacks
):
    _a_year_of_work(world)
    _close_territory_evaluation(world)
    this_year = Period.year(timezone.localdate().year)
    synthesis = _request(world, "agent", this_year, django_capture_on_commit_callbacks)
    assert synthesis.pdf.variant == Variant.ACCESSIBLE
    reader = PdfReader(io.BytesIO(_file(synthesis.pdf)))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]
    assert catalog["/Lang"] == "fr"
    assert reader.metadata.title == synthesis.pdf.title
    assert len(reader.pages) >= 3
    text = _pdf_text(synthesis.pdf)
    assert "bilan du territoire" in text.lower() and "Sommaire" in text and "Page 2 sur" in text
    for title in ("La trajectoire de transition", "La valeur créée, délibérée", "Effets de la coopération"):
        assert title in text


def test_the_odt_has_the_sections_as_headings_tables_a_filled_table_of_contents_and_the_charts(
    world, django_capture_on_commit_callbacks
):
    _close_territory_evaluation(world)
    this_year = Period.year(timezone.localdate().year)
    synthesis = _request(world, "agent", this_year, django_capture_on_commit_callbacks)
    document = odfdo.Document(io.BytesIO(_file(synthesis.odt)))
    headings = [
        h.text_recursive for h in document.body.headers if int(h.get_attribute("text:outline-level")) == 1
    ]
    assert "La trajectoire de transition" in headings and "L'équipe et la gouvernance" in headings
    (toc,) = document.body.get_tocs()
    assert "Les 4 fondamentaux : l'auto-évaluation" in toc.text_recursive
    assert len(document.body.get_tables()) >= 4
    # The trajectory, the fundamentals' radar and the value created's radar.
    assert len(document.body.get_frames()) >= 3
    assert document.meta.get_language() == "fr-FR"
    assert document.meta.get_title() == synthesis.odt.title


def test_the_same_synthesis_asked_twice_is_rendered_once(world, django_capture_on_commit_callbacks):
    first = _request(world, "agent", YEAR_2024, django_capture_on_commit_callbacks, sections=["trajectory"])
    again = _request(world, "dgs", YEAR_2024, django_capture_on_commit_callbacks, sections=["trajectory"])
    assert (again.pdf_id, again.odt_id) == (first.pdf_id, first.odt_id)
    assert again.pk != first.pk
    assert Document.objects.filter(kind="synthesis").count() == 2 + 2  # world.synthesis' PDF and ODT


# --- The page ---------------------------------------------------------------------------------------------


def test_a_manager_previews_then_asks_for_the_documents(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for("agent")
    url = reverse("reports:synthesis", args=[world.territory.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Prévisualiser" in page.content.decode()
    preview = client.get(
        url, {"apercu": "1", "start": "2024-01-01", "end": "2024-12-31", "sections": SECTION_KEYS}
    )
    body = preview.content.decode()
    assert preview.status_code == 200
    assert "Aperçu — Année 2024" in body and "Un différend entre DGS" in body
    assert 'name="start" value="2024-01-01"' in body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:synthesis_request", args=[world.territory.pk]),
            {"start": "2024-01-01", "end": "2024-12-31", "sections": ["trajectory", "journal"]},
        )
    synthesis = Synthesis.objects.filter(requested_by=world.users["agent"]).first()
    assert response["Location"] == synthesis.get_absolute_url()
    detail = client.get(synthesis.get_absolute_url()).content.decode()
    assert "Télécharger" in detail and "(PDF)" in detail and "(ODT)" in detail


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        (
            {"start": "2024-12-31", "end": "2024-01-01"},
            "La fin de la période ne peut pas précéder son début.",
        ),
        ({"start": "2015-01-01", "end": "2024-01-01"}, "Un bilan couvre cinq ans au plus."),
        ({"start": "2024-01-01"}, "Donnez les deux dates de la période"),
        (
            {"start": "1890-01-01", "end": "1890-12-31"},
            "Vérifiez l&#x27;année : la date doit être comprise entre 2000 et 2100.",
        ),
        ({"year": "2024", "sections": []}, "Choisissez au moins une partie du bilan."),
    ],
)
def test_a_period_or_a_choice_that_cannot_be_is_refused_beside_its_field(world, client_for, posted, message):
    posted = {"sections": ["trajectory"], **posted}
    before = Synthesis.objects.count()
    response = client_for("agent").post(
        reverse("reports:synthesis_request", args=[world.territory.pk]), posted
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Synthesis.objects.count() == before


def test_the_preview_costs_the_same_number_of_queries_whatever_the_territorys_size(world, client_for):
    client = client_for("agent")
    url = reverse("reports:synthesis", args=[world.territory.pk])
    params = {"apercu": "1", "year": "2024", "sections": SECTION_KEYS}

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, params).status_code == 200
        return len(queries)

    _a_year_of_work(world)
    count()  # the first request fills the caches (content types, the session)
    small = count()
    for _ in range(5):
        _a_year_of_work(world)
    assert count() == small


def test_the_dashboard_links_to_the_latest_synthesis_its_reader_may_read(
    world, client_for, django_capture_on_commit_callbacks
):
    dashboard = reverse("territories:dashboard", args=[world.territory.pk])
    team = _request(world, "agent", YEAR_2024, django_capture_on_commit_callbacks, sections=["journal"])
    assert team.audience.get("team_entries")
    assert team.get_absolute_url() in client_for("dgs").get(dashboard).content.decode()
    # The facilitator may not read that one: the dashboard offers the one before, that they may.
    body = client_for("facilitator").get(dashboard).content.decode()
    assert team.get_absolute_url() not in body
    assert world.synthesis.get_absolute_url() in body
    assert reverse("reports:synthesis", args=[world.territory.pk]) in body

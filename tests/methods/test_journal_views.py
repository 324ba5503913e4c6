"""The journal's pages as each role meets them: the timelines (what is listed, to whom), the filters, and
writing, changing and deleting a récit, with bad input shown on the form."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.privacy import account_delete
from methods.models import JournalEntry, JournalPrompt, JournalVisibility
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def _project_url(world):
    return reverse("methods:journal_project", args=[world.project.pk])


def _territory_url(world):
    return reverse("methods:journal_territory", args=[world.territory.pk])


def _create_url(world):
    return reverse("methods:journal_entry_create_project", args=[world.project.pk])


def _edit_url(entry):
    return reverse("methods:journal_entry_edit", args=[entry.pk])


def _delete_url(entry):
    return reverse("methods:journal_entry_delete", args=[entry.pk])


def _page(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200
    return response.content.decode()


def _has(html, text):
    return escape(text) in html


def _form(world, **changes):
    return {
        "prompt": JournalPrompt.DISPUTES,
        "happened_on": "2024-04-18",
        "title": "Un désaccord sur le calendrier",
        "body": "Nous avons mis le désaccord **au travail**.",
        "participants": [world.users["agent"].pk, world.users["dgs"].pk],
        "other_participants": "Léa, de l'office de tourisme",
        "visibility": JournalVisibility.TEAM,
        **changes,
    }


# --- The timelines -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["agent", "dgs", "elu"])
def test_the_team_reads_every_recit_of_the_project(world, client_for, role):
    html = _page(client_for(role), _project_url(world))

    assert _has(html, world.journal_entry.title)
    assert "Un différend entre DGS sur le rôle du Pôle" in html
    assert "journal-visibility-team\">Réservé à l'équipe" in html
    assert "journal-visibility-shared\">Partagé avec l'accompagnement" in html


@pytest.mark.parametrize("role", ["facilitator", "admin"])
def test_the_accompaniment_and_the_admins_read_only_the_shared_recits(world, client_for, role):
    client = client_for(role)
    html = _page(client, _project_url(world))

    assert _has(html, world.journal_entry.title)
    assert not _has(html, world.journal_entry_team.title)
    assert "journal-visibility-team" not in html
    assert "Vous lisez les récits que l'équipe partage avec l'accompagnement" in html
    territory_html = _page(client, _territory_url(world))
    assert _has(territory_html, world.journal_entry.title)
    assert not _has(territory_html, world.journal_entry_team.title)
    # Nor can they reach it by its address.
    assert client.get(_edit_url(world.journal_entry_team)).status_code == 404
    assert client.get(_delete_url(world.journal_entry_team)).status_code == 404


def test_a_recit_shows_its_prompt_its_date_its_author_and_who_took_part(world, client_for):
    html = _page(client_for("facilitator"), _project_url(world))

    assert '<h2 id="annee-2024">2024</h2>' in html
    assert "Mars 2024" in html
    assert 'class="journal-prompt journal-prompt-peer_groups"' in html
    assert "Groupes de pairs" in html
    assert f'title="{JournalPrompt.PEER_GROUPS.label}"' in html
    assert '<time datetime="2024-03-14">14 mars 2024</time>' in html
    assert "raconté par Antoine Agent" in html
    assert "Antoine Agent, Dominique DGS, Fanny Accompagnatrice, Un agent du CNFPT" in html
    assert "sur <strong>trois</strong> idées" in html


def test_recits_are_listed_newest_first_under_their_year_and_month(world, client_for):
    JournalEntry.objects.create(
        territory=world.territory,
        project=world.project,
        happened_on=date(2021, 12, 3),
        prompt=JournalPrompt.EFFECTS,
        title="Le tout premier récit",
        body="Au début.",
        author=world.users["agent"],
    )
    html = _page(client_for("agent"), _project_url(world))

    positions = [
        html.index(escape(text))
        for text in (
            "annee-2024",
            "Mars 2024",
            world.journal_entry.title,
            "Février 2024",
            world.journal_entry_team.title,
            "annee-2021",
            "Décembre 2021",
            "Le tout premier récit",
        )
    ]
    assert positions == sorted(positions)


def test_a_recit_s_text_is_markdown_made_inert(world, client_for):
    world.journal_entry.body = "<script>alert(1)</script> et [un lien](javascript:alert(1))"
    world.journal_entry.save()

    html = _page(client_for("agent"), _project_url(world))

    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html


def test_the_territory_s_timeline_holds_its_own_recits_and_its_projects_labelled(world, client_for):
    html = _page(client_for("agent"), _territory_url(world))

    assert _has(html, world.territory_journal_entry.title)
    assert _has(html, world.journal_entry.title) and _has(html, world.journal_entry_team.title)
    assert f'Projet : <a href="{_project_url(world)}">{world.project.title}</a>' in html
    assert not _has(html, world.other_journal_entry.title)


def test_the_project_s_timeline_holds_only_its_own_recits(world, client_for):
    html = _page(client_for("agent"), _project_url(world))

    assert not _has(html, world.territory_journal_entry.title)
    assert not _has(html, world.other_journal_entry.title)


def test_the_outsider_does_not_see_the_journals(world, client_for):
    client = client_for("outsider")

    assert client.get(_project_url(world)).status_code == 404
    assert client.get(_territory_url(world)).status_code == 403
    assert client.get(_edit_url(world.territory_journal_entry)).status_code == 404


def test_the_team_may_write_and_the_accompaniment_only_reads(world, client_for):
    create = _create_url(world)

    assert f'href="{create}"' in _page(client_for("elu"), _project_url(world))
    assert f'href="{create}"' not in _page(client_for("facilitator"), _project_url(world))


def test_only_the_author_or_a_manager_is_offered_to_change_a_recit(world, client_for):
    agent_html = _page(client_for("agent"), _territory_url(world))
    dgs_html = _page(client_for("dgs"), _territory_url(world))
    elu_html = _page(client_for("elu"), _territory_url(world))

    for entry in (world.journal_entry, world.journal_entry_team, world.territory_journal_entry):
        assert _edit_url(entry) in agent_html
    assert _edit_url(world.territory_journal_entry) in dgs_html
    assert _edit_url(world.journal_entry) not in dgs_html
    assert "Modifier" not in elu_html


def test_an_empty_journal_invites_the_team_to_write(world, client_for):
    JournalEntry.objects.filter(project=world.project).delete()

    assert "Aucun récit pour l'instant" in _page(client_for("agent"), _project_url(world))
    assert "aucun récit avec l'accompagnement" in _page(client_for("facilitator"), _project_url(world))


def test_an_anonymised_author_reads_compte_supprime(world, client_for):
    account_delete(user=world.users["dgs"])

    html = _page(client_for("agent"), _territory_url(world))

    assert "raconté par Compte supprimé" in html


# --- Filters -------------------------------------------------------------------------------------------


def test_the_timeline_filters_by_prompt(world, client_for):
    html = _page(client_for("agent"), _project_url(world), {"prompt": JournalPrompt.DISPUTES})

    assert _has(html, world.journal_entry_team.title) and not _has(html, world.journal_entry.title)
    assert "1 récit" in html


def test_the_team_filters_by_visibility(world, client_for):
    client = client_for("agent")

    team_html = _page(client, _project_url(world), {"visibility": JournalVisibility.TEAM})
    shared_html = _page(client, _project_url(world), {"visibility": JournalVisibility.SHARED})

    assert _has(team_html, world.journal_entry_team.title) and not _has(team_html, world.journal_entry.title)
    assert _has(shared_html, world.journal_entry.title) and not _has(
        shared_html, world.journal_entry_team.title
    )


def test_the_accompaniment_has_no_visibility_filter_and_asking_for_team_recits_shows_none(world, client_for):
    html = _page(client_for("facilitator"), _project_url(world), {"visibility": JournalVisibility.TEAM})

    assert 'name="visibility"' not in html
    assert not _has(html, world.journal_entry_team.title) and _has(html, world.journal_entry.title)


def test_a_filter_that_matches_nothing_says_so_and_an_unknown_value_is_ignored(world, client_for):
    client = client_for("agent")

    empty = _page(client, _project_url(world), {"prompt": JournalPrompt.EFFECTS})
    unknown = _page(client, _project_url(world), {"prompt": "n'importe quoi", "visibility": "\x00"})

    assert "Aucun récit ne correspond à ces filtres." in empty
    assert _has(unknown, world.journal_entry.title) and _has(unknown, world.journal_entry_team.title)


# --- Writing a récit -----------------------------------------------------------------------------------


def test_the_form_guides_with_the_five_prompts_and_offers_the_scope_s_people(world, client_for):
    html = _page(client_for("dgs"), _create_url(world))

    assert "Pour vous aider à raconter…" in html
    for prompt in JournalPrompt:
        assert html.count(str(prompt.label).replace("'", "&#x27;")) == 2  # the guide and the radio button
    assert html.count('name="prompt"') == 5
    assert "Fanny Accompagnatrice" in html and "Élise Élue" in html
    assert "Victor Visiteur" not in html
    assert f'max="{timezone.localdate().isoformat()}"' in html
    assert 'value="team" required id="id_visibility_0" checked' in html


def test_writing_a_recit_goes_back_to_the_timeline_at_the_new_recit(world, client_for):
    response = client_for("dgs").post(_create_url(world), _form(world))

    entry = JournalEntry.objects.get(title="Un désaccord sur le calendrier")
    assert response.status_code == 302
    assert response["Location"] == f"{_project_url(world)}#recit-{entry.pk}"
    assert entry.author == world.users["dgs"] and entry.project == world.project
    assert set(entry.participants.all()) == {world.users["agent"], world.users["dgs"]}
    assert entry.other_participants == "Léa, de l'office de tourisme"


def test_writing_a_recit_in_the_territory_s_journal(world, client_for):
    url = reverse("methods:journal_entry_create_territory", args=[world.territory.pk])
    response = client_for("elu").post(url, _form(world, visibility=JournalVisibility.SHARED))

    entry = JournalEntry.objects.get(title="Un désaccord sur le calendrier")
    assert response["Location"] == f"{_territory_url(world)}#recit-{entry.pk}"
    assert entry.project is None and entry.visibility == JournalVisibility.SHARED
    assert Notification.objects.filter(
        kind="methods.journal_shared", recipient=world.users["facilitator"]
    ).exists()


def test_a_future_date_is_refused_on_the_form_and_nothing_typed_is_lost(world, client_for):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = client_for("agent").post(_create_url(world), _form(world, happened_on=tomorrow))

    html = response.content.decode()
    assert response.status_code == 200
    assert "La date d&#x27;un récit ne peut pas être dans le futur" in html
    # Beside the date field, not above the form.
    assert response.context["form"].errors["happened_on"] == [
        "La date d'un récit ne peut pas être dans le futur : racontez ce qui a déjà eu lieu."
    ]
    assert 'value="Un désaccord sur le calendrier"' in html
    assert "Nous avons mis le désaccord **au travail**." in html
    assert f'value="{tomorrow}"' in html
    assert not JournalEntry.objects.filter(title="Un désaccord sur le calendrier").exists()


def test_a_participant_from_another_territory_is_refused_on_the_form(world, client_for):
    outsider = world.users["outsider"].pk

    response = client_for("agent").post(_create_url(world), _form(world, participants=[outsider]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Les participant·es se choisissent dans l&#x27;équipe et l&#x27;accompagnement" in html
    assert "Nous avons mis le désaccord **au travail**." in html
    assert not JournalEntry.objects.filter(title="Un désaccord sur le calendrier").exists()


def test_an_empty_form_says_what_is_missing_in_french(world, client_for):
    html = client_for("agent").post(_create_url(world), {}).content.decode()

    assert "Choisissez la question à laquelle ce récit répond." in html
    assert "Indiquez la date de ce qui est raconté." in html
    assert "Donnez un titre au récit." in html
    assert "Écrivez le récit." in html


@pytest.mark.parametrize(("role", "status"), [("facilitator", 403), ("admin", 403), ("outsider", 404)])
def test_outside_the_team_one_cannot_write(world, client_for, role, status):
    response = client_for(role).post(_create_url(world), _form(world))

    assert response.status_code == status
    assert not JournalEntry.objects.filter(title="Un désaccord sur le calendrier").exists()


# --- Changing and deleting a récit ---------------------------------------------------------------------


def test_the_edit_form_holds_the_recit_as_it_is(world, client_for):
    html = _page(client_for("agent"), _edit_url(world.journal_entry))

    assert 'value="Le croisement des groupes d&#x27;agents et de DGS"' in html
    assert 'value="2024-03-14"' in html
    assert 'value="peer_groups" required id="id_prompt_1" checked' in html
    assert 'value="shared" required id="id_visibility_1" checked' in html
    assert 'value="Un agent du CNFPT"' in html


def test_a_manager_changes_a_recit_written_by_someone_else(world, client_for):
    entry = world.territory_journal_entry

    response = client_for("agent").post(_edit_url(entry), _form(world, title="Revu par l'agent"))

    entry.refresh_from_db()
    assert response["Location"] == f"{_territory_url(world)}#recit-{entry.pk}"
    assert entry.title == "Revu par l'agent" and entry.author == world.users["dgs"]


@pytest.mark.parametrize("role", ["dgs", "elu", "facilitator", "admin"])
def test_others_may_not_change_or_delete_the_agent_s_shared_recit(world, client_for, role):
    client = client_for(role)

    assert client.post(_edit_url(world.journal_entry), _form(world)).status_code == 403
    assert client.post(_delete_url(world.journal_entry)).status_code == 403
    assert JournalEntry.objects.filter(pk=world.journal_entry.pk, title=world.journal_entry.title).exists()


def test_a_bad_change_is_refused_on_the_form_and_the_recit_is_unchanged(world, client_for):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    entry = world.journal_entry

    response = client_for("agent").post(_edit_url(entry), _form(world, title="Changé", happened_on=tomorrow))

    assert response.status_code == 200
    assert 'value="Changé"' in response.content.decode()
    entry.refresh_from_db()
    assert entry.title == "Le croisement des groupes d'agents et de DGS"


def test_deleting_a_recit_asks_first_then_goes_back_to_the_timeline(world, client_for):
    client = client_for("dgs")
    entry = world.territory_journal_entry

    confirm = _page(client, _delete_url(entry))
    response = client.post(_delete_url(entry))

    assert "Supprimer le récit « Un premier espace de parole des agents »" in confirm
    assert response["Location"] == _territory_url(world)
    assert not JournalEntry.objects.filter(pk=entry.pk).exists()


def test_another_territory_s_recit_is_not_found(world, client_for):
    client = client_for("agent")

    assert client.get(_edit_url(world.other_journal_entry)).status_code == 404
    assert client.post(_delete_url(world.other_journal_entry)).status_code == 404
    assert client.get(reverse("methods:journal_entry_edit", args=[999999])).status_code == 404

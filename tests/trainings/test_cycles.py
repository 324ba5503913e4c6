"""Training cycles: creation, their sessions within their dates and days, registrations and attendance."""

import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from core.errors import DomainError
from core.models import AuditEntry
from notifications.models import Notification
from territories.models import TeamMember, TeamRole
from trainings import services
from trainings.models import Attendance, Participant, TrainingCycle, TrainingSession

from ..factories import TerritoryFactory, UserFactory
from .helpers import make_cycle, register, text, url

CYCLE_FORM = {
    "title": "Coopérer pour manager",
    "partner": "CNFPT",
    "audience": "Les managers des cinq communautés de communes",
    "days": "5",
    "start_date": "2022-09-01",
    "end_date": "2023-01-31",
    "description": "Cinq jours.",
}


# --- Who may do what ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["agent", "dgs", "elu", "facilitator", "admin"])
def test_the_team_its_facilitator_and_the_admins_read_a_cycle(role, world, client_for):
    response = client_for(role).get(url("cycle_detail", world.training_cycle.pk))
    assert response.status_code == 200
    assert "Claire Martin" in text(response)


def test_an_agent_of_another_territory_is_refused_the_trainings_of_a_published_one(world, client_for):
    client = client_for("outsider")
    assert client.get(url("index", world.territory.pk)).status_code == 403
    assert client.get(url("cycle_detail", world.training_cycle.pk)).status_code == 403
    response = client.post(url("cycle_create", world.territory.pk), CYCLE_FORM)
    assert response.status_code == 403
    assert TrainingCycle.objects.count() == 1


def test_the_trainings_of_an_unpublished_territory_do_not_exist_for_others(world, client_for):
    world.territory.is_published = False
    world.territory.save()
    client = client_for("outsider")
    assert client.get(url("index", world.territory.pk)).status_code == 404
    assert client.get(url("cycle_detail", world.training_cycle.pk)).status_code == 404
    assert client.get(url("cycle_detail", 999999)).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(world, client_for):
    response = client_for("anonymous").get(url("cycle_detail", world.training_cycle.pk))
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]


def test_the_manager_of_another_territory_cannot_reach_its_own_cycle_through_this_one(world, client_for):
    other = make_cycle(world.other_territory, world.users["outsider"])
    session = services.session_add(actor=None, cycle=other, date=datetime.date(2022, 10, 1))
    client = client_for("agent")
    assert client.get(url("cycle_detail", other.pk)).status_code == 404
    # A session of the other cycle, asked for through a cycle the agent may read.
    assert client.get(url("attendance", world.training_cycle.pk, session.pk)).status_code == 404
    response = client.post(url("session_remove", world.training_cycle.pk, session.pk), {"confirm": "on"})
    assert response.status_code == 404
    assert TrainingSession.objects.filter(pk=session.pk).exists()


# --- Cycles ------------------------------------------------------------------------------------------


def test_a_contributor_creates_a_cycle_and_lands_on_it(world, client_for):
    response = client_for("facilitator").post(url("cycle_create", world.territory.pk), CYCLE_FORM)
    cycle = TrainingCycle.objects.get(title="Coopérer pour manager")
    assert response.status_code == 302 and response["Location"] == url("cycle_detail", cycle.pk)
    assert (cycle.territory, cycle.days, cycle.partner) == (world.territory, 5, "CNFPT")
    assert cycle.created_by == world.users["facilitator"]
    assert AuditEntry.objects.filter(action="training_cycle.create", target_id=str(cycle.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_date": "2022-08-01"}, "La fin du cycle ne peut pas précéder son début."),
        (
            {"days": "5", "start_date": "2022-09-01", "end_date": "2022-09-03"},
            "Un cycle de 5 jours ne tient pas entre le 1er septembre 2022 et le 3 septembre 2022 : cette "
            "période ne compte que 3 dates.",
        ),
        ({"days": "0"}, "Un cycle compte au moins un jour."),
        ({"days": "cinq"}, "Saisissez un nombre entier de jours."),
        ({"title": " "}, "Donnez un intitulé au cycle."),
        ({"start_date": "31/02/2022"}, "Saisissez une date valide"),
        ({"start_date": "1022-09-01"}, "Vérifiez l'année : la date doit être comprise entre 2000 et 2100."),
        ({"end_date": "9999-12-31"}, "Vérifiez l'année : la date doit être comprise entre 2000 et 2100."),
        ({"audience": ""}, "Indiquez à qui s'adresse le cycle."),
        ({"title": "x" * 201}, "200 caractères au plus"),
        ({"title": "Nul\x00"}, "Le caractère nul n’est pas autorisé."),
    ],
)
def test_a_bad_cycle_gets_a_french_message_and_nothing_is_saved(changes, message, world, client_for):
    response = client_for("agent").post(url("cycle_create", world.territory.pk), {**CYCLE_FORM, **changes})
    assert response.status_code == 400
    assert message in text(response)
    assert "Le cycle n'est pas enregistré" in text(response)
    if "audience" not in changes:
        # What was typed stays in the form.
        assert 'value="Les managers des cinq communautés de communes"' in response.content.decode()
    assert TrainingCycle.objects.count() == 1


def test_a_cycle_cannot_shrink_below_its_sessions_nor_leave_one_outside_its_dates(world, client_for):
    cycle = world.training_cycle  # 5 days, one session on 22 September 2022
    services.session_add(actor=None, cycle=cycle, date=datetime.date(2022, 10, 13))
    client = client_for("agent")
    data = {**CYCLE_FORM, "days": "1"}
    response = client.post(url("cycle_edit", cycle.pk), data)
    assert response.status_code == 400
    assert "Le cycle a déjà 2 séances : il ne peut pas compter moins de 2 jours." in text(response)

    data = {**CYCLE_FORM, "start_date": "2022-10-01"}
    response = client.post(url("cycle_edit", cycle.pk), data)
    assert response.status_code == 400
    assert "La séance du 22 septembre 2022 sortirait des dates du cycle" in text(response)

    cycle.refresh_from_db()
    assert (cycle.days, cycle.start_date, cycle.title) == (
        5,
        datetime.date(2022, 9, 1),
        "Le management par la coopération",
    )


def test_a_cycle_is_edited_then_deleted_with_its_sessions_and_registrations(world, client_for):
    cycle = world.training_cycle
    client = client_for("dgs")
    response = client.post(
        url("cycle_edit", cycle.pk), {**CYCLE_FORM, "title": "Manager en coopérant", "days": "6"}
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert (cycle.title, cycle.days) == ("Manager en coopérant", 6)

    response = client.post(url("cycle_delete", cycle.pk), {})
    assert response.status_code == 400
    assert "Cochez la case pour confirmer la suppression." in text(response)
    assert TrainingCycle.objects.filter(pk=cycle.pk).exists()

    response = client.post(url("cycle_delete", cycle.pk), {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == url("index", world.territory.pk)
    assert not TrainingCycle.objects.filter(pk=cycle.pk).exists()
    assert not Participant.objects.exists() and not Attendance.objects.exists()


def test_the_database_refuses_a_cycle_that_ends_before_it_starts(world):
    with pytest.raises(IntegrityError):
        TrainingCycle.objects.create(
            territory=world.territory,
            title="À l'envers",
            audience="Personne",
            days=1,
            start_date=datetime.date(2022, 2, 1),
            end_date=datetime.date(2022, 1, 1),
        )


# --- Sessions ----------------------------------------------------------------------------------------


def test_a_session_is_planned_within_the_cycle(world, client_for):
    cycle = world.training_cycle
    response = client_for("elu").post(
        url("session_add", cycle.pk), {"date": "2022-10-13", "topic": "Coopérer"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#seances")
    assert cycle.sessions.filter(date=datetime.date(2022, 10, 13), topic="Coopérer").exists()


@pytest.mark.parametrize(
    ("date", "message"),
    [
        (
            "2023-03-01",
            "Le 1er mars 2023 est en dehors des dates du cycle, du 1er septembre 2022 au 31 janvier 2023.",
        ),
        ("2022-09-22", "Une séance de ce cycle a déjà lieu le 22 septembre 2022."),
        ("", "Indiquez la date de la séance."),
        ("demain", "Saisissez une date valide"),
    ],
)
def test_a_session_outside_the_cycle_or_on_a_taken_day_is_refused(date, message, world, client_for):
    cycle = world.training_cycle
    response = client_for("agent").post(
        url("session_add", cycle.pk), {"date": date, "topic": "Un thème gardé"}
    )
    assert response.status_code == 400
    assert message in text(response)
    assert 'value="Un thème gardé"' in response.content.decode()
    assert cycle.sessions.count() == 1


def test_a_cycle_gets_no_more_sessions_than_its_days(world, client_for):
    cycle = make_cycle(world.territory, world.users["agent"], days=2, title="Deux jours")
    client = client_for("agent")
    for day in ("2022-10-01", "2022-10-02"):
        assert client.post(url("session_add", cycle.pk), {"date": day}).status_code == 302
    page = client.get(url("cycle_detail", cycle.pk))
    assert "Les 2 jours du cycle ont tous leur séance" in text(page)
    assert url("session_add", cycle.pk) not in page.content.decode()

    response = client.post(url("session_add", cycle.pk), {"date": "2022-10-03"})
    assert response.status_code == 400
    assert (
        "Le cycle compte 2 jours et ils ont tous leur séance : augmentez le nombre de jours du cycle pour en "
        "ajouter une." in text(response)
    )
    assert cycle.sessions.count() == 2


def test_a_session_is_removed_only_once_confirmed(world, client_for):
    session = world.training_session
    client = client_for("agent")
    response = client.post(url("session_remove", world.training_cycle.pk, session.pk), {})
    assert response.status_code == 302
    assert "cochez la case pour confirmer" in text(client.get(response["Location"]))
    assert TrainingSession.objects.filter(pk=session.pk).exists()

    client.post(url("session_remove", world.training_cycle.pk, session.pk), {"confirm": "on"})
    assert not TrainingSession.objects.filter(pk=session.pk).exists()
    assert not Attendance.objects.filter(session_id=session.pk).exists()


# --- Participants ------------------------------------------------------------------------------------


def test_a_person_without_an_account_is_registered_by_name(world, client_for):
    cycle = world.training_cycle
    data = {"user": "", "name": "Julien Bonnet", "organisation": "CC Centre Tarn", "function": "DST"}
    response = client_for("agent").post(url("participant_add", cycle.pk), data)
    assert response.status_code == 302 and response["Location"].endswith("#participants")
    participant = cycle.participants.get(name="Julien Bonnet")
    assert (participant.organisation, participant.function, participant.user) == (
        "CC Centre Tarn",
        "DST",
        None,
    )


def test_a_team_member_is_registered_through_their_account_and_told_so(world, client_for):
    cycle = world.training_cycle
    dgs = world.users["dgs"]
    response = client_for("agent").post(
        url("participant_add", cycle.pk), {"user": str(dgs.pk), "organisation": "Pôle"}
    )
    assert response.status_code == 302
    participant = cycle.participants.get(user=dgs)
    assert participant.name == dgs.get_full_name() and participant.function == dgs.function
    notification = Notification.objects.get(recipient=dgs, kind="trainings.registered")
    assert cycle.title in notification.title and notification.url == url("cycle_detail", cycle.pk)


def test_only_accounts_of_the_territory_can_be_linked(world, client_for):
    stranger = UserFactory()
    response = client_for("agent").post(
        url("participant_add", world.training_cycle.pk), {"user": str(stranger.pk)}
    )
    assert response.status_code == 400
    assert "Choisissez une personne de l'équipe du territoire." in text(response)
    assert not Participant.objects.filter(user=stranger).exists()


def test_a_registration_needs_a_name_or_an_account(world, client_for):
    response = client_for("agent").post(
        url("participant_add", world.training_cycle.pk), {"organisation": "CC"}
    )
    assert response.status_code == 400
    assert "Indiquez le nom de la personne, ou choisissez son compte." in text(response)


def test_the_same_person_is_not_registered_twice(world, client_for):
    data = {"name": "claire martin", "organisation": "cc val 81"}
    response = client_for("agent").post(url("participant_add", world.training_cycle.pk), data)
    assert response.status_code == 400
    assert "claire martin est déjà inscrit·e à ce cycle." in text(response)
    assert world.training_cycle.participants.count() == 1


def test_a_list_of_trainees_is_registered_at_once(world, client_for):
    cycle = world.training_cycle
    lines = "Julien Bonnet ; CC Centre Tarn ; DST\n\nNadia Roques;CC Val 81\nPierre Cabrol\n"
    response = client_for("facilitator").post(url("participants_import", cycle.pk), {"lines": lines})
    assert response.status_code == 302
    assert set(cycle.participants.values_list("name", "organisation", "function")) == {
        ("Claire Martin", "CC Val 81", "DGS"),
        ("Julien Bonnet", "CC Centre Tarn", "DST"),
        ("Nadia Roques", "CC Val 81", ""),
        ("Pierre Cabrol", "", ""),
    }


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            "Julien Bonnet ; CC ; DST\n ; CC Val 81",
            "Ligne 2 : écrivez « Nom ; organisation ; fonction », le nom d'abord.",
        ),
        ("A ; B ; C ; D", "Ligne 1 : écrivez « Nom ; organisation ; fonction »"),
        ("Julien Bonnet\nJulien Bonnet", "Julien Bonnet figure deux fois dans la liste."),
        ("Julien Bonnet\nClaire Martin ; CC Val 81", "Claire Martin est déjà inscrit·e à ce cycle."),
        ("\n \n", "Saisissez au moins une personne."),
        ("x" * 201, "Lignes 1 : 200 caractères au plus"),
        ("\n".join(f"Personne {n}" for n in range(201)), "200 personnes au plus à la fois"),
    ],
)
def test_a_bad_list_registers_nobody_and_is_kept(lines, message, world, client_for):
    response = client_for("agent").post(url("participants_import", world.training_cycle.pk), {"lines": lines})
    assert response.status_code == 400
    assert message in text(response)
    assert world.training_cycle.participants.count() == 1
    if lines.strip():
        assert lines.splitlines()[0][:50] in response.content.decode()


def test_a_participant_is_unregistered_with_their_attendance(world, client_for):
    participant = world.training_participant
    client = client_for("agent")
    client.post(url("participant_remove", world.training_cycle.pk, participant.pk), {})
    assert Participant.objects.filter(pk=participant.pk).exists()
    response = client.post(
        url("participant_remove", world.training_cycle.pk, participant.pk), {"confirm": "on"}
    )
    assert response.status_code == 302
    assert not Participant.objects.filter(pk=participant.pk).exists()
    assert not Attendance.objects.filter(participant_id=participant.pk).exists()


# --- Attendance --------------------------------------------------------------------------------------


def test_attendance_is_marked_per_session_and_counted(world, client_for):
    cycle = world.training_cycle
    julien, nadia = register(cycle, world.users["agent"], ["Julien Bonnet", "Nadia Roques"])
    session = services.session_add(actor=None, cycle=cycle, date=datetime.date(2022, 10, 13))
    client = client_for("agent")
    page = client.get(url("attendance", cycle.pk, session.pk))
    assert page.status_code == 200
    assert "Julien Bonnet — CC Val 81" in text(page)

    response = client.post(
        url("attendance", cycle.pk, session.pk),
        {"present": [str(world.training_participant.pk), str(julien.pk)]},
    )
    assert response.status_code == 302 and response["Location"].endswith("#presences")
    assert set(session.attendances.values_list("participant_id", flat=True)) == {
        world.training_participant.pk,
        julien.pk,
    }
    message = text(client.get(response["Location"]))
    assert (
        "Présences du 13 octobre 2022 enregistrées : 2 personnes présentes ; 3 inscrites au cycle." in message
    )

    # Corrected: Julien was absent after all, Nadia was there.
    client.post(
        url("attendance", cycle.pk, session.pk),
        {"present": [str(world.training_participant.pk), str(nadia.pk)]},
    )
    assert set(session.attendances.values_list("participant_id", flat=True)) == {
        world.training_participant.pk,
        nadia.pk,
    }

    page = client.get(url("cycle_detail", cycle.pk))
    grid = page.context["grid"]
    assert grid.taken == 2 and grid.trainee_days == 3
    assert grid.complete == 1  # Claire Martin, present at both sessions
    assert [column.present for column in grid.columns] == [1, 2]


def test_attendance_of_a_session_to_come_is_refused(world, client_for):
    cycle = make_cycle(
        world.territory,
        world.users["agent"],
        days=1,
        start=timezone.localdate() + datetime.timedelta(days=10),
        end=timezone.localdate() + datetime.timedelta(days=20),
        title="Bientôt",
    )
    session = services.session_add(actor=None, cycle=cycle, date=cycle.start_date)
    (person,) = register(cycle, None, ["Julien Bonnet"])
    response = client_for("agent").post(
        url("attendance", cycle.pk, session.pk), {"present": [str(person.pk)]}
    )
    assert response.status_code == 400
    assert "n'a pas encore eu lieu : les présences se relèvent le jour même ou après." in text(response)
    assert not session.attendances.exists()
    assert "à venir" in text(client_for("agent").get(url("cycle_detail", cycle.pk)))


def test_someone_registered_in_another_cycle_cannot_be_marked_present(world, client_for):
    other = make_cycle(world.territory, world.users["agent"], title="Un autre cycle")
    (stranger,) = register(other, None, ["Julien Bonnet"])
    response = client_for("agent").post(
        url("attendance", world.training_cycle.pk, world.training_session.pk), {"present": [str(stranger.pk)]}
    )
    assert response.status_code == 400
    assert "Cette personne n'est pas inscrite au cycle." in text(response)
    with pytest.raises(DomainError, match="inscrites au cycle"):
        services.attendance_record(actor=None, session=world.training_session, present_ids=[stranger.pk])
    assert not stranger.attendances.exists()


# --- The territory's list of cycles ------------------------------------------------------------------


def test_the_list_shows_each_cycles_figures_and_the_awareness_total(world, client_for):
    register(world.training_cycle, None, ["Julien Bonnet", "Nadia Roques"])
    response = client_for("elu").get(url("index", world.territory.pk))
    (cycle,) = response.context["cycles"]
    assert (cycle.participant_count, cycle.session_count, cycle.taken_count, cycle.attendance_count) == (
        3,
        1,
        1,
        1,
    )
    assert cycle.average_attendance == 1
    assert "70 personnes sensibilisées en 1 session." in text(response)


def _populate(territory, cycles, participants, sessions):
    for number in range(cycles):
        cycle = make_cycle(territory, None, days=sessions, title=f"Cycle {number}")
        for day in range(sessions):
            services.session_add(
                actor=None, cycle=cycle, date=datetime.date(2022, 9, 1) + datetime.timedelta(days=day)
            )
        people = register(cycle, None, [f"Personne {n}" for n in range(participants)])
        for session in cycle.sessions.all():
            services.attendance_record(actor=None, session=session, present_ids=[p.pk for p in people])


@pytest.mark.parametrize("page", ["index", "cycle_detail"])
def test_the_pages_cost_as_many_queries_with_many_cycles_people_and_sessions(
    page, world, client_for, django_assert_max_num_queries
):
    client = client_for("agent")
    target = url(page, world.territory.pk if page == "index" else world.training_cycle.pk)
    client.get(target)
    with django_assert_max_num_queries(100) as small:
        assert client.get(target).status_code == 200
    _populate(world.territory, cycles=12, participants=40, sessions=5)
    register(world.training_cycle, None, [f"Stagiaire {n}" for n in range(40)])
    for day in range(2, 6):
        session = services.session_add(
            actor=None, cycle=world.training_cycle, date=datetime.date(2022, 10, day)
        )
        services.attendance_record(
            actor=None,
            session=session,
            present_ids=world.training_cycle.participants.values_list("pk", flat=True),
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(target)
    assert response.status_code == 200
    if page == "cycle_detail":
        assert len(response.context["grid"].rows) == 41


def test_the_attendance_page_costs_as_many_queries_for_40_trainees_as_for_one(
    world, client_for, django_assert_max_num_queries
):
    client = client_for("agent")
    target = url("attendance", world.training_cycle.pk, world.training_session.pk)
    client.get(target)
    with django_assert_max_num_queries(100) as small:
        client.get(target)
    register(world.training_cycle, None, [f"Stagiaire {n}" for n in range(40)])
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(target).status_code == 200


def test_the_accounts_offered_are_the_territorys_team_and_facilitators_each_once(world, client_for):
    other_team = TerritoryFactory()
    TeamMember.objects.create(territory=other_team, user=world.users["agent"], role=TeamRole.AGENT)
    response = client_for("agent").get(url("cycle_detail", world.training_cycle.pk))
    accounts = list(response.context["participant_form"].fields["user"].queryset)
    assert sorted(user.email for user in accounts) == sorted(
        world.users[role].email for role in ("agent", "dgs", "elu", "facilitator")
    )

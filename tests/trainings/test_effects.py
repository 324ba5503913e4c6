"""The effects journal: effects observed on the territory or a pilot initiative, shown as a "+ / −" table."""

import datetime

import pytest
from django.utils import timezone

from core.models import AuditEntry
from notifications.models import Notification
from trainings import services
from trainings.models import Effect, Polarity
from trainings.selectors import effects_tables

from .helpers import text, url

EFFECT_FORM = {
    "polarity": "negative",
    "description": "Le groupe des DGS n'a jamais vraiment « pris ».",
    "initiative": "Management des organisations par la coopération",
    "observed_on": "2022-11-30",
    "observed_by": "Fanny Accompagnatrice",
}


def _effect(world, polarity, description, initiative="", day=1):
    return services.effect_record(
        actor=None,
        territory=world.territory,
        polarity=polarity,
        description=description,
        initiative=initiative,
        observed_on=datetime.date(2022, 12, day),
        observed_by="L'équipe",
    )


def test_a_contributor_records_an_effect_and_sees_it_in_the_minus_column(world, client_for):
    response = client_for("dgs").post(url("effect_add", world.territory.pk), EFFECT_FORM)
    effect = Effect.objects.get(polarity=Polarity.NEGATIVE)
    assert response.status_code == 302
    assert response["Location"] == f"{url('effects', world.territory.pk)}#effet-{effect.pk}"
    assert effect.recorded_by == world.users["dgs"]
    assert AuditEntry.objects.filter(action="effect.record", target_id=str(effect.pk)).exists()

    page = client_for("dgs").get(url("effects", world.territory.pk))
    (table,) = page.context["tables"]
    assert table.initiative == "Management des organisations par la coopération"
    assert [(plus and plus.description, minus and minus.description) for plus, minus in table.rows] == [
        (
            "Le groupe des agents s'est approprié l'exercice.",
            "Le groupe des DGS n'a jamais vraiment « pris ».",
        ),
    ]
    assert "Observé le 30 novembre 2022 par Fanny Accompagnatrice" in text(page)


def test_the_team_and_the_facilitators_are_told_of_a_new_effect_but_not_its_author(world, client_for):
    client_for("elu").post(url("effect_add", world.territory.pk), EFFECT_FORM)
    told = set(
        Notification.objects.filter(kind="trainings.effect", title__startswith="Un effet (−)").values_list(
            "recipient__email", flat=True
        )
    )
    assert told == {world.users[role].email for role in ("agent", "dgs", "facilitator")}
    notification = Notification.objects.get(
        kind="trainings.effect", recipient=world.users["agent"], title__startswith="Un effet (−)"
    )
    assert notification.title == "Un effet (−) est inscrit au journal de Pôle Territorial du Tarn"
    assert notification.url.startswith(url("effects", world.territory.pk) + "#effet-")


def test_effects_are_paired_plus_and_minus_by_initiative_the_territory_first(world):
    _effect(
        world,
        Polarity.POSITIVE,
        "Un argumentaire partagé et détaillé des agents.",
        "Management des organisations par la coopération",
        2,
    )
    _effect(
        world,
        Polarity.NEGATIVE,
        "Pas de vision partagée des élu·es ni des DGS.",
        "Management des organisations par la coopération",
        3,
    )
    _effect(world, Polarity.NEGATIVE, "Des projets qui meurent avec leur financement.", "", 4)
    _effect(
        world, Polarity.POSITIVE, "Une plateforme de la rénovation utile.", "Accompagnement rénovation", 5
    )
    tables = effects_tables(world.territory)
    assert [table.initiative for table in tables] == [
        "",
        "Accompagnement rénovation",
        "Management des organisations par la coopération",
    ]
    whole, renovation, pilot = tables
    assert whole.rows == [(None, Effect.objects.get(description__startswith="Des projets"))]
    assert (renovation.positive, renovation.negative) == (1, 0)
    assert [(plus.description, minus and minus.description) for plus, minus in pilot.rows] == [
        ("Le groupe des agents s'est approprié l'exercice.", "Pas de vision partagée des élu·es ni des DGS."),
        ("Un argumentaire partagé et détaillé des agents.", None),
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"polarity": ""}, "Dites si l'effet est positif (+) ou négatif (−)."),
        ({"polarity": "neutre"}, "Choisissez « positif » ou « négatif »."),
        ({"description": "  "}, "Décrivez l'effet observé."),
        ({"observed_by": ""}, "Indiquez qui a observé l'effet."),
        ({"observed_on": ""}, "Indiquez la date de l'observation."),
        ({"observed_on": "2022-13-01"}, "Saisissez une date valide"),
        ({"observed_on": "1999-12-31"}, "Vérifiez l'année : la date doit être comprise entre 2000 et 2100."),
        ({"initiative": "i" * 201}, "200 caractères au plus"),
    ],
)
def test_a_bad_effect_gets_a_french_message_and_nothing_is_saved(changes, message, world, client_for):
    response = client_for("agent").post(url("effect_add", world.territory.pk), {**EFFECT_FORM, **changes})
    assert response.status_code == 400
    assert message in text(response)
    assert "L'effet n'est pas enregistré : corrigez les champs signalés." in text(response)
    assert Effect.objects.count() == 1


def test_an_effect_cannot_be_observed_in_the_future(world, client_for):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client_for("agent").post(
        url("effect_add", world.territory.pk), {**EFFECT_FORM, "observed_on": tomorrow}
    )
    assert response.status_code == 400
    assert "Un effet s'inscrit une fois observé : sa date ne peut pas être à venir." in text(response)
    assert Effect.objects.count() == 1


def test_the_form_starts_with_today_the_author_and_the_sign_asked_for(world, client_for):
    response = client_for("facilitator").get(url("effect_add", world.territory.pk) + "?sens=negative")
    form = response.context["form"]
    assert form.initial["observed_on"] == timezone.localdate()
    assert form.initial["observed_by"] == "Fanny Accompagnatrice"
    assert form.initial["polarity"] == "negative"
    # The initiatives already named are offered.
    assert '<option value="Management des organisations par la coopération">' in response.content.decode()


def test_an_effect_is_edited_then_removed(world, client_for):
    effect = world.effect
    client = client_for("agent")
    response = client.post(
        url("effect_edit", effect.pk), {**EFFECT_FORM, "polarity": "positive", "description": "Mieux dit."}
    )
    assert response.status_code == 302
    effect.refresh_from_db()
    assert (effect.polarity, effect.description) == ("positive", "Mieux dit.")

    bad = client.post(url("effect_edit", effect.pk), {**EFFECT_FORM, "description": ""})
    assert bad.status_code == 400
    effect.refresh_from_db()
    assert effect.description == "Mieux dit."

    assert client.post(url("effect_delete", effect.pk), {}).status_code == 400
    assert client.post(url("effect_delete", effect.pk), {"confirm": "on"}).status_code == 302
    assert not Effect.objects.exists()


def test_the_effects_of_a_territory_are_refused_to_others(world, client_for):
    assert client_for("outsider").get(url("effects", world.territory.pk)).status_code == 403
    assert client_for("outsider").get(url("effect_edit", world.effect.pk)).status_code == 403
    world.territory.is_published = False
    world.territory.save()
    assert client_for("outsider").get(url("effect_edit", world.effect.pk)).status_code == 404


def test_the_effects_are_sanitized(world, client_for):
    _effect(
        world,
        Polarity.POSITIVE,
        '<script>alert(1)</script><a href="javascript:alert(1)">lien</a> <em>net</em>',
    )
    content = client_for("agent").get(url("effects", world.territory.pk)).content.decode()
    assert "<script>alert(1)" not in content
    assert 'href="javascript:' not in content
    assert "<em>net</em>" in content


def test_the_journal_costs_as_many_queries_with_200_effects_as_with_one(
    world, client_for, django_assert_max_num_queries
):
    client = client_for("agent")
    target = url("effects", world.territory.pk)
    client.get(target)
    with django_assert_max_num_queries(100) as small:
        assert client.get(target).status_code == 200
    for number in range(200):
        _effect(
            world, list(Polarity)[number % 2], f"Effet {number}", f"Initiative {number % 7}", 1 + number % 28
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(target)
    assert sum(table.positive + table.negative for table in response.context["tables"]) == 201

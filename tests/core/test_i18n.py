"""The managed lists (themes, kinds of peer group, value dimensions) carry an English text beside the French
one: an English reader reads it, a French reader the French one, and French is shown where no English text
was written."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cooperation.models import GroupKind
from core.models import Theme
from methods.models import ValueDimension

pytestmark = pytest.mark.django_db


def english_client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("model", [Theme, GroupKind, ValueDimension])
def test_every_entry_the_migrations_seeded_has_an_english_name(model):
    without = list(model.objects.filter(name_en="").values_list("name", flat=True))
    assert model.objects.exists()
    assert not without, f"{model.__name__} seeded without an English name: {without}"


def test_every_seeded_value_dimension_has_an_english_description():
    assert not ValueDimension.objects.filter(name_en="").exists()
    assert not ValueDimension.objects.exclude(description="").filter(description_en="").exists()


def test_a_theme_is_named_in_the_readers_language_and_in_french_where_no_english_name_was_written():
    energy = Theme.objects.get(slug="energie")
    with translation.override("en"):
        assert str(energy) == energy.shown_name == "Energy"
    with translation.override("fr"):
        assert str(energy) == energy.shown_name == "Énergie"

    untranslated = Theme.objects.create(slug="sante", name="Santé")
    with translation.override("en"):
        assert str(untranslated) == "Santé"


def test_a_group_kind_and_a_value_dimension_give_their_description_in_the_readers_language():
    kind = GroupKind.objects.create(
        name="Réseau des tiers-lieux",
        name_en="Third places network",
        family="functional",
        description="Les animateur·ices des tiers-lieux.",
        description_en="The people running third places.",
    )
    trust = ValueDimension.objects.get(name="Confiance")
    with translation.override("en"):
        assert (kind.shown_name, kind.shown_description) == (
            "Third places network",
            "The people running third places.",
        )
        assert trust.shown_name == "Trust"
        assert trust.shown_description == "Between people, organisations and institutions."
    with translation.override("fr"):
        assert kind.shown_description == "Les animateur·ices des tiers-lieux."
        assert trust.shown_description == "Entre les personnes, les organisations et les institutions."


def test_the_library_shows_its_themes_in_english_to_an_english_reader(world):
    client = english_client(world.users["agent"])

    listing = client.get(reverse("library:list")).content.decode()
    detail = client.get(reverse("library:detail", args=[world.resource.pk])).content.decode()

    for html in (listing, detail):
        assert "Cooperation and management" in html
        assert "Coopération et management" not in html


def test_a_peer_group_shows_its_kind_in_english_to_an_english_reader(world):
    client = english_client(world.users["agent"])

    detail = client.get(reverse("cooperation:group_detail", args=[world.dgs_group.pk])).content.decode()
    groups = client.get(reverse("cooperation:groups")).content.decode()

    # The groups' own names ("Espace des DGS du Pôle") are theirs, as typed.
    assert "<dd>Chief executives (DGS) (hierarchical peers)</dd>" in detail
    assert "<dd>Espace des DGS" not in detail
    assert "Officers and project managers" in groups
    assert "Espace des agents &amp; chargés de mission" not in groups


def test_the_value_dimensions_are_shown_in_english_on_the_rating_and_deliberation_pages(world):
    client = english_client(world.users["agent"])

    rating = client.get(reverse("methods:evaluation_rate", args=[world.evaluation.pk])).content.decode()
    deliberation = client.get(
        reverse("methods:evaluation_deliberate", args=[world.territory_evaluation.pk])
    ).content.decode()
    radar = client.get(reverse("methods:evaluation_radar_svg", args=[world.territory_evaluation.pk]))

    assert "Skills and learning" in rating
    assert "What each person and the organisations have learnt." in rating
    assert "Compétences et apprentissages" not in rating
    assert "Cooperation" in deliberation
    assert "Pertinence du projet" not in deliberation
    assert "Relevance of the project to the territory" in radar.content.decode()
    assert "Pertinence du projet" not in radar.content.decode()


@pytest.mark.parametrize(
    ("model", "name"),
    [(Theme, "core_theme"), (GroupKind, "cooperation_groupkind"), (ValueDimension, "methods_valuedimension")],
)
def test_the_admins_give_each_entry_its_english_text_in_the_django_admin(client_for, model, name):
    entry = model.objects.first()
    client = client_for("admin")

    listing = client.get(reverse(f"admin:{name}_changelist"))
    form = client.get(reverse(f"admin:{name}_change", args=[entry.pk]))

    assert listing.status_code == form.status_code == 200
    assert 'name="name_en"' in form.content.decode()

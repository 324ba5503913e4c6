"""The sentences the platform writes around a name — notifications, page titles, status lines — elide and
contract as French does: « d'Élise », « de l'Espace », « du Pôle », « au Pôle », « la note d'intention est
soumise », never « de Élise », « de Espace », « à Le Mans » or « Note d'intention est soumise »."""

import html
import re

import pytest
from django.utils import translation

from cooperation.models import PeerGroup
from core.french import Article, Noun
from notifications import messages
from projects.models import DeliverableKind
from territories.models import Territory
from tests.url_kwargs import url_for

# « de » before a vowel or a mute h, « de / à » before an article that should have merged with it, an article
# left unelided. « de La Rochelle », « de L'Isle » are right: the article belongs to the name.
STUMBLES = re.compile(
    r"\b[Dd]e (?:[AEIOUYÉÈÊÎÔ]|H[éèe]|Le |Les |le |les )"
    r"|\b[àÀ] (?:Le |Les |le |les )"
    r"|\b(?:[Ll]e|[Ll]a) (?:[AEIOUÉÈÊÎÔ]|H[éè])"
)

NAMES = [
    Noun("Élise Élue"),
    Noun("Hélène Hugo"),
    Noun("Isère", Article.L_F),
    Noun("Espace des agents", Article.L_M),
    Noun("Étangs du Sud", Article.LES_M),
    Noun("Pôle Territorial", Article.LE),
    Noun("Le Mans"),
    Noun("Albi"),
]


def test_the_check_finds_what_a_french_reader_stumbles_on():
    wrong = ["de Élise", "de Espace", "de Étangs", "à Le Mans", "de Le Mans", "la Isère", "de Hélène"]
    for sentence in wrong:
        assert STUMBLES.search(sentence), sentence
    for right in ("d'Élise", "de l'Espace", "du Mans", "au Mans", "de La Rochelle", "de Castres", "à Élise"):
        assert not STUMBLES.search(right), right


def _params(message, noun: Noun, choice_index: int) -> dict:
    params = {}
    for placeholder in re.findall(r"%\((\w+)\)s", str(message.template)):
        name = re.sub(r"^(of|to|the)_", "", placeholder)
        choices = message.choices.get(name)
        if name in message.dates:
            params[name] = "2027-03-01"
        elif choices:
            params[name] = choices.values[choice_index % len(choices.values)]
        else:
            params[name], params[f"{name}_article"] = noun.name, noun.article
    return params


@pytest.mark.parametrize("key", sorted(messages.MESSAGES))
def test_every_notification_reads_right_whatever_the_name(key):
    message = messages.MESSAGES[key]
    for index, noun in enumerate(NAMES):
        for choice_index in range(3):
            sentence = messages.french(key, _params(message, noun, index + choice_index))
            assert not STUMBLES.search(sentence), sentence


def test_a_comment_notification_names_the_note_with_its_article():
    params = {"deliverable": DeliverableKind.CADRAGE, "project": "Un tiers-lieu"}
    assert messages.french("projects.comment", params) == "Commentaire sur la note de cadrage : Un tiers-lieu"
    with translation.override("en"):
        assert messages.render("projects.comment", params) == "Comment on the scoping note: Un tiers-lieu"


def test_an_effect_notification_says_du_or_de_l_as_the_territory_needs():
    params = {"sign": "+", "name": "Espace Hautes-Terres", "name_article": Article.L_M}
    assert messages.french("trainings.effect", params) == (
        "Un effet (+) est inscrit au journal de l'Espace Hautes-Terres"
    )
    # A row stored before the territories had an article still reads right.
    assert messages.french("trainings.effect", {"sign": "−", "name": "Albi"}) == (
        "Un effet (−) est inscrit au journal d'Albi"
    )


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


# Pages whose titles and status lines put a little word before the territory's or a group's name, and who
# may see them.
PAGES = [
    ("territories:dashboard", "agent"),
    ("territories:team", "agent"),
    ("territories:edit", "agent"),
    ("projects:create", "agent"),
    ("projects:territory_list", "agent"),
    ("projects:detail", "agent"),
    ("trainings:index", "agent"),
    ("trainings:effects", "agent"),
    ("methods:journal_territory", "agent"),
    ("cooperation:territory_dashboard", "elu"),
    ("cooperation:members", "agent"),
    ("cooperation:work", "agent"),
    ("cooperation:meetings", "agent"),
    ("cooperation:crossing_detail", "agent"),
    ("cooperation:proposal_detail", "elu"),
]


@pytest.mark.parametrize(
    "territory, expected",
    [
        (Noun("Hérault", Article.L_M), "L'équipe de l'Hérault"),
        (Noun("Étangs du Sud", Article.LES_M), "L'équipe des Étangs du Sud"),
        (Noun("Pôle Territorial (Tarn)", Article.LE), "L'équipe du Pôle Territorial (Tarn)"),
        (Noun("Albi"), "L'équipe d'Albi"),
    ],
)
def test_pages_write_the_little_words_before_names(world, client_for, territory, expected):
    Territory.objects.filter(pk=world.territory.pk).update(name=territory.name, article=territory.article)
    PeerGroup.objects.filter(pk=world.agents_group.pk).update(name="Espace des agents", article=Article.L_M)
    PeerGroup.objects.filter(pk=world.dgs_group.pk).update(name="Espace des DGS", article=Article.L_M)
    texts = {}
    for name, role in PAGES:
        texts[name] = _text(client_for(role).get(url_for(name, world)))
        found = STUMBLES.search(texts[name])
        assert not found, f"{name}: « {texts[name][max(found.start() - 40, 0) : found.end() + 40]} »"
    assert expected in texts["territories:team"]
    assert "Les membres de l'Espace des agents" in texts["cooperation:members"]
    proposal = texts["cooperation:proposal_detail"]
    assert "Proposition commune de l'Espace des agents et de l'Espace des DGS" in proposal


def test_the_answer_of_an_elu_is_signed_d_elise(world, client_for):
    from cooperation import services

    services.proposal_answer(
        actor=world.users["elu"],
        proposal=world.joint_proposal,
        decision="adopted",
        response="Nous le ferons.",
    )
    page = _text(client_for("elu").get(url_for("cooperation:proposal_detail", world)))
    assert "Réponse d'Élise Élue" in page
    assert not STUMBLES.search(page)


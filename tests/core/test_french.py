"""The little words French puts around a name (« de / d' / du / des », « à / au / aux », « le / la / l' »),
and dates, ages and sizes as a French reader writes them."""

import datetime
import pathlib
import re

import pytest
from django.conf import settings
from django.utils import timezone, translation

from core import dates, french
from core.french import Article, Noun


@pytest.mark.parametrize(
    "noun, of, to, the",
    [
        # Names without an article: persons, communes.
        (Noun("Castres"), "de Castres", "à Castres", "Castres"),
        (Noun("Albi"), "d'Albi", "à Albi", "Albi"),
        (Noun("Élise Élue"), "d'Élise Élue", "à Élise Élue", "Élise Élue"),
        (Noun("Hélène Hugo"), "d'Hélène Hugo", "à Hélène Hugo", "Hélène Hugo"),
        (Noun("Yves Yvon"), "d'Yves Yvon", "à Yves Yvon", "Yves Yvon"),
        (Noun("Yann Le Goff"), "de Yann Le Goff", "à Yann Le Goff", "Yann Le Goff"),
        (Noun("Œuilly"), "d'Œuilly", "à Œuilly", "Œuilly"),
        # Names that carry their article.
        (Noun("Le Mans"), "du Mans", "au Mans", "Le Mans"),
        (Noun("Les Sables-d'Olonne"), "des Sables-d'Olonne", "aux Sables-d'Olonne", "Les Sables-d'Olonne"),
        (Noun("La Rochelle"), "de La Rochelle", "à La Rochelle", "La Rochelle"),
        (Noun("L'Isle-Jourdain"), "de L'Isle-Jourdain", "à L'Isle-Jourdain", "L'Isle-Jourdain"),
        # Names that take an article.
        (
            Noun("Pôle Territorial", Article.LE),
            "du Pôle Territorial",
            "au Pôle Territorial",
            "le Pôle Territorial",
        ),
        (
            Noun("Communauté de communes", Article.LA),
            "de la Communauté de communes",
            "à la Communauté de communes",
            "la Communauté de communes",
        ),
        (
            Noun("Espace des agents", Article.L_M),
            "de l'Espace des agents",
            "à l'Espace des agents",
            "l'Espace des agents",
        ),
        (Noun("Occitanie", Article.L_F), "de l'Occitanie", "à l'Occitanie", "l'Occitanie"),
        (Noun("Monts d'Alban", Article.LES_M), "des Monts d'Alban", "aux Monts d'Alban", "les Monts d'Alban"),
        # « le » or « la » chosen in front of a vowel still elides; in front of an h, the h is aspirated.
        (Noun("Espace", Article.LE), "de l'Espace", "à l'Espace", "l'Espace"),
        (Noun("Haute-Garonne", Article.LA), "de la Haute-Garonne", "à la Haute-Garonne", "la Haute-Garonne"),
        (Noun("Havre", Article.LE), "du Havre", "au Havre", "le Havre"),
    ],
)
def test_the_little_words_around_a_name(noun, of, to, the):
    assert french.de(noun) == of
    assert french.a(noun) == to
    assert french.the(noun) == the


def test_a_plain_string_is_a_name_without_article():
    assert french.de("Étienne") == "d'Étienne"
    assert french.a("Le Puy") == "au Puy"


def test_an_object_with_a_noun_is_read_through_it():
    class Territory:
        noun = Noun("Pôle Territorial", Article.LE)

    assert french.de(Territory()) == "du Pôle Territorial"


def test_agreement_follows_the_gender_and_number_of_the_article():
    assert french.agree(Noun("Pôle", Article.LE), "engagé", "engagée") == "engagé"
    assert french.agree(Noun("Occitanie", Article.L_F), "engagé", "engagée") == "engagée"
    assert french.agree(Noun("Monts", Article.LES_M), "engagé", "engagée") == "engagés"
    assert french.agree(Noun("Hautes-Pyrénées", Article.LES_F), "engagé", "engagée") == "engagées"
    assert french.agree(Noun("La Rochelle"), "engagé", "engagée") == "engagée"


def test_translated_sentences_get_the_english_preposition_in_english():
    noun = Noun("Pôle Territorial", Article.LE)
    with translation.override("fr"):
        assert french.of(noun) == "du Pôle Territorial"
        assert french.to(noun, "in") == "au Pôle Territorial"
    with translation.override("en"):
        assert french.of(noun) == "of Pôle Territorial"
        assert french.to(noun, "in") == "in Pôle Territorial"
        assert french.of("Élise", "from") == "from Élise"


# --- Dates, ages, sizes ------------------------------------------------------------------------------------


def test_the_first_of_the_month_is_1er_in_french():
    with translation.override("fr"):
        assert dates.long_date(datetime.date(2026, 12, 1)) == "1er décembre 2026"
        assert dates.long_date(datetime.date(2026, 12, 5)) == "5 décembre 2026"
    with translation.override("en"):
        assert dates.long_date(datetime.date(2026, 12, 1)) == "1 December 2026"


@pytest.mark.parametrize(
    "month, short",
    [(1, "janv."), (2, "févr."), (3, "mars"), (6, "juin"), (7, "juil."), (9, "sept."), (12, "déc.")],
)
def test_month_abbreviations_are_the_french_ones(month, short):
    with translation.override("fr"):
        assert dates.short_date(datetime.date(2026, month, 5)) == f"5 {short} 2026"


def test_dates_with_times_are_in_the_local_time():
    moment = datetime.datetime(2026, 12, 1, 13, 5, tzinfo=datetime.UTC)
    with translation.override("fr"), timezone.override("Europe/Paris"):
        assert dates.long_datetime(moment) == "1er décembre 2026 à 14:05"
        assert dates.short_datetime(moment) == "1er déc. 2026, 14:05"


def test_an_age_never_says_zero_minutes():
    now = timezone.now()
    with translation.override("fr"):
        assert dates.ago(now, now) == "à l'instant"
        assert dates.ago(now - datetime.timedelta(seconds=59), now) == "à l'instant"
        assert dates.duration(now - datetime.timedelta(seconds=30), now) == "moins d'une minute"
        assert dates.ago(now - datetime.timedelta(minutes=1), now) == "il y a 1 minute"
        assert dates.ago(now - datetime.timedelta(hours=5), now) == "il y a 5 heures"
        assert dates.ago(now - datetime.timedelta(days=3), now) == "il y a 3 jours"
        assert dates.ago(now - datetime.timedelta(days=20), now) == "il y a 2 semaines"
        assert dates.ago(now - datetime.timedelta(days=95), now) == "il y a 3 mois"
        assert dates.ago(now - datetime.timedelta(days=800), now) == "il y a 2 ans"
    with translation.override("en"):
        assert dates.ago(now, now) == "just now"
        assert dates.ago(now - datetime.timedelta(days=3), now) == "3 days ago"


def test_sizes_are_in_french_units():
    with translation.override("fr"):
        assert dates.filesize(812) == "812 octets"
        assert dates.filesize(1) == "1 octet"
        assert dates.filesize(24474) == "23,9 Ko"
        assert dates.filesize(4.2 * 1024 * 1024) == "4,2 Mo"
    with translation.override("en"):
        assert dates.filesize(24474) == "23.9 KB"


def test_a_round_size_has_no_decimal():
    with translation.override("fr"):
        assert dates.filesize(5 * 1024 * 1024) == "5 Mo"
        assert dates.filesize(2048) == "2 Ko"


def test_a_date_can_say_its_weekday_and_a_time_its_seconds():
    moment = datetime.datetime(2026, 12, 1, 13, 5, 9, tzinfo=datetime.UTC)
    with translation.override("fr"), timezone.override("Europe/Paris"):
        assert dates.long_date(moment, "l") == "mardi 1er décembre 2026"
        assert dates.long_datetime(moment, "s") == "1er décembre 2026 à 14:05:09"
        assert dates.long_datetime(moment, "l") == "mardi 1er décembre 2026 à 14:05"


# Django's filters and formats that write « 1 décembre », « 5 Déc », « 0 minute » or « 23,9 Kio » in French.
OLD_FORMATS = re.compile(
    r"""\|\s*(timesince|timeuntil|naturaltime|filesizeformat)\b"""
    r"""|\|\s*date\s*:\s*["'](?:[^"']*\b[jdN]\b[^"']*\b[FMbN]\b[^"']*|DATE_FORMAT|DATETIME_FORMAT)["']"""
)


def test_templates_write_dates_ages_and_sizes_through_the_french_filters():
    root = pathlib.Path(settings.BASE_DIR) / "templates"
    found = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.suffix in (".html", ".txt", ".xml")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if OLD_FORMATS.search(line)
    ]
    assert found == []


def test_the_check_finds_the_old_formats():
    old = [
        '{{ d|date:"j F Y" }}',
        "{{ d|date:'j M Y, H:i' }}",
        "{{ d|timesince }}",
        "{{ s|filesizeformat }}",
        '{{ d|date:"DATETIME_FORMAT" }}',
    ]
    for line in old:
        assert OLD_FORMATS.search(line), line
    assert not OLD_FORMATS.search("{{ d|date:'Y-m-d\\TH:i:sO' }}")
    assert not OLD_FORMATS.search('{{ d|date:"F Y" }}')

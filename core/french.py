"""French grammar for the sentences the platform writes around a name: « de / d' / du / des »,
« à / au / aux », « le / la / l' / les », and the agreement of a participle with the thing it speaks of.

A name is a plain string (a person, a commune: no article, « d'Élise », « de Castres »), a name that carries
its own article (« Le Mans » → « du Mans », « au Mans »; « La Rochelle » → « de La Rochelle »), or a `Noun`:
a name with the article the grammar needs in front of it (« le Pôle territorial » → « du Pôle territorial »,
« l'Espace des agents » → « de l'Espace des agents », « les Monts d'Alban » → « aux Monts d'Alban »). Models
whose names need an article (territories, peer groups) expose one through `noun` (see `Article`).

The functions below write French whatever the active language. Sentences that are translated use the
language-aware `of()` / `to()` / `the()`, which fall back to a plain English preposition, so that the French
and English sentences keep the same placeholders.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüœæ")


class Article(models.TextChoices):
    """The article French puts in front of a name; its gender and number come with it."""

    NONE = "", _("Aucun (« Albi », « Castres »)")
    LE = "le", _("le (« le Pôle territorial »)")
    LA = "la", _("la (« la Communauté de communes »)")
    L_M = "l_m", _("l' masculin (« l'Espace des agents »)")
    L_F = "l_f", _("l' féminin (« l'Occitanie »)")
    LES_M = "les_m", _("les masculin (« les Monts d'Alban »)")
    LES_F = "les_f", _("les féminin (« les Hautes-Pyrénées »)")


# A name that begins with its own article, as communes do (« Le Mans », « Les Sables-d'Olonne »).
_OWN_ARTICLES = (("Le ", "le"), ("La ", "la"), ("Les ", "les"), ("L'", "l"), ("L’", "l"))


@dataclass(frozen=True)
class Noun:
    """A name and the article French puts in front of it (an `Article` value)."""

    name: str
    article: str = Article.NONE

    def __str__(self):
        return self.name

    @property
    def is_feminine(self) -> bool:
        if self.article in (Article.LA, Article.L_F, Article.LES_F):
            return True
        own = _own_article(self.name)
        return own == "la"

    @property
    def is_plural(self) -> bool:
        return self.article in (Article.LES_M, Article.LES_F) or _own_article(self.name) == "les"


def _as_noun(value) -> Noun:
    if isinstance(value, Noun):
        return value
    noun = getattr(value, "noun", None)
    if isinstance(noun, Noun):
        return noun
    return Noun(str(value) if value is not None else "")


def _own_article(name: str) -> str | None:
    for prefix, article in _OWN_ARTICLES:
        if name.startswith(prefix) and len(name) > len(prefix):
            return article
    return None


def starts_with_vowel_sound(word: str) -> bool:
    """Whether French elides in front of the word: a vowel (accented or capital: « Élise », « Isère »), a
    mute h (« Hélène », « Hérault »), a y before a consonant (« Yves », not « Yann »)."""
    word = word.lstrip(" «\"'’(")
    if not word:
        return False
    first = word[0].lower()
    if first in "aeiouàâäéèêëîïôöùûüœæ":
        return True
    if first == "h":
        # Most names with an h elide (« d'Hélène », « d'Hendaye »); those with an aspirated h carry an
        # article anyway (« la Haute-Garonne », « le Havre »), which decides for them.
        return True
    if first == "y":
        return len(word) > 1 and word[1].lower() not in VOWELS
    return False


def _elided(word: str, full: str, short: str, *, article_chosen: bool = False) -> str:
    """`short` before a vowel sound. When someone chose « le » or « la » for a name that begins with an h,
    the h is aspirated (« la Haute-Garonne », « le Havre »): no elision."""
    elides = starts_with_vowel_sound(word)
    if article_chosen and word[:1].lower() == "h":
        elides = False
    return f"{short}{word}" if elides else f"{full} {word}"


def _split_own_article(name: str) -> tuple[str | None, str]:
    """« Le Mans » → ("le", "Mans"); « L'Isle » → ("l", "Isle"); « Albi » → (None, "Albi")."""
    for prefix, article in _OWN_ARTICLES:
        if name.startswith(prefix) and len(name) > len(prefix):
            return article, name[len(prefix) :]
    return None, name


def the(value) -> str:
    """The name with its article: « le Pôle territorial », « l'Espace des agents », « Albi », « Le Mans »."""
    noun = _as_noun(value)
    name = noun.name
    match noun.article:
        case Article.LE:
            return _elided(name, "le", "l'", article_chosen=True)
        case Article.LA:
            return _elided(name, "la", "l'", article_chosen=True)
        case Article.L_M | Article.L_F:
            return f"l'{name}"
        case Article.LES_M | Article.LES_F:
            return f"les {name}"
    return name


def de(value) -> str:
    """« du Pôle territorial », « de la Région », « de l'Espace des agents », « des Monts », « d'Élise »,
    « de Castres », « du Mans » (« Le Mans »), « de La Rochelle », « des Sables-d'Olonne »."""
    noun = _as_noun(value)
    name = noun.name
    match noun.article:
        case Article.LE:
            return _elided(name, "du", "de l'", article_chosen=True)
        case Article.LA:
            return _elided(name, "de la", "de l'", article_chosen=True)
        case Article.L_M | Article.L_F:
            return f"de l'{name}"
        case Article.LES_M | Article.LES_F:
            return f"des {name}"
    own, rest = _split_own_article(name)
    if own == "le":
        return f"du {rest}"
    if own == "les":
        return f"des {rest}"
    if own in ("la", "l"):
        # « de La Rochelle », « de L'Isle-Jourdain »: the article belongs to the name and keeps its capital.
        return f"de {name}"
    return _elided(name, "de", "d'")


def a(value) -> str:
    """« au Pôle territorial », « à la Région », « à l'Espace des agents », « aux Monts », « à Élise »,
    « au Mans » (« Le Mans »), « à La Rochelle », « aux Sables-d'Olonne »."""
    noun = _as_noun(value)
    name = noun.name
    match noun.article:
        case Article.LE:
            return _elided(name, "au", "à l'", article_chosen=True)
        case Article.LA:
            return _elided(name, "à la", "à l'", article_chosen=True)
        case Article.L_M | Article.L_F:
            return f"à l'{name}"
        case Article.LES_M | Article.LES_F:
            return f"aux {name}"
    own, rest = _split_own_article(name)
    if own == "le":
        return f"au {rest}"
    if own == "les":
        return f"aux {rest}"
    return f"à {name}"


def agree(value, masculine: str, feminine: str, plural_m: str = "", plural_f: str = "") -> str:
    """The word that agrees with the name: agree(territory, "engagé", "engagée", "engagés", "engagées")."""
    noun = _as_noun(value)
    if noun.is_plural:
        return (plural_f or feminine + "s") if noun.is_feminine else (plural_m or masculine + "s")
    return feminine if noun.is_feminine else masculine


def capfirst(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


# --- In the reader's language ----------------------------------------------------------------------------


def _is_french() -> bool:
    return (get_language() or "fr").split("-")[0] == "fr"


def of(value, en: str = "of") -> str:
    """`de()` in French, "of <name>" (or the preposition given) in English: a translated sentence keeps the
    same placeholder in both languages (« L'équipe %(of_territory)s » / "The team %(of_territory)s")."""
    if _is_french():
        return de(value)
    return f"{en} {_as_noun(value).name}".strip()


def to(value, en: str = "to") -> str:
    """`a()` in French, "to <name>" (or the preposition given: "in", "at") in English."""
    if _is_french():
        return a(value)
    return f"{en} {_as_noun(value).name}".strip()


def the_name(value, en: str = "") -> str:
    """`the()` in French; in English the bare name (or with the article given: "the")."""
    if _is_french():
        return the(value)
    return f"{en} {_as_noun(value).name}".strip()

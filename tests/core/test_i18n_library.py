"""core.i18n_library: `{% load i18n %}` gives Django's tags, a constant `{% translate %}` translated once per
language and escaping, the same text as Django's own tag gives."""

import pytest
from django.template import Context, engines
from django.template.base import Template
from django.utils import translation
from django.utils.translation import gettext

from core.i18n_library import RememberedTranslateNode

ENGINE = engines["django"].engine


def _render(source, **context):
    return Template(source, engine=ENGINE).render(Context(context))


def _django_render(source, **context):
    """The same template under Django's own i18n library."""
    source = source.replace("{% load i18n %}", "{% load django_i18n %}")
    engine = type(ENGINE)(libraries={"django_i18n": "django.templatetags.i18n"})
    return Template(source, engine=engine).render(Context(context))


def test_load_i18n_gives_the_remembering_translate_tag():
    template = Template('{% load i18n %}{% translate "Se connecter" %}', engine=ENGINE)
    assert [type(node) for node in template.nodelist if not node.token.contents.startswith("load")] == [
        RememberedTranslateNode
    ]


def test_a_constant_message_follows_the_language_of_each_rendering():
    source = '{% load i18n %}{% translate "Se connecter" %}'
    for language in ("fr", "en", "fr", "en"):
        with translation.override(language):
            assert _render(source) == gettext("Se connecter") == _django_render(source)
    with translation.override("en"):
        assert _render(source) != "Se connecter"


@pytest.mark.parametrize(
    "source",
    [
        '{% load i18n %}{% translate "Sécurité & accès <b>" %}',
        '{% load i18n %}{% autoescape off %}{% translate "Sécurité & accès <b>" %}{% endautoescape %}',
        '{% load i18n %}{% translate "Taux : 100 %" %}',
        '{% load i18n %}{% translate "Langue" as label %}[{{ label }}]'
        '{% translate "Langue" as label %}{{ label }}',
        '{% load i18n %}{% translate "Mai" context "mois" %}',
        '{% load i18n %}{% translate "Langue" noop %}',
    ],
)
def test_each_form_of_the_tag_gives_djangos_text_on_every_rendering(source):
    for language in ("fr", "en", "fr"):
        with translation.override(language):
            expected = _django_render(source)
            assert [_render(source), _render(source)] == [expected, expected]


def test_a_message_given_by_a_variable_is_translated_each_time():
    source = "{% load i18n %}{% translate label %}"
    assert _render(source, label="Langue") == "Langue"
    assert _render(source, label="Menu") == "Menu"
    with translation.override("en"):
        assert _render(source, label="Langue") == gettext("Langue")


def test_a_change_of_the_catalogues_is_followed(settings):
    source = '{% load i18n %}{% translate "Se connecter" %}'
    with translation.override("en"):
        english = _render(source)
    settings.LOCALE_PATHS = []
    with translation.override("en"):
        assert _render(source) == _django_render(source) != english

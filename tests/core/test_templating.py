"""core.templating: the deliberate replacements of Django's i18n and static libraries raise no warning, any
other library name given to two modules still does (templates.W003)."""

from django.template import engines

from core.templating import REPLACED, Templates


def _clashes(libraries):
    engine = Templates({"NAME": "essai", "DIRS": [], "APP_DIRS": False, "OPTIONS": {"libraries": libraries}})
    return [warning.msg for warning in engine.check() if warning.id == "templates.W003"]


def test_the_platforms_engine_reports_no_clash():
    assert [w.id for w in engines["django"].check() if w.id == "templates.W003"] == []


def test_the_replaced_libraries_are_not_reported():
    assert _clashes({label: modules[0] for label, modules in REPLACED.items()}) == []


def test_another_library_given_the_name_of_an_existing_one_is_reported():
    clashes = _clashes({"fabrique": "core.i18n_library"})
    assert clashes == [
        "'fabrique' is used for multiple template tag modules: "
        "'core.i18n_library', 'core.templatetags.fabrique'"
    ]

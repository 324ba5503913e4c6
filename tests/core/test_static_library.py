"""core.static_library: `{% load static %}` gives Django's tags, a constant file's address composed once."""

from django.template import Context, engines
from django.template.base import Template
from django.templatetags.static import StaticNode, static

ENGINE = engines["django"].engine


def _render(source, **context):
    return Template(source, engine=ENGINE).render(Context(context))


def _counting_storage_calls(monkeypatch):
    calls = []
    original = StaticNode.handle_simple.__func__

    def counted(cls, path):
        calls.append(path)
        return original(cls, path)

    monkeypatch.setattr(StaticNode, "handle_simple", classmethod(counted))
    return calls


def test_a_constant_files_address_is_djangos_composed_once(monkeypatch):
    expected = static("css/site.css")
    calls = _counting_storage_calls(monkeypatch)
    template = Template('{% load static %}{% static "css/site.css" %}', engine=ENGINE)
    assert [template.render(Context()) for _ in range(3)] == [expected] * 3
    assert calls == ["css/site.css"]


def test_an_address_kept_as_a_variable_is_kept_each_time():
    source = '{% load static %}{% static "css/site.css" as sheet %}<{{ sheet }}>'
    assert _render(source) == _render(source) == f"<{static('css/site.css')}>"


def test_a_path_given_by_a_variable_is_looked_up_on_each_rendering(monkeypatch):
    expected = [static("css/site.css"), static("js/site.js")]
    calls = _counting_storage_calls(monkeypatch)
    template = Template("{% load static %}{% static path %}", engine=ENGINE)
    rendered = [template.render(Context({"path": path})) for path in ("css/site.css", "js/site.js")]
    assert rendered == expected
    assert calls == ["css/site.css", "js/site.js"]


def test_a_change_of_the_static_settings_is_followed(settings):
    template = Template('{% load static %}{% static "css/site.css" %}', engine=ENGINE)
    before = template.render(Context())
    settings.STATIC_URL = "/fichiers/"
    assert template.render(Context()) == static("css/site.css") != before

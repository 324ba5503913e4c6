"""Context providers: a lower app's page gets entries from the apps above without importing them."""

from core.extensions import ContextProviders


def test_providers_add_their_entries_in_the_order_they_registered():
    providers = ContextProviders()
    providers.register(lambda page, reader: {"a": page, "b": 1})
    providers.register(lambda page, reader: {"b": reader})
    assert providers.context("page", "reader") == {"a": "page", "b": "reader"}


def test_a_provider_registered_twice_counts_once():
    providers = ContextProviders()
    calls = []

    def provider(page):
        calls.append(page)
        return {}

    providers.register(provider)
    providers.register(provider)
    providers.context("page")
    assert calls == ["page"]


def test_the_organisation_page_gets_its_territories_from_the_territories_app():
    from alliance.extensions import organisation_page
    from territories.access import organisation_page_context

    assert organisation_page_context in organisation_page._providers

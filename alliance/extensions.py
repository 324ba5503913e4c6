"""What apps of higher layers add to the alliance's pages (core.extensions), registered in their
AppConfig.ready(): alliance never imports them."""

from core.extensions import ContextProviders

# The organisation's page: provider(user, organisation) -> entries of its context (e.g. its territories).
organisation_page = ContextProviders()

"""What apps of higher layers add to the projects' pages (core.extensions), registered in their
AppConfig.ready(): projects never imports them."""

from core.extensions import ContextProviders

# The project's page: provider(project, rights) -> entries of its context (e.g. the method's tools).
project_page = ContextProviders()

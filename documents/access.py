from collections.abc import Callable

from django.http import Http404

from projects.access import get_project_for_user

from .models import PROJECT_KINDS, Document

# The rule of each kind that does not belong to a project, filled by the app that builds it (a higher layer:
# `reports` for the territory's synthesis) in its AppConfig.ready(). A rule takes (user, document) and
# returns whether the user may read it.
READER_RULES: dict[str, Callable] = {}


def register_reader_rule(kind: str, rule: Callable) -> None:
    READER_RULES[kind] = rule


def get_document_for_user(user, pk) -> Document:
    """A project's document is readable by whoever may read its project; another kind by its registered rule.
    To anyone else it does not exist."""
    document = Document.objects.select_related("territory").filter(pk=pk).first()
    if document is None:
        raise Http404
    if document.kind in PROJECT_KINDS:
        project, _rights = get_project_for_user(user, document.project_id)
        document.project = project
        return document
    rule = READER_RULES.get(document.kind)
    if rule is None or not rule(user, document):
        raise Http404
    return document

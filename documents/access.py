from django.http import Http404

from projects.access import get_project_for_user

from .models import Document


def get_document_for_user(user, pk) -> Document:
    """A document is readable by whoever may read its project; to others it does not exist."""
    document = Document.objects.filter(pk=pk).first()
    if document is None:
        raise Http404
    project, _rights = get_project_for_user(user, document.project_id)
    document.project = project
    return document

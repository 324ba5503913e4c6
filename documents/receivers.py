"""What documents does when the projects tell it something (projects.signals); connected in apps.py."""

from projects.signals import deliverable_validated

from .services import document_request_note


def version_pdf_on_validation(sender, *, deliverable, version, actor, **kwargs):
    """The validated version's PDF is made at once and kept with it (rendered by a worker)."""
    document_request_note(actor=actor, deliverable=deliverable, version=version)


def connect():
    deliverable_validated.connect(version_pdf_on_validation, dispatch_uid="documents.version_pdf")
